"""Every engine on every format sample: the same rows as the reference engine (and, for Spark, the
same per-minute counts). The samples are the format files' own (``data/formats/*.json``)."""
import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from outagetl.logs import reference, stamps
from outagetl.logs.engine import ReferenceEngine, choose, engines
from outagetl.logs.formats import Parser, formats
from outagetl.logs.tally import pick

FORMATS = formats()
def comparable(batch) -> pd.DataFrame:
    """What Tally reads of a batch, one row per line, missing values as None."""
    rows = np.arange(len(batch))
    out = pd.DataFrame({"line": batch.line, "ok": batch.ok, "reason": batch.reason, "when": batch.when,
                        "zoned": batch.zoned, "month": batch.month, "error": batch.error, "change": batch.change,
                        "level": [batch.level(i) for i in rows], "ts_text": pick(batch.ts_text, rows),
                        "text": pick(batch.text, rows)}).astype(object)
    return out.where(out.notna(), None)


def batch_for(engine, lines):
    return pa.array(lines, pa.string()) if engine.name == "fast" else lines


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("name", [e.name for e in engines()])
def test_engine_reads_every_sample_like_the_reference(fmt, name):
    engine = next(e for e in engines() if e.name == name)
    parser = Parser(fmt.name, "regex", fmt)
    assert engine.accepts(parser, "utf-8")
    lines = list(fmt.samples)
    ref = ReferenceEngine().parse(parser, lines, 1)
    got = engine.parse(parser, batch_for(engine, lines), 1)
    assert ref.ok.all(), ref.reason
    pd.testing.assert_frame_equal(comparable(got), comparable(ref))


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_samples_have_the_placeholder_year_only_when_they_have_no_year(fmt):
    parser = Parser(fmt.name, "regex", fmt)
    when = reference.parse(parser, list(fmt.samples), 1)["when"]
    placeholder = (when.dt.year == stamps.PLACEHOLDER_YEAR).all()
    assert placeholder == (not fmt.has_year), fmt.name


def test_the_fast_engine_is_chosen_for_regex_utf8_only():
    fmt = FORMATS[0]
    assert choose(Parser(fmt.name, "regex", fmt), "utf-8").name == "fast"
    assert choose(Parser(fmt.name, "regex", fmt), "cp1252").name == "reference"
    assert choose(Parser("json-lines", "json", time="ts", message="msg"), "utf-8").name == "reference"


@pytest.mark.spark
def test_spark_counts_every_sample_like_the_reader(tmp_path):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("java is not installed")
    from outagetl.aggregate import pandas_counts
    from outagetl.logs.spark import session, spark_counts

    paths = []
    for fmt in FORMATS:
        path = tmp_path / f"{fmt.name}.log"
        path.write_text("\n".join(fmt.samples) + "\n", encoding="utf-8")
        paths.append(str(path))
    spark = session()
    for path in paths:
        want = pandas_counts([path], year=2019)[0]
        got = spark_counts([path], year=2019, spark=spark)[0]
        assert got.utc == want.utc, path
        pd.testing.assert_frame_equal(got.frame.reset_index(drop=True), want.frame.reset_index(drop=True),
                                      check_dtype=False, obj=path)
        assert want.frame["minute"].min() > datetime(1970, 1, 2)
