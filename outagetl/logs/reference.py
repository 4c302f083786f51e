"""The reference engine: a batch of log lines → one pandas frame, with Python's ``re``.

Every engine returns the same columns, so counting does not care where lines came from:
``line`` (1-based), ``text``, ``ts_text``, ``level`` (error/warning/info/debug or missing),
``body``, ``when`` (naive datetime64: UTC when ``zoned``, else local as written), ``zoned``,
``month`` (for New Year roll-over of year-less formats) and ``reason`` (why a line is unparsed,
missing when parsed). Regex formats are applied with ``Series.str.extract``, timestamps assembled
from their components column by column; JSON and delimited lines are read with ``json``/``csv``.
This engine reads anything; the fast one (``fast``) must give its results, row for row.
"""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from . import stamps
from .formats import HTTP_KEYS, LEVEL_WORDS, LogFormat, Parser, component_regex, json_object, level_of


def to_batch(frame: pd.DataFrame):
    """The frame as the numpy columns ``Tally`` counts, change words looked up in the bodies."""
    from .changes import change_sort
    from .tally import Batch

    ok = frame["reason"].isna().to_numpy()
    codes, names = pd.factorize(frame["level"])
    change = np.full(len(frame), None, dtype=object)
    bodies = frame["body"].to_numpy(dtype=object)
    for i in np.flatnonzero(ok):
        body = bodies[i]
        change[i] = change_sort(body if isinstance(body, str) else "")
    return Batch(line=frame["line"].to_numpy(np.int64), ok=ok, reason=np.array(frame["reason"], dtype=object),
                 when=frame["when"].to_numpy("datetime64[ns]"), zoned=frame["zoned"].to_numpy(bool),
                 month=frame["month"].to_numpy("float64"), error=(frame["level"] == "error").to_numpy(bool),
                 change=change, level_codes=np.asarray(codes, np.int64), level_names=tuple(names),
                 text=frame["text"].to_numpy(dtype=object), ts_text=[v if isinstance(v, str) else None
                                                                     for v in frame["ts_text"]])


OUT_OF_RANGE = (f"timestamp outside the years {stamps.MIN_YEAR}-{stamps.MAX_YEAR} "
                "(a time in nanoseconds holds no other)")


def parse(parser: Parser, lines: list[str], start: int) -> pd.DataFrame:
    """The frame for ``lines``, numbered from ``start``."""
    text = pd.Series(lines, dtype=object, index=pd.RangeIndex(start, start + len(lines)))
    if parser.kind == "regex":
        out = _parse_regex(parser.fmt, text)
    elif parser.kind in ("json", "journal"):
        out = _parse_json(parser, text)
    else:
        out = _parse_delimited(parser, text)
    out.insert(0, "line", text.index.to_numpy())
    return out


def levels(fmt: LogFormat, groups: pd.DataFrame, line: pd.Series) -> pd.Series:
    """Canonical level (error, warning, info, debug or missing) of each parsed line (``level_of``,
    once per distinct value)."""
    field = groups[fmt.level_field] if fmt.level_field == "pri" or fmt.level_field in groups else line
    codes, uniques = pd.factorize(field)
    names = np.array([level_of(fmt, u) for u in uniques] + [level_of(fmt, None)], dtype=object)
    return pd.Series(names[codes], index=groups.index, dtype=object)


def parse_times(ts: pd.Series, timestamp_format: str) -> pd.DataFrame:
    """Parse a column of timestamp strings; returns ``when`` (naive datetime64, NaT on failure),
    ``zoned`` (True when the time was converted to UTC from an offset or epoch) and ``month``."""
    parts = ts.astype(object).str.extract("^" + component_regex(timestamp_format) + "$")
    return assemble(parts)


