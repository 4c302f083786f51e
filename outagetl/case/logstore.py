"""Logs and metrics in a case file: their ``LogSeries`` (per-minute counts) and notable lines.

A 2 GB log is read once, by ``case add``; what the claims stage needs of it is a few thousand
per-minute rows and a handful of lines (first and last error, deploys, rollbacks), so that is what
is stored — never the lines themselves — and every build rebuilds the same ``SourceDoc`` from it.
The per-minute counts are a table (``log_minute``) a user can query with ``sqlite3`` too.
"""
from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import fields
from datetime import datetime
from enum import Enum

from ..logs.series import LogSeries, SeriesKind
from ..model import Flag, FlagCode, Record, Skip, Source, SourceDoc

NAMED = ("total", "errors", "first_line", "first_error_line", "ts_text")
"""Per-minute columns with a column of their own in ``log_minute``; any other goes to ``extra``."""
_NOT_META = ("minutes", "record_times")


def _plain(value):
    """A value as JSON/SQLite holds it: enums as their word, NaN/NA as NULL, numpy numbers as Python's."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas comes with outagetl
        pass
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _stamp(value) -> str | None:
    """A (naive, as the log wrote it) time as ISO text, nanoseconds kept."""
    return None if value is None or value != value else value.isoformat()


def _source_json(source: Source) -> dict:
    return {f.name: _plain(getattr(source, f.name)) for f in fields(source)}


def _record_json(record: Record) -> dict:
    out = {f.name: _plain(getattr(record, f.name)) for f in fields(record) if f.name not in ("flags", "timestamp")}
    out["timestamp"] = record.timestamp.isoformat() if record.timestamp else None
    return out


def store_log(conn: sqlite3.Connection, source_id: int, doc: SourceDoc) -> None:
    """Write one log's or metric's series, notable lines and skips (inside the caller's transaction)."""
    series: LogSeries = doc.series
    frame = series.minutes
    meta = {f.name: _plain(getattr(series, f.name)) for f in fields(series) if f.name not in _NOT_META}
    columns = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    index_tz = str(frame.index.tz) if getattr(frame.index, "tz", None) is not None else None
    body = {"source": _source_json(doc.source), "skipped": [[s.what, s.reason, s.line] for s in doc.skipped],
            "index": {"name": frame.index.name, "tz": index_tz, "unit": getattr(frame.index, "unit", "ns")}}
    conn.execute("INSERT INTO log_series (source_id, meta, columns, doc) VALUES (?, ?, ?, ?)",
                 (source_id, json.dumps(meta, sort_keys=True), json.dumps(columns), json.dumps(body, ensure_ascii=False)))
    others = [c for c in frame.columns if c not in NAMED]
    named = [c if c in frame.columns else None for c in NAMED]

    def rows():
        values = {c: frame[c].tolist() for c in frame.columns}
        for n, minute in enumerate(frame.index):
            cells = [_plain(values[c][n]) if c else None for c in named]
            extra = {c: _plain(values[c][n]) for c in others} if others else None
            yield (source_id, n, _stamp(minute), *cells, json.dumps(extra) if extra else None)

    conn.executemany("INSERT INTO log_minute (source_id, n, minute, total, errors, first_line, first_error_line, "
                     "ts_text, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    conn.executemany(
        "INSERT INTO log_record (source_id, idx, line, text, flags, written_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((source_id, r.index, r.line, r.text, json.dumps([[str(f.code), f.detail, f.sep] for f in r.flags]),
          _stamp(series.record_times.get(r.index)), json.dumps(_record_json(r), ensure_ascii=False))
         for r in doc.records))


def load_log(conn: sqlite3.Connection, source_id: int, path: str) -> SourceDoc:
    """The ``SourceDoc`` the log reader gave when the file was added, named ``path``."""
    import pandas as pd

    meta, columns, body = conn.execute("SELECT meta, columns, doc FROM log_series WHERE source_id = ?",
                                       (source_id,)).fetchone()
    meta, columns, body = json.loads(meta), json.loads(columns), json.loads(body)
    rows = conn.execute("SELECT minute, total, errors, first_line, first_error_line, ts_text, extra FROM log_minute "
                        "WHERE source_id = ? ORDER BY n", (source_id,)).fetchall()
    data: dict[str, list] = {c: [] for c in columns}
    for row in rows:
        extra = json.loads(row[6]) if row[6] else {}
        for c in columns:
            data[c].append(row[1 + NAMED.index(c)] if c in NAMED else extra.get(c))
    shape = body["index"]
    stamps = [r[0] for r in rows]
    if shape.get("tz"):  # an aware index (none of today's readers makes one) is stored with its offsets
        index = pd.DatetimeIndex(pd.to_datetime(stamps, utc=True)).tz_convert(shape["tz"])
    else:
        index = pd.DatetimeIndex(pd.to_datetime(stamps))
    index = index.as_unit(shape.get("unit", "ns")).rename(shape.get("name"))
    frame = pd.DataFrame({c: pd.Series(v, dtype="object", index=index) for c, v in data.items()}, index=index)
    for c, dtype in columns.items():
        frame[c] = frame[c].astype(dtype) if dtype != "object" else frame[c].astype(object)
    records, times = [], {}
    for idx, line, text, flags, written_at, extra in conn.execute(
            "SELECT idx, line, text, flags, written_at, data FROM log_record WHERE source_id = ? ORDER BY idx",
            (source_id,)):
        fields_ = json.loads(extra)
        stamp = fields_.pop("timestamp", None)
        fields_.update(index=idx, line=line, text=text, source=path,
                       timestamp=datetime.fromisoformat(stamp) if stamp else None,
                       flags=tuple(Flag(FlagCode(code), detail, sep) for code, detail, sep in json.loads(flags)))
        records.append(Record(**{k: v for k, v in fields_.items() if k in _RECORD_FIELDS}))
        if written_at:
            times[idx] = pd.Timestamp(written_at)
    known = {f.name for f in fields(LogSeries)}
    meta = {k: v for k, v in meta.items() if k in known}
    meta["kind"] = SeriesKind(meta["kind"])
    meta["services"] = tuple(meta.get("services") or ())
    series = LogSeries(minutes=frame, record_times=times, **meta)
    source_fields = {k: v for k, v in body["source"].items() if k in _SOURCE_FIELDS}
    source = Source(**{**source_fields, "path": path})
    skipped = tuple(Skip(path, what, reason, line) for what, reason, line in body["skipped"])
    return SourceDoc(source, tuple(records), skipped, series=series)


_RECORD_FIELDS = {f.name for f in fields(Record)}
_SOURCE_FIELDS = {f.name for f in fields(Source)}
