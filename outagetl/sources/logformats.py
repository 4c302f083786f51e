"""Log formats as data (lnav-style JSON in ``data/formats``) and vectorised timestamp parsing.

A format is a named regex with a ``timestamp`` group; ``timestamp_format`` names how to read that
group. Every timestamp format compiles to one component regex (Y, y, m, b, d, H, Mi, S, f, z, e), so
a whole column of timestamps is parsed with ``Series.str.extract`` and assembled by pandas, never
line by line, and the same regexes could be handed to Spark's ``regexp_extract``.
Month names come from a fixed English table, never from the machine's locale.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pandas as pd

MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}

# Lines without a year get placeholder leap years (so Feb 29 survives), one step per New Year crossed.
YEAR_PLACEHOLDER = 2000
YEAR_STEP = 4

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


_SYSLOG_SEVERITY = np.array(["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"],
                            dtype=object)


def levels(fmt: LogFormat, groups: pd.DataFrame, line: pd.Series) -> pd.Series:
    """Canonical level (error, warning, info, debug or missing) of each parsed line."""
    if fmt.level_field == "pri":
        pri = pd.to_numeric(groups["pri"], errors="coerce")
        field = pd.Series(_SYSLOG_SEVERITY[(pri.fillna(6).astype(int) % 8).to_numpy()],
                          index=groups.index).where(pri.notna())
    elif fmt.level_field in groups:
        field = groups[fmt.level_field]
    else:
        field = line
    field = field.fillna("").astype(object)
    out = pd.Series(None, index=groups.index, dtype=object)
    for level, pattern in fmt.levels:
        hit = field.str.contains(pattern, regex=True) & out.isna()
        out[hit] = level
    return out


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
        year = yy + np.where(yy < 69, 2000, 1900)
    else:
        year = pd.Series(np.nan, index=idx)
    month = num("m") if "m" in parts else parts["b"].str.lower().map(MONTHS).astype("float64") \
        if "b" in parts else pd.Series(np.nan, index=idx)
    frac = parts["f"].fillna("").str.ljust(9, "0").str[:9] if "f" in parts else None
    fields = pd.DataFrame({
        "year": year.fillna(YEAR_PLACEHOLDER),
        "month": month, "day": num("d"), "hour": num("H"), "minute": num("Mi"),
        "second": num("S").fillna(0),
    })
    ok = fields.notna().all(axis=1)
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
    return pd.DataFrame({"when": when, "zoned": zoned & when.notna(), "month": month})


def _from_epoch(e: pd.Series) -> pd.DataFrame:
    """Epoch seconds, ms, µs or ns, told apart by magnitude; always UTC."""
    value = pd.to_numeric(e, errors="coerce")
    scale = np.select([value < 1e11, value < 1e14, value < 1e17], [1e9, 1e6, 1e3], 1.0)
    ns = value * scale
    valid = value.notna() & (ns < 4.1e18)
    when = pd.Series(pd.NaT, index=e.index, dtype="datetime64[ns]")
    if valid.any():
        when[valid] = pd.to_datetime(ns[valid].astype("int64"), unit="ns")
    return pd.DataFrame({"when": when, "zoned": when.notna(), "month": when.dt.month.astype("float64")})
