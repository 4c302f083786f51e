"""Recognise a log's format from its first lines, and parse a batch of lines into one frame.

Every parser returns the same columns, so counting does not care where lines came from:
``line`` (1-based), ``text``, ``ts_text``, ``level`` (error/warning/info/debug or missing),
``body``, ``when`` (naive datetime64: UTC when ``zoned``, else local as written), ``zoned``,
``month`` (for New Year roll-over of year-less formats) and ``reason`` (why a line is unparsed,
missing when parsed). Text formats are a regex per format applied with ``Series.str.extract``.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .logformats import MONTHS, LogFormat, _from_epoch, component_regex, formats, levels, parse_times

TIME_KEYS = ("timestamp", "@timestamp", "time", "ts", "date", "datetime", "t")
LEVEL_KEYS = ("level", "severity", "status", "lvl", "loglevel", "log_level", "levelname",
              "priority", "status_code")
MESSAGE_KEYS = ("message", "msg", "MESSAGE", "log", "event", "error", "err", "body")
# Keys of social posts and status-page entries: a JSON line with these is not a log line.
POST_KEYS = {"text", "content", "full_text", "author", "account", "user", "username", "handle",
             "created_at", "createdAt", "uri", "cid", "incident", "incidents", "page", "components",
             "retweet_count", "favourites_count", "reblogs_count", "record", "post"}
CSV_TIME = ("timestamp", "@timestamp", "time", "ts", "date", "datetime", "time_bucket", "bucket",
            "minute", "when")
CSV_MESSAGE = ("message", "msg", "text", "log", "event", "line", "body", "request", "path", "url")
_HTTP_KEYS = {"status", "status_code", "http_status", "code"}
_WORDS = {
    "error": ("error", "err", "fatal", "critical", "crit", "alert", "emerg", "emergency", "panic",
              "severe", "failure", "failed", "e", "f"),
    "warning": ("warn", "warning", "w"),
    "info": ("info", "information", "informational", "notice", "i"),
    "debug": ("debug", "trace", "verbose", "d", "v"),
}
LEVEL_WORDS = {word: level for level, words in _WORDS.items() for word in words}


@dataclass(frozen=True)
class Parser:
    """How to read one file's lines: a regex format, journal/JSON lines, or delimited text."""

    name: str
    kind: str
    fmt: LogFormat | None = None
    columns: tuple[str, ...] = ()
    delimiter: str = ","
    time: str = ""
    level: str = ""
    message: str = ""

    @property
    def has_year(self) -> bool:
        return self.fmt.has_year if self.fmt else True

    def parse(self, lines: list[str], start: int) -> pd.DataFrame:
        text = pd.Series(lines, dtype=object, index=pd.RangeIndex(start, start + len(lines)))
        if self.kind == "regex":
            out = _parse_regex(self.fmt, text)
        elif self.kind in ("json", "journal"):
            out = _parse_json(self, text)
        else:
            out = _parse_delimited(self, text)
        out.insert(0, "line", text.index.to_numpy())
        return out


def detect(lines: list[str]) -> tuple[Parser | None, float]:
    """The format that most of the first non-empty lines match, and the share they make up."""
    sample = [ln for ln in lines if ln.strip()][:30]
    if not sample:
        return None, 0.0
    best: tuple[Parser | None, float] = (None, 0.0)
    for fmt in formats():
        hits = sum(1 for ln in sample if _matches(fmt, ln))
        if hits / len(sample) > best[1]:
            best = (Parser(fmt.name, "regex", fmt), hits / len(sample))
    for parser, share in (_detect_json(sample), _detect_delimited(sample)):
        if parser and share > best[1]:
            best = (parser, share)
    return best


def _matches(fmt: LogFormat, line: str) -> bool:
    m = fmt.regex.match(line)
    if not m:
        return False
    ts = re.fullmatch(component_regex(fmt.timestamp_format), m.group("timestamp"))
    return bool(ts) and ("b" not in ts.re.groupindex or ts.group("b").lower() in MONTHS)


def _loads(line: str):
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _detect_json(sample: list[str]) -> tuple[Parser | None, float]:
    objs = [_loads(ln) for ln in sample]
    good = [o for o in objs if o is not None]
    if not good:
        return None, 0.0
    if sum("__REALTIME_TIMESTAMP" in o for o in good) / len(sample) > 0.5:
        return Parser("journal-json", "journal", time="__REALTIME_TIMESTAMP", level="PRIORITY",
                      message="MESSAGE"), sum("__REALTIME_TIMESTAMP" in o for o in good) / len(sample)
    keys = {k for o in good for k in o}
    if keys & POST_KEYS:
        return None, 0.0
    time = next((k for k in TIME_KEYS if sum(k in o for o in good) / len(sample) > 0.5), None)
    level = next((k for k in LEVEL_KEYS if k in keys), "")
    message = next((k for k in MESSAGE_KEYS if k in keys), "")
    if not time or not (level or message):
        return None, 0.0
    share = sum(time in o for o in good) / len(sample)
    return Parser("json-lines", "json", time=time, level=level, message=message), share


def _detect_delimited(sample: list[str]) -> tuple[Parser | None, float]:
    header = sample[0]
    delimiter = "\t" if "\t" in header else ","
    try:
        columns = [c.strip() for c in next(csv.reader([header], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return None, 0.0
    lower = [c.lower() for c in columns]
    time = next((columns[lower.index(k)] for k in CSV_TIME if k in lower), None)
    level = next((columns[lower.index(k)] for k in LEVEL_KEYS if k in lower), None)
    message = next((columns[lower.index(k)] for k in CSV_MESSAGE if k in lower), None)
    if not (time and level and message) or len(sample) < 2:
        return None, 0.0
    parser = Parser("csv" if delimiter == "," else "tsv", "delimited", columns=tuple(columns),
                    delimiter=delimiter, time=time, level=level, message=message)
    rows = parser.parse(sample[1:], 2)
    return parser, (1 + int(rows["reason"].isna().sum())) / len(sample)


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
    objs = pd.Series([_loads(ln) for ln in text], index=text.index, dtype=object)
    ok = objs.notna()

    def field(key):
        return objs.map(lambda o: o.get(key) if isinstance(o, dict) else None)

    raw_time = field(parser.time)
    if parser.kind == "journal":
        raw_time = pd.to_numeric(raw_time, errors="coerce") * 1000
    times = _times(raw_time)
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
    times = _times(table[parser.time])
    level = _canonical_level(table[parser.level], parser.level)
    reason = _unparsed(text, ok, f"{parser.name} with {width} columns")
    reason[header] = "header line"
    return _frame(text, table[parser.time], level.where(ok), table[parser.message], times, reason)


def _as_text(value) -> str:
    if isinstance(value, list) and all(isinstance(b, int) for b in value):
        return bytes(b & 0xFF for b in value).decode("utf-8", "replace")
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _times(raw: pd.Series) -> pd.DataFrame:
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
    if key.lower() in _HTTP_KEYS:
        by_num = np.select([num >= 500, num >= 400, num >= 100], ["error", "warning", "info"], None)
    else:
        by_num = np.select([num >= 50, num >= 40, num >= 30, num >= 10, num <= 3, num == 4, num <= 6,
                            num <= 7], ["error", "warning", "info", "debug", "error", "warning",
                                        "info", "debug"], None)
    by_num = pd.Series(by_num, index=raw.index, dtype=object).where(num.notna())
    return words.where(words.notna(), by_num)

