"""Log formats as data (lnav-style JSON in ``data/formats``) and recognising a log from its first lines.

A format is a named regex with a ``timestamp`` group; ``timestamp_format`` names how to read that
group. Every timestamp format compiles to one component regex (Y, y, m, b, d, H, Mi, S, f, z, e), so
every engine reads a whole column of timestamps the same way: the reference engine with
``Series.str.extract``, the fast one with RE2 or by byte position, Spark with ``regexp_extract``.
Besides regex formats, journal JSON, JSON Lines and CSV/TSV exports are recognised by their keys.
What the components mean (months, years, placeholders) is ``stamps``.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from .stamps import MONTHS

if TYPE_CHECKING:
    import pandas as pd

_NAMED = {
    "rfc3164": r"(?P<b>[A-Za-z]{3}) +(?P<d>\d{1,2}) (?P<H>\d\d):(?P<Mi>\d\d):(?P<S>\d\d)",
    "iso8601": (r"(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)[T ](?P<H>\d\d):(?P<Mi>\d\d)"
                r"(?::(?P<S>\d\d)(?:[.,](?P<f>\d{1,9}))?)? ?(?P<z>Z|[+-]\d\d:?\d\d)?"),
    "apache": (r"(?P<d>\d\d)/(?P<b>[A-Za-z]{3})/(?P<Y>\d{4}):(?P<H>\d\d):(?P<Mi>\d\d):(?P<S>\d\d)"
               r" (?P<z>[+-]\d{4})"),
    "ctime": (r"[A-Za-z]{3} (?P<b>[A-Za-z]{3}) +(?P<d>\d{1,2}) (?P<H>\d\d):(?P<Mi>\d\d):(?P<S>\d\d)"
              r"(?:\.(?P<f>\d{1,9}))? (?P<Y>\d{4})"),
    "epoch": r"(?P<e>\d{9,19}(?:\.\d+)?)",
}
_DIRECTIVES = {"Y": r"(?P<Y>\d{4})", "y": r"(?P<y>\d\d)", "m": r"(?P<m>\d\d?)", "d": r"(?P<d>\d\d?)",
               "H": r"(?P<H>\d\d?)", "M": r"(?P<Mi>\d\d)", "S": r"(?P<S>\d\d)", "f": r"(?P<f>\d{1,9})",
               "z": r"(?P<z>Z|[+-]\d\d:?\d\d)", "%": "%"}


@dataclass(frozen=True)
class LogFormat:
    name: str
    description: str
    regex: re.Pattern
    timestamp_format: str
    level_field: str
    levels: tuple[tuple[str, str], ...]
    samples: tuple[str, ...]
    fast_extract: str = ""

    @property
    def has_year(self) -> bool:
        rx = component_regex(self.timestamp_format)
        return any(group in rx for group in ("(?P<Y>", "(?P<y>", "(?P<e>"))


SYSLOG_SEVERITY = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug")


@cache
def _level_patterns(fmt: LogFormat) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((level, re.compile(pattern)) for level, pattern in fmt.levels)


def level_of(fmt: LogFormat, field: str | None) -> str | None:
    """The canonical level (error, warning, info, debug or None) of one line's level field (or,
    for formats without one, its text): the first of the format's level patterns that matches;
    a syslog PRI number is read as its severity name first."""
    value = field if isinstance(field, str) else ""
    if fmt.level_field == "pri":
        value = SYSLOG_SEVERITY[int(value) % 8] if value.isdigit() else ""
    return next((level for level, pattern in _level_patterns(fmt) if pattern.search(value)), None)


@cache
def component_regex(timestamp_format: str) -> str:
    """The component regex for a named format or a strptime pattern with numeric directives only."""
    if timestamp_format in _NAMED:
        return _NAMED[timestamp_format]
    out, i = [], 0
    while i < len(timestamp_format):
        ch = timestamp_format[i]
        if ch == "%":
            code = timestamp_format[i + 1:i + 2]
            if code not in _DIRECTIVES:
                raise ValueError(f"strptime directive %{code} is not numeric; use a named format")
            out.append(_DIRECTIVES[code])
            i += 2
        else:
            out.append(" +" if ch == " " else re.escape(ch))
            i += 1
    return "".join(out)


def _load(raw: dict) -> LogFormat:
    component_regex(raw["timestamp_format"])
    regex = re.compile(raw["regex"])
    if "timestamp" not in regex.groupindex:
        raise ValueError(f"format {raw['name']}: regex needs a 'timestamp' group")
    return LogFormat(raw["name"], raw.get("description", ""), regex, raw["timestamp_format"],
                     raw.get("level_field", "level"), tuple(raw.get("levels", {}).items()),
                     tuple(raw.get("samples", ())), raw.get("fast_extract", ""))


@lru_cache(maxsize=1)
def formats() -> tuple[LogFormat, ...]:
    folder = resources.files("outagetl") / "data" / "formats"
    found = sorted((p for p in folder.iterdir() if p.name.endswith(".json")), key=lambda p: p.name)
    return tuple(_load(json.loads(p.read_text(encoding="utf-8"))) for p in found)


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
HTTP_KEYS = {"status", "status_code", "http_status", "code"}
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
        """The reference engine's frame for these lines (numbered from ``start``)."""
        from .reference import parse

        return parse(self, lines, start)


def detect(lines: list[str], floor: float = 0.0) -> tuple[Parser | None, float]:
    """The format that most of the first non-empty lines match, and the share they make up.
    A format is given up at the line that shows it cannot match more than ``floor`` of them
    (sniffing, which counts no share of a half or less, passes 0.5: a story's lines miss every
    format, each from its first line on); the best share is the same whenever it is above."""
    sample = [ln for ln in lines if ln.strip()][:30]
    if not sample:
        return None, 0.0
    best: tuple[Parser | None, float] = (None, 0.0)
    most_misses = len(sample) * (1 - floor)
    for fmt in formats():
        hits = misses = 0
        for ln in sample:
            if _matches(fmt, ln):
                hits += 1
            else:
                misses += 1
                if floor and misses >= most_misses:
                    break
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


def json_object(line: str):
    """The JSON object a line holds, else None. A line whose first non-space character is no ``{``
    holds none, told without ``json.loads`` raising (every story's first lines are sniffed)."""
    if not line.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _detect_json(sample: list[str]) -> tuple[Parser | None, float]:
    objs = [json_object(ln) for ln in sample]
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