def assemble(parts: pd.DataFrame) -> pd.DataFrame:
    """Vectorised datetime from extracted components (see ``component_regex``)."""
    idx = parts.index
    if "e" in parts:
        return _from_epoch(parts["e"])

    def num(col, default=None):
        if col in parts:
            return pd.to_numeric(parts[col], errors="coerce")
        return pd.Series(default, index=idx, dtype="float64")

    if "Y" in parts:
        year = num("Y")
    elif "y" in parts:
        yy = num("y")
        year = stamps.century(yy)
    else:
        year = pd.Series(np.nan, index=idx)
    month = num("m") if "m" in parts else parts["b"].str.lower().map(stamps.MONTHS).astype("float64") \
        if "b" in parts else pd.Series(np.nan, index=idx)
    frac = parts["f"].fillna("").str.ljust(9, "0").str[:9] if "f" in parts else None
    fields = pd.DataFrame({
        "year": year.fillna(stamps.PLACEHOLDER_YEAR),
        "month": month, "day": num("d"), "hour": num("H"), "minute": num("Mi"),
        "second": num("S").fillna(0),
    })
    ok = fields.notna().all(axis=1)
    far = ok & ~fields["year"].between(stamps.MIN_YEAR, stamps.MAX_YEAR)
    ok &= ~far
    when = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    if ok.any():
        good = fields[ok].astype("int64")
        when[ok] = pd.to_datetime(good, errors="coerce")
        if frac is not None:
            ns = pd.to_numeric(frac[ok], errors="coerce").fillna(0)
            when[ok] = when[ok] + pd.to_timedelta(ns.astype("int64"), unit="ns")
    zoned = pd.Series(False, index=idx)
    if "z" in parts:
        z = parts["z"]
        zoned = z.notna()
        if zoned.any():
            m = z[zoned].str.extract(r"^(?:(?P<zulu>Z)|(?P<sign>[+-])(?P<hh>\d\d):?(?P<mm>\d\d))$")
            minutes = (pd.to_numeric(m["hh"], errors="coerce").fillna(0) * 60
                       + pd.to_numeric(m["mm"], errors="coerce").fillna(0))
            minutes = minutes.where(m["sign"] != "-", -minutes)
            when[zoned] = when[zoned] - pd.to_timedelta(minutes, unit="min")
    return pd.DataFrame({"when": when, "zoned": zoned & when.notna(), "month": month, "far": far})


def _from_epoch(e: pd.Series) -> pd.DataFrame:
    """Epoch seconds, ms, µs or ns, told apart by magnitude; always UTC."""
    value = pd.to_numeric(e, errors="coerce")
    ns = stamps.epoch_ns(value)
    valid = value.notna() & (ns < stamps.MAX_EPOCH_NS)
    when = pd.Series(pd.NaT, index=e.index, dtype="datetime64[ns]")
    if valid.any():
        when[valid] = pd.to_datetime(ns[valid].astype("int64"), unit="ns")
    return pd.DataFrame({"when": when, "zoned": when.notna(), "month": when.dt.month.astype("float64"),
                         "far": False}, index=e.index)


def _unparsed(text: pd.Series, matched: pd.Series, what: str) -> pd.Series:
    reason = pd.Series(None, index=text.index, dtype=object)
    blank = text.str.strip() == ""
    cont = ~blank & text.str.match(r"\s")
    reason[~matched] = f"does not match format {what}"
    reason[~matched & cont] = "continuation line without a timestamp (part of the entry above)"
    reason[~matched & blank] = "blank line"
    return reason


def _frame(text, ts_text, level, body, times, reason) -> pd.DataFrame:
    bad_time = reason.isna() & times["when"].isna()
    reason = reason.copy()
    reason[bad_time] = "timestamp does not parse"
    if "far" in times:
        reason[bad_time & times["far"].fillna(False).astype(bool)] = OUT_OF_RANGE
    return pd.DataFrame({"text": text, "ts_text": ts_text, "level": level, "body": body,
                         "when": times["when"], "zoned": times["zoned"].astype(bool),
                         "month": times["month"], "reason": reason})


def _parse_regex(fmt: LogFormat, text: pd.Series) -> pd.DataFrame:
    groups = text.str.extract(fmt.regex)
    matched = groups["timestamp"].notna()
    reason = _unparsed(text, matched, fmt.name)
    times = parse_times(groups["timestamp"], fmt.timestamp_format)
    body = groups.get("body", text)
    level = levels(fmt, groups, text).where(matched)
    return _frame(text, groups["timestamp"], level, body, times, reason)


