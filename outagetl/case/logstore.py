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

from ..logs.series import LogSeries, Minutes, SeriesKind
from ..model import Flag, FlagCode, Record, Skip, Source, SourceDoc

NAMED = ("total", "errors", "first_line", "first_error_line", "ts_text")
"""Per-minute columns, each with a column of its own in ``log_minute``."""
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
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _stamp(value) -> str | None:
    """A (naive, as the log wrote it) datetime64 as ISO text, nanoseconds kept."""
    import numpy as np

    if value is None or np.isnat(value):
        return None
    return str(np.datetime64(value, "ns"))


def _source_json(source: Source) -> dict:
    return {f.name: _plain(getattr(source, f.name)) for f in fields(source)}


def _record_json(record: Record) -> dict:
    out = {f.name: _plain(getattr(record, f.name)) for f in fields(record) if f.name not in ("flags", "timestamp")}
    out["timestamp"] = record.timestamp.isoformat() if record.timestamp else None
    return out


def store_log(conn: sqlite3.Connection, source_id: int, doc: SourceDoc) -> None:
    """Write one log's or metric's series, notable lines and skips (inside the caller's transaction)."""
    series: LogSeries = doc.series
    minutes = series.minutes
    meta = {f.name: _plain(getattr(series, f.name)) for f in fields(series) if f.name not in _NOT_META}
    columns = {name: str(getattr(minutes, name).dtype) for name in NAMED if name != "ts_text"}
    body = {"source": _source_json(doc.source), "skipped": [[s.what, s.reason, s.line] for s in doc.skipped]}
    conn.execute("INSERT INTO log_series (source_id, meta, columns, doc) VALUES (?, ?, ?, ?)",
                 (source_id, json.dumps(meta, sort_keys=True), json.dumps(columns), json.dumps(body, ensure_ascii=False)))

    def rows():
        values = [getattr(minutes, name).tolist() for name in NAMED if name != "ts_text"]
        for n, minute in enumerate(minutes.minute):
            cells = [_plain(column[n]) for column in values]
            yield (source_id, n, _stamp(minute), *cells, minutes.ts_text[n], None)

    conn.executemany("INSERT INTO log_minute (source_id, n, minute, total, errors, first_line, first_error_line, "
                     "ts_text, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    conn.executemany(
        "INSERT INTO log_record (source_id, idx, line, text, flags, written_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((source_id, r.index, r.line, r.text, json.dumps([[str(f.code), f.detail, f.sep] for f in r.flags]),
          _stamp(series.record_times.get(r.index)), json.dumps(_record_json(r), ensure_ascii=False))
         for r in doc.records))


def load_log(conn: sqlite3.Connection, source_id: int, path: str) -> SourceDoc:
    """The ``SourceDoc`` the log reader gave when the file was added, named ``path``."""
    import numpy as np

    meta, columns, body = conn.execute("SELECT meta, columns, doc FROM log_series WHERE source_id = ?",
                                       (source_id,)).fetchone()
    meta, columns, body = json.loads(meta), json.loads(columns), json.loads(body)
    rows = conn.execute("SELECT minute, total, errors, first_line, first_error_line, ts_text FROM log_minute "
                        "WHERE source_id = ? ORDER BY n", (source_id,)).fetchall()

    def column(i: int, name: str):
        dtype = np.dtype(columns[name])
        missing = np.nan if dtype.kind == "f" else 0
        return np.array([missing if r[i] is None else r[i] for r in rows], dtype=dtype)

    minutes = Minutes(np.array([np.datetime64(r[0], "ns") for r in rows], dtype="datetime64[ns]"),
                      column(1, "total"), column(2, "errors"), column(3, "first_line"),
                      column(4, "first_error_line"), tuple(r[5] for r in rows))
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
            times[idx] = np.datetime64(written_at, "ns")
    known = {f.name for f in fields(LogSeries)}
    meta = {k: v for k, v in meta.items() if k in known}
    meta["kind"] = SeriesKind(meta["kind"])
    meta["services"] = tuple(meta.get("services") or ())
    series = LogSeries(minutes=minutes, record_times=times, **meta)
    source_fields = {k: v for k, v in body["source"].items() if k in _SOURCE_FIELDS}
    source = Source(**{**source_fields, "path": path})
    skipped = tuple(Skip(path, what, reason, line) for what, reason, line in body["skipped"])
    return SourceDoc(source, tuple(records), skipped, series=series)


_RECORD_FIELDS = {f.name for f in fields(Record)}
_SOURCE_FIELDS = {f.name for f in fields(Source)}
