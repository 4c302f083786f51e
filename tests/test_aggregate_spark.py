"""A real Spark job on local[2]: the same per-minute counts as the pandas engine, exactly."""
import shutil
import time

import pytest
from aggregate_helpers import write_logs

from outagetl.aggregate import aggregate

pytestmark = pytest.mark.spark


def test_spark_equals_pandas(tmp_path):
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]' (.ci/run does)")
    if shutil.which("java") is None:
        pytest.skip("java is not installed: Spark needs Java 17 (apt-get install openjdk-17-jre-headless)")
    write_logs(tmp_path)
    glob = str(tmp_path / "*.log")
    expected = aggregate([glob], str(tmp_path / "pandas.csv"), by_service=True, year=2019)
    started = time.perf_counter()
    got = aggregate([glob], str(tmp_path / "spark.csv"), engine="spark", by_service=True, year=2019)
    assert time.perf_counter() - started < 120
    assert (tmp_path / "spark.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert got.equals(expected) and int(got["total"].sum()) == 20_000
    assert int(got["errors"].sum()) > 0