def _parse_json(parser: Parser, text: pd.Series) -> pd.DataFrame:
    objs = pd.Series([json_object(ln) for ln in text], index=text.index, dtype=object)
    ok = objs.notna()

    def field(key):
        return objs.map(lambda o: o.get(key) if isinstance(o, dict) else None)

    raw_time = field(parser.time)
    if parser.kind == "journal":
        raw_time = pd.to_numeric(raw_time, errors="coerce") * 1000
    times = mixed_times(raw_time)
    level = _canonical_level(field(parser.level) if parser.level else raw_time.map(lambda _: None),
                             parser.level)
    body = field(parser.message).map(_as_text) if parser.message else text
    reason = _unparsed(text, ok, parser.name)
    reason[ok & raw_time.isna()] = f"no {parser.time!r} field"
    ts_text = raw_time.map(lambda v: None if v is None or v != v else str(v))
    if parser.kind == "journal":
        ts_text = field(parser.time).map(lambda v: None if v is None else str(v))
    return _frame(text, ts_text, level.where(ok), body, times, reason)


def _parse_delimited(parser: Parser, text: pd.Series) -> pd.DataFrame:
    width = len(parser.columns)
    rows = []
    for ln in text:
        try:
            row = next(csv.reader([ln], delimiter=parser.delimiter), [])
        except csv.Error:
            row = []
        rows.append(row if len(row) == width else None)
    ok = pd.Series([r is not None for r in rows], index=text.index)
    table = pd.DataFrame([r if r is not None else [None] * width for r in rows],
                         columns=list(parser.columns), index=text.index, dtype=object)
    header = ok & (table[parser.time] == parser.time)
    times = mixed_times(table[parser.time])
    level = _canonical_level(table[parser.level], parser.level)
    reason = _unparsed(text, ok, f"{parser.name} with {width} columns")
    reason[header] = "header line"
    return _frame(text, table[parser.time], level.where(ok), table[parser.message], times, reason)


def _as_text(value) -> str:
    if isinstance(value, list) and all(isinstance(b, int) for b in value):
        return bytes(b & 0xFF for b in value).decode("utf-8", "replace")
    return value if isinstance(value, str) else ("" if value is None else str(value))


def mixed_times(raw: pd.Series) -> pd.DataFrame:
    """ISO strings or epoch numbers (s, ms, µs, ns by magnitude), mixed in one column."""
    numeric = pd.to_numeric(raw.map(lambda v: v if isinstance(v, (int, float, str)) and
                                    not isinstance(v, bool) else None), errors="coerce")
    strings = raw.map(lambda v: v.strip() if isinstance(v, str) else None)
    iso = parse_times(strings.where(numeric.isna()), "iso8601")
    epoch = _from_epoch(numeric)
    use_epoch = numeric.notna()
    return pd.DataFrame({col: iso[col].where(~use_epoch, epoch[col]) for col in iso.columns}).astype(
        {"zoned": bool})


def _canonical_level(raw: pd.Series, key: str) -> pd.Series:
    """Level words, HTTP statuses, syslog severities (0-7) and pino/bunyan numbers (10-60)."""
    num = pd.to_numeric(raw.map(lambda v: v if isinstance(v, (int, float, str)) and
                                not isinstance(v, bool) else None), errors="coerce")
    words = raw.map(lambda v: LEVEL_WORDS.get(v.strip().lower()) if isinstance(v, str) else None)
    if key.lower() in HTTP_KEYS:
        by_num = np.select([num >= 500, num >= 400, num >= 100], ["error", "warning", "info"], None)
    else:
        by_num = np.select([num >= 50, num >= 40, num >= 30, num >= 10, num <= 3, num == 4, num <= 6,
                            num <= 7], ["error", "warning", "info", "debug", "error", "warning",
                                        "info", "debug"], None)
    by_num = pd.Series(by_num, index=raw.index, dtype=object).where(num.notna())
    return words.where(words.notna(), by_num)

