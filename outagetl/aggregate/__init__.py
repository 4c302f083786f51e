"""``outagetl aggregate``: log files → one per-minute metrics CSV (``minute,[service,]total,errors``).

The CSV is what the metrics reader reads, so a big log set can be reduced once (locally with
pandas, or as a Spark job over globs and URLs) and then built into a timeline like any export.
Both engines share format detection and produce the same rows; Spark's is ``logs/spark.py``.
"""
from __future__ import annotations

import csv
import glob
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

COLUMNS = ("minute", "service", "total", "errors")


class AggregateError(ValueError):
    """A path or log that cannot be aggregated, with the reason for the user."""


@dataclass(frozen=True)
class Counts:
    """Per-minute counts of one input: ``frame`` has ``minute`` (naive), ``total``, ``errors``."""

    service: str
    frame: pd.DataFrame
    utc: bool


def expand(paths: list[str]) -> list[str]:
    """Local globs expanded (sorted); URLs and plain paths kept as they are."""
    out = []
    for raw in paths:
        if "://" in raw or not glob.has_magic(raw):
            out.append(raw)
            continue
        found = sorted(p for p in glob.glob(raw, recursive=True) if Path(p).is_file())
        if not found:
            raise AggregateError(f"{raw}: no file matches")
        out.extend(found)
    return out


def service_name(path: str) -> str:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".gz", ".log", ".txt"):
        name = name[: -len(suffix)] if name.endswith(suffix) else name
    return name


def with_year(minutes: pd.Series, series, year: int | None) -> pd.Series:
    """Placeholder years (year-less formats) → ``year`` + New Years crossed; NaT for a lost Feb 29."""
    from ..logs.stamps import place

    if not series.year_missing:
        return minutes
    if year is None:
        raise AggregateError(f"{series.format} timestamps have no year: pass --year")
    return pd.Series(place(minutes.to_numpy("datetime64[ns]"), year), index=minutes.index)


def pandas_counts(paths: list[str], year: int | None = None) -> list[Counts]:
    """Each file through the log reader; its per-minute series is the aggregate."""
    from ..sources.base import SourceError
    from ..sources.registry import read_path

    out = []
    for path in expand(paths):
        try:
            doc = read_path(Path(path), path)[0]
        except SourceError as exc:
            raise AggregateError(str(exc)) from None
        if doc.source.type != "log":
            raise AggregateError(f"{path}: not a log file (read as {doc.source.type})")
        minutes = doc.series.minutes
        frame = pd.DataFrame({"minute": pd.Series(minutes.minute, dtype="datetime64[ns]"),
                              "total": minutes.total.astype("int64"), "errors": minutes.errors.astype("int64")})
        frame["minute"] = with_year(frame["minute"], doc.series, year)
        out.append(Counts(service_name(path), frame.dropna(subset=["minute"]), doc.source.zone == "UTC"))
    return out


def combine(counts: list[Counts], by_service: bool) -> pd.DataFrame:
    """One row per minute (per service with ``by_service``), sorted; ``minute`` as ISO text."""
    if not counts:
        return pd.DataFrame(columns=list(COLUMNS if by_service else ("minute", "total", "errors")))
    if not by_service and len({c.utc for c in counts}) > 1:
        raise AggregateError("some logs are in UTC and others in local time: use --by-file")
    parts = []
    for c in counts:
        stamp = c.frame["minute"].dt.strftime("%Y-%m-%dT%H:%M:%S" + ("Z" if c.utc else ""))
        parts.append(pd.DataFrame({"minute": stamp, "service": c.service, "total": c.frame["total"],
                                   "errors": c.frame["errors"]}))
    rows = pd.concat(parts, ignore_index=True)
    keys = ["minute", "service"] if by_service else ["minute"]
    rows = rows.groupby(keys, as_index=False)[["total", "errors"]].sum()
    return rows.sort_values(keys, kind="stable").reset_index(drop=True)[
        list(COLUMNS if by_service else ("minute", "total", "errors"))]


def write_csv(rows: pd.DataFrame, output: str) -> None:
    with open(output, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(rows.columns)
        writer.writerows(rows.itertuples(index=False, name=None))


def aggregate(paths: list[str], output: str, engine: str = "pandas", master: str | None = None,
              by_service: bool = False, year: int | None = None) -> pd.DataFrame:
    """Run the aggregation with ``engine`` and write ``output``; returns the rows written."""
    if engine == "spark":
        from ..logs.spark import spark_counts

        counts = spark_counts(paths, master=master, year=year)
    else:
        counts = pandas_counts(paths, year=year)
    rows = combine(counts, by_service)
    write_csv(rows, output)
    return rows
