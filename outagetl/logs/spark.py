"""Spark's engine: the per-minute aggregation as a Spark job, the format's regex in Spark SQL, GROUP BY minute.

Detection stays in Python (the first lines decide, as for the log reader); Spark then runs the
same format regex (``regexp_extract``/``rlike``, Java syntax: named groups become numbered ones,
``\\s`` is spelled out, ``(?d)`` so only ``\\n`` ends a line), builds each timestamp from its
components with day arithmetic, and applies the reader's rules: a file is UTC or local as its
first batch says, year-less lines count New Years crossed in file order, error = the level the
format's level patterns give. The result equals the pandas engine's, minute for minute.
"""
from __future__ import annotations

import os
import re
from itertools import islice
from pathlib import Path

import pandas as pd

from ..aggregate import AggregateError, Counts, expand, service_name
from . import engine, stamps
from .formats import LogFormat, component_regex
from .reference import levels

HEAD_LINES = 200


def session(master: str | None = None):
    """A Spark session bound to loopback (no UI), UTC and non-ANSI so bad dates become NULL."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master or "local[2]").appName("outagetl-aggregate")
            .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.ansi.enabled", "false").config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.showConsoleProgress", "false").getOrCreate())


def java_regex(pattern: str) -> str:
    """Python ``re`` → Java regex with the same meaning on ASCII lines."""
    from .fast import re2

    return "(?d)" + re.sub(r"\(\?P<\w+>", "(", re2(pattern))


def spark_counts(paths: list[str], master: str | None = None, year: int | None = None,
                 spark=None) -> list[Counts]:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise AggregateError("--engine spark needs pyspark: pip install 'outagetl[spark]'") from None
    spark = spark or session(master)
    return [_one(spark, path, year) for path in expand(paths)]


def _head(spark, path: str) -> list[str]:
    if "://" not in path and Path(path).is_file():
        from .files import open_text

        with open_text(Path(path), path) as handle:
            return [ln.rstrip("\n") for ln in islice(handle, HEAD_LINES)]
    return [r.value for r in spark.read.text(path).limit(HEAD_LINES).collect()]


def _one(spark, path: str, year: int | None) -> Counts:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from .formats import detect

    parser, share = detect(_head(spark, path))
    if parser is None or share <= 0.5 or parser.kind != "regex":
        raise AggregateError(f"{path}: no regex log format matches most of the first lines")
    fmt = parser.fmt
    if not fmt.has_year and year is None:
        raise AggregateError(f"{path}: {fmt.name} timestamps have no year: pass --year")
    lines = spark.read.text(path).select(
        F.input_file_name().alias("file"), F.monotonically_increasing_id().alias("id"), "value")
    order = Window.partitionBy("file").orderBy("id")
    rows = _parsed(fmt, lines.withColumn("n", F.row_number().over(order)))
    mode = rows.where(F.col("n") <= engine.BATCH).groupBy("file").agg(
        (F.avg(F.col("zoned").cast("double")) >= 0.5).alias("utc"))
    rows = rows.join(mode, "file").where(F.col("zoned") == F.col("utc"))
    if not fmt.has_year:
        crossed = (F.lag("month").over(order) - F.col("month") >= stamps.NEW_YEAR_DROP).cast("int")
        rows = rows.withColumn("step", F.coalesce(crossed, F.lit(0)))
        rows = rows.withColumn("year", F.lit(year) + F.sum("step").over(
            order.rowsBetween(Window.unboundedPreceding, Window.currentRow)))
    rows = rows.withColumn("secs", _seconds(fmt)).where(F.col("secs").isNotNull())
    minute = (F.floor(F.col("secs") / 60) * 60).cast("long")
    out = rows.groupBy(minute.alias("minute")).agg(
        F.count(F.lit(1)).alias("total"), F.sum("err").cast("long").alias("errors"),
        F.max(F.col("utc").cast("int")).alias("utc")).orderBy("minute").collect()
    frame = pd.DataFrame({"minute": pd.to_datetime(pd.Series([r["minute"] for r in out], dtype="int64"),
                                                   unit="s"),
                          "total": pd.Series([r["total"] for r in out], dtype="int64"),
                          "errors": pd.Series([r["errors"] for r in out], dtype="int64")})
    utc = any(r["utc"] for r in out)
    return Counts(service_name(path), frame, utc)


def _parsed(fmt: LogFormat, lines):
    """Matched lines with their timestamp components, zone offset and error flag as columns."""
    from pyspark.sql import functions as F

    full = java_regex(fmt.regex.pattern)
    groups = fmt.regex.groupindex
    ts = F.regexp_extract("value", full, groups["timestamp"])
    stamp_rx = re.compile(component_regex(fmt.timestamp_format))
    stamp = java_regex("^" + stamp_rx.pattern + "$")
    cols = {name: F.regexp_extract(ts, stamp, i) for name, i in stamp_rx.groupindex.items()}
    out = lines.where(F.col("value").rlike(full)).where(ts.rlike(stamp)).select(
        "file", "id", "n", *(c.alias(f"c_{name}") for name, c in cols.items()),
        _error(fmt, groups).alias("err"))
    if "b" in cols:
        months = F.create_map(*(F.lit(x) for kv in stamps.MONTHS.items() for x in kv))
        month = F.element_at(months, F.lower(F.col("c_b")))
    elif "m" in cols:
        month = F.col("c_m").cast("int")
    else:
        month = F.lit(None).cast("int")
    z = F.col("c_z") if "z" in cols else F.lit("")
    zoned = (z != "") | F.lit("e" in cols)
    return out.withColumn("month", month).withColumn("zoned", zoned)


def _seconds(fmt: LogFormat):
    """UTC (or local) epoch seconds of each line, NULL where the date does not exist."""
    from pyspark.sql import functions as F

    names = set(re.compile(component_regex(fmt.timestamp_format)).groupindex)
    if "e" in names:
        value = F.col("c_e").cast("double")
        (s_, s_ns), (ms_, ms_ns), (us_, us_ns) = stamps.EPOCH_SCALES
        ns = (F.when(value < s_, value * s_ns).when(value < ms_, value * ms_ns)
              .when(value < us_, value * us_ns).otherwise(value))
        return F.when(ns < stamps.MAX_EPOCH_NS, ns / 1e9)

    def num(name, default=None):
        col = F.col(f"c_{name}")
        value = F.when(col != "", col.cast("long"))
        return F.coalesce(value, F.lit(default)) if default is not None else value

    if "Y" in names:
        year = num("Y")
    elif "y" in names:
        year = num("y") + F.when(num("y") < stamps.YEAR_PIVOT, 2000).otherwise(1900)
    else:
        year = F.col("year")
    day = F.datediff(F.make_date(year, F.col("month"), num("d")), F.lit("1970-01-01").cast("date"))
    secs = (day.cast("long") * 86400 + num("H") * 3600 + num("Mi") * 60 + num("S", 0))
    if "z" in names:
        z = F.col("c_z")
        sign = F.when(F.substring(z, 1, 1) == "-", -1).otherwise(1)
        offset = F.when((z == "") | (z == "Z"), 0).otherwise(
            sign * (F.substring(z, 2, 2).cast("int") * 60 + F.substring(z, -2, 2).cast("int")))
        secs = secs - offset * 60
    return secs


def _error(fmt: LogFormat, groups):
    """1 where the format's level patterns give "error" (first matching pattern wins)."""
    from pyspark.sql import functions as F

    if fmt.level_field == "pri":
        pris = pd.DataFrame({"pri": [str(i) for i in range(8)]})
        bad = [i for i, lv in enumerate(levels(fmt, pris, pris["pri"])) if lv == "error"]
        pri = F.regexp_extract("value", java_regex(fmt.regex.pattern), groups["pri"])
        return F.when((pri != "") & (pri.cast("int") % 8).isin(bad), 1).otherwise(0)
    if fmt.level_field in groups:
        field = F.regexp_extract("value", java_regex(fmt.regex.pattern), groups[fmt.level_field])
    else:
        field = F.col("value")
    result = F.lit(0)
    for level, pattern in reversed(fmt.levels):
        result = F.when(field.rlike(java_regex(pattern)), 1 if level == "error" else 0).otherwise(result)
    return result
