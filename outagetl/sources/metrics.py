"""Metrics exports → the same per-minute series as logs, so ``logs.claims`` finds onset/peak/recovery.

Two shapes: a CSV/TSV of time buckets with ``total`` and ``errors`` columns (optionally one row per
service per bucket, summed), and a Prometheus ``query_range`` JSON answer (``data.result[].values``
of ``[epoch, "value"]``), where a series whose labels name an error (5xx, error, fail) is the error
count and the others add up to the total.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..logs.formats import CSV_TIME
from ..logs.series import LogSeries, Minutes, SeriesKind
from ..model import Skip, Source, SourceDoc, ZoneRule
from .base import SourceError

NAME = "metrics"
TOTAL_COLUMNS = ("total", "requests", "count", "requests_total", "total_requests")
ERROR_COLUMNS = ("errors", "error", "errors_total", "5xx", "failures", "error_count", "errors_5xx")
SERVICE_COLUMNS = ("service", "job", "host", "region", "pop")
_ERROR_LABEL = re.compile(r"(?i)(?:^5\d\d$|^5xx$|5\.\.|error|fail)")


def sniff(path: Path, head: str) -> int:
    if _is_prometheus(head):
        return 90
    return 85 if _csv_columns(head) else 0


def read(path: Path, text: str, display: str) -> SourceDoc:
    if _is_prometheus(text[:4096]):
        return _read_prometheus(text, display)
    if _csv_columns(text[:4096]):
        return _read_csv(text, display)
    raise SourceError(display, "not a metrics export (CSV with time and errors columns, or "
                               "Prometheus query_range JSON)")


def _is_prometheus(head: str) -> bool:
    if not head.lstrip().startswith("{"):
        return False  # the common case (text, CSV), told without compacting the head
    compact = re.sub(r"\s+", "", head[:4096])
    return compact.startswith("{") and '"result":[' in compact and (
        '"resultType":"matrix"' in compact or '"values":[[' in compact)


def _csv_columns(head: str) -> tuple[str, str, str | None, str | None, str] | None:
    first = head.split("\n", 1)[0].strip()
    delimiter = "\t" if "\t" in first else ","
    columns = [c.strip().strip('"') for c in first.split(delimiter)]
    lower = [c.lower() for c in columns]
    time = next((columns[lower.index(k)] for k in CSV_TIME if k in lower), None)
    errors = next((columns[lower.index(k)] for k in ERROR_COLUMNS if k in lower), None)
    total = next((columns[lower.index(k)] for k in TOTAL_COLUMNS if k in lower), None)
    service = next((columns[lower.index(k)] for k in SERVICE_COLUMNS if k in lower), None)
    if not (time and errors):
        return None
    return time, errors, total, service, delimiter


def _read_csv(text: str, display: str) -> SourceDoc:
    import io

    import pandas as pd

    from ..logs.reference import mixed_times

    time, errors, total, service, delimiter = _csv_columns(text[:4096])
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, skipinitialspace=True,
                            on_bad_lines="skip", engine="python")
    except (ValueError, pd.errors.ParserError) as exc:
        raise SourceError(display, f"cannot read metrics CSV: {exc}") from None
    frame.columns = [c.strip() for c in frame.columns]
    lines = len([ln for ln in text.split("\n")[1:] if ln.strip()])
    when = mixed_times(frame[time])
    values = pd.DataFrame({
        "minute": when["when"].dt.floor("min"),
        "errors": pd.to_numeric(frame[errors], errors="coerce"),
        "total": pd.to_numeric(frame[total], errors="coerce") if total else float("nan"),
    })
    ok = values["minute"].notna() & values["errors"].notna()
    skipped = []
    if lines - int(ok.sum()):
        skipped.append(Skip(display, f"{lines - int(ok.sum())} rows",
                            "no parsable time or errors value, or wrong number of columns"))
    zoned = bool(when.loc[ok, "zoned"].mean() >= 0.5) if ok.any() else False
    series = values[ok].groupby("minute")[["total", "errors"]].sum(min_count=1)
    services = sorted(frame.loc[ok, service].dropna().unique().tolist()) if service else []
    return _doc(display, series, zoned, "metrics-csv", skipped,
                lines=lines, parsed=int(ok.sum()), services=tuple(services))


def _read_prometheus(text: str, display: str) -> SourceDoc:
    import pandas as pd

    try:
        data = json.loads(text)
        results = data["data"]["result"]
    except (ValueError, KeyError, TypeError):
        raise SourceError(display, "not a Prometheus query_range answer (data.result missing)") from None
    frames, skipped = {"errors": [], "total": []}, []
    for i, result in enumerate(results if isinstance(results, list) else []):
        labels = result.get("metric", {}) if isinstance(result, dict) else {}
        values = result.get("values") if isinstance(result, dict) else None
        if not isinstance(values, list) or not values:
            skipped.append(Skip(display, f"result {i}", "no values"))
            continue
        pairs = pd.DataFrame([v[:2] for v in values if isinstance(v, list) and len(v) >= 2],
                             columns=["t", "v"])
        minute = pd.to_datetime(pd.to_numeric(pairs["t"], errors="coerce"), unit="s").dt.floor("min")
        value = pd.to_numeric(pairs["v"], errors="coerce")
        part = pd.Series(value.to_numpy(), index=minute).dropna()
        part = part[part.index.notna()].groupby(level=0).mean()
        is_error = len(results) == 1 or any(_ERROR_LABEL.search(str(v)) for v in labels.values())
        frames["errors" if is_error else "total"].append(part)
    if not frames["errors"]:
        raise SourceError(display, "no series labelled as errors (5xx, error, fail) in the result")
    series = pd.DataFrame({
        name: pd.concat(parts, axis=1).sum(axis=1, min_count=1) if parts else None
        for name, parts in frames.items()
    })[["total", "errors"]].sort_index()
    return _doc(display, series, True, "prometheus", skipped, lines=len(series), parsed=len(series))


def _doc(display, minutes, zoned, fmt, skipped, *, lines: int, parsed: int,
         services: tuple[str, ...] = ()) -> SourceDoc:
    import numpy as np
    import pandas as pd

    minutes.index.name = "minute"
    minutes = minutes.astype("float64")
    step = minutes.index.to_series().diff().median() if len(minutes) > 1 else pd.Timedelta(minutes=1)
    step_min = max(int(step / pd.Timedelta(minutes=1)), 1) if pd.notna(step) else 1
    none = np.zeros(len(minutes), np.int64)
    counts = Minutes(minutes.index.to_numpy("datetime64[ns]"), minutes["total"].to_numpy("float64"),
                     minutes["errors"].to_numpy("float64"), none, none, (None,) * len(minutes))
    series = LogSeries(SeriesKind.METRICS, fmt, counts, lines=lines, parsed=parsed,
                       zone="UTC" if zoned else None, unit="/min" if step_min == 1 else f"/{step_min}min",
                       fill_gaps=False, services=services)
    source = Source(path=display, type="metrics", role="system", title=fmt, reader=NAME,
                    zone="UTC" if zoned else None, zone_rule=ZoneRule.EXPLICIT if zoned else None)
    return SourceDoc(source, tuple(), tuple(skipped), series=series)



