"""Fast path for regex log formats: raw bytes → Arrow strings → RE2 kernels (``pyarrow.compute``).

Python's ``re`` costs microseconds per line; RE2 over a whole Arrow column costs a fraction of
that. RE2 and ``re`` agree on ASCII text for these patterns (``\\s`` is spelled out), so ASCII lines
that match take the fast path, and every other line (non-ASCII, not matching, an unusual timestamp,
a possible level or change word to confirm) goes through the reference engine (``reference``).
The result is the reference result, row for row; only the cost differs.
Batches hold exactly ``BATCH`` lines, like the reference engine's.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import engine, stamps
from .changes import change_prefilter, change_sort
from .files import open_raw
from .formats import LogFormat, Parser, component_regex
from .reference import _parse_regex, levels, parse_times

CHUNK_BYTES = 4 << 20


class FastEngine:
    """Regex formats in UTF-8: bytes → Arrow lines → RE2; the reference's rows, faster."""

    name = "fast"

    def accepts(self, parser: Parser, encoding: str) -> bool:
        return parser.kind == "regex" and encoding in ("utf-8", "utf-8-sig")

    def batches(self, path: Path, display: str, encoding: str) -> Iterator[pa.StringArray]:
        with open_raw(path) as raw:
            if encoding == "utf-8-sig":
                raw.read(3)
            pending, size = [], 0
            for block in byte_chunks(raw):
                lines = to_lines(block)
                pending.append(lines)
                size += len(lines)
                while size >= (batch := engine.BATCH):
                    joined = pa.concat_arrays(pending) if len(pending) > 1 else pending[0]
                    yield joined.slice(0, batch)
                    pending, size = [joined.slice(batch)], size - batch
            if size:
                yield pa.concat_arrays(pending) if len(pending) > 1 else pending[0]

    def parse(self, parser: Parser, batch: pa.StringArray, start: int) -> pd.DataFrame:
        return parse(parser.fmt, batch, start)
_SPACE = r"\t-\r\x1c-\x20"
_MONTHS = pa.array(list(stamps.MONTHS))
_CUM_DAYS = np.array([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334], dtype=np.int64)


def re2(pattern: str) -> str:
    """``re`` syntax → RE2 with the same meaning on ASCII: ``\\s`` also covers \\v and \\x1c-\\x1f."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "s":
                out.append(_SPACE if in_class else f"[{_SPACE}]")
            elif nxt == "S" and not in_class:
                out.append(f"[^{_SPACE}]")
            elif nxt == "S":
                raise ValueError("\\S inside a character class has no RE2 spelling here")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                out.append("[^")
                i += 2
                if pattern[i:i + 1] == "]":
                    out.append("]")
                    i += 1
                continue
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def loose(pattern: str) -> str:
    """A superset of ``pattern`` for a prefilter: lookarounds, anchors and \\b dropped."""
    pattern = re.sub(r"\(\?<?[=!](?:[^()\\]|\\.|\([^()]*\))*\)", "", pattern)
    pattern = re.sub(r"\\[bBAZ]", "", pattern)
    return re.sub(r"(?<!\\)(?<!\[)[\^$]", "", pattern)


@cache
def plan(fmt: LogFormat) -> dict:
    """What RE2 runs for a format: the full-line test, the extraction, and the level prefilter."""
    keep = {"timestamp", fmt.level_field}
    full = re2(fmt.regex.pattern)
    extract = re2(fmt.fast_extract) if fmt.fast_extract else re.sub(
        r"\(\?P<(\w+)>", lambda m: m.group(0) if m.group(1) in keep else "(?:", full)
    on_group = fmt.level_field in fmt.regex.groupindex and fmt.level_field != "body"
    level_filter = None
    if not on_group and fmt.levels:
        level_filter = "|".join(f"(?:{re2(loose(p))})" for _, p in fmt.levels)
    prefilter = change_prefilter() if level_filter is None else f"{level_filter}|{change_prefilter()}"
    return {"full": full, "extract": extract, "on_group": on_group, "prefilter": prefilter,
            "stamp": "^" + component_regex(fmt.timestamp_format) + "$"}


def byte_chunks(raw: BinaryIO, first: bytes = b"") -> Iterator[bytes]:
    """Blocks of whole lines (cut after a newline), about ``CHUNK_BYTES`` each."""
    rest = first
    while True:
        data = raw.read(CHUNK_BYTES)
        if not data:
            break
        data = rest + data if rest else data
        cut = data.rfind(b"\n") + 1
        rest, data = (data, b"") if cut == 0 else (data[cut:], data[:cut])
        if data:
            yield data
    if rest:
        yield rest


def to_lines(data: bytes) -> pa.StringArray:
    """Lines of a block as an Arrow column, the way a universal-newline text reader splits them."""
    if b"\x00" in data or not _utf8(data):
        return _decoded_lines(data)
    if b"\r" in data:
        if data.count(b"\r") != data.count(b"\r\n"):
            return _decoded_lines(data)
        data = data.replace(b"\r\n", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    offsets = np.empty(len(ends) + 1, np.int32)
    offsets[0] = 0
    offsets[1:] = ends + 1
    arr = pa.StringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(data))
    return pc.utf8_slice_codeunits(arr, 0, -1)


def _utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decoded_lines(data: bytes) -> pa.StringArray:
    import io

    text = data.decode("utf-8", errors="replace")
    lines = [ln.rstrip("\n").replace("\x00", "") for ln in io.StringIO(text, newline=None)]
    return pa.array(lines, pa.string())


def parse(fmt: LogFormat, arr: pa.StringArray, start: int) -> pd.DataFrame:
    """The columns ``Tally`` needs for a batch of lines, equal to the reference engine's row for row
    (``body`` replaced by ``change``, the change sort found in it)."""
    p = plan(fmt)
    n = len(arr)

    def hits(column, pattern):
        return pc.match_substring_regex(column, pattern).to_numpy(zero_copy_only=False)

    fast = hits(arr, p["full"]) & pc.string_is_ascii(arr).to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(fast)
    groups = pc.extract_regex(arr if idx.size == n else pc.take(arr, pa.array(idx)), p["extract"])
    when, zoned, month, good = _times(groups.field("timestamp"), fmt.timestamp_format, p["stamp"])
    ok = np.zeros(n, bool)
    ok[idx[good]] = True
    level = np.full(n, None, dtype=object)
    if p["on_group"]:
        level[idx] = _group_levels(fmt, groups.field(fmt.level_field))
    check = ok & hits(arr, p["prefilter"])
    ok &= ~check
    stamps = _scatter(n, idx, groups.field("timestamp"))
    frame = pd.DataFrame({
        "line": np.arange(start, start + n),
        "text": pd.arrays.ArrowExtensionArray(arr),
        "ts_text": None,
        "level": _objects(level),
        "when": _spread(n, idx, when, np.datetime64("NaT", "ns")),
        "zoned": _spread(n, idx, zoned, False),
        "month": _spread(n, idx, month, np.nan),
        "reason": _objects(np.full(n, None, dtype=object)),
        "change": _objects(np.full(n, None, dtype=object)),
    })
    stamps = _fill_reference(fmt, frame, arr, np.flatnonzero(~ok & ~check), stamps)
    frame["ts_text"] = pd.arrays.ArrowExtensionArray(stamps)
    _fill_words(fmt, frame, arr, np.flatnonzero(check), not p["on_group"])
    return frame


def _scatter(n: int, idx: np.ndarray, values: pa.Array) -> pa.Array:
    """``values`` (one per fast row) at their rows of the batch, missing elsewhere, as Arrow."""
    if idx.size != n:
        where = np.full(n, -1, np.int64)
        where[idx] = np.arange(idx.size)
        values = pc.take(values, pa.array(where, mask=where < 0))
    return values


def _objects(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=object)


def _spread(n, idx, values, missing):
    out = np.full(n, missing, dtype=values.dtype if values.dtype != bool else bool)
    out[idx] = values
    return out


def _fill_reference(fmt, frame, arr, rows, stamps: pa.Array) -> pa.Array:
    """Rows only ``re`` can read (non-ASCII, not matching, odd stamps): the reference parser's values."""
    if rows.size == 0:
        return stamps
    text = pd.Series(pc.take(arr, pa.array(rows)).to_pylist(), dtype=object, index=frame.index[rows])
    ref = _parse_regex(fmt, text)
    for col in ("when", "zoned", "month", "level", "reason"):
        frame.iloc[rows, frame.columns.get_loc(col)] = ref[col].to_numpy()
    mask = np.zeros(len(frame), bool)
    mask[rows] = True
    frame.iloc[rows, frame.columns.get_loc("change")] = [
        change_sort(b) for b in ref["body"].fillna("").astype(object)]
    found = pa.array([v if isinstance(v, str) else None for v in ref["ts_text"]], pa.string())
    return pc.replace_with_mask(stamps, pa.array(mask), found)


def _fill_words(fmt, frame, arr, rows, level: bool) -> None:
    """Rows the fast path read but whose level (from the message) or change word needs ``re``."""
    if rows.size == 0:
        return
    texts = pc.take(arr, pa.array(rows)).to_pylist()
    found = [fmt.regex.match(t) for t in texts]
    body = [m.group("body") or "" if "body" in fmt.regex.groupindex else t for m, t in zip(found, texts, strict=True)]
    frame.iloc[rows, frame.columns.get_loc("change")] = [change_sort(b) for b in body]
    if level:
        field = fmt.level_field
        groups = pd.DataFrame({field: [m.group(field) for m in found]} if field in fmt.regex.groupindex
                              else {}, index=rows, dtype=object)
        names = levels(fmt, groups, pd.Series(texts, index=rows, dtype=object))
        frame.iloc[rows, frame.columns.get_loc("level")] = names.to_numpy(dtype=object)


def _group_levels(fmt: LogFormat, field: pa.Array) -> np.ndarray:
    coded = pc.dictionary_encode(field)
    uniques = pd.Series(coded.dictionary.to_pylist(), dtype=object).replace("", np.nan)
    names = levels(fmt, pd.DataFrame({fmt.level_field: uniques}), uniques).to_numpy(dtype=object)
    names = np.array([v if isinstance(v, str) else None for v in names], dtype=object)
    return names[coded.indices.to_numpy(zero_copy_only=False)]


def _times(ts: pa.Array, timestamp_format: str, stamp: str):
    """Vectorised ``parse_times`` for ASCII stamps; ``good`` is False where the reference must decide.
    Stamps laid out like the first one are read by byte position; the others by RE2 groups."""
    if "(?P<e>" in stamp or len(ts) == 0:
        return _general(ts, timestamp_format, stamp)
    layout = _layout(ts[0].as_py(), stamp)
    if layout is None:
        return _general(ts, timestamp_format, stamp)
    check, spans = layout
    same = pc.match_substring_regex(ts, check).to_numpy(zero_copy_only=False)
    if not same.all():
        out = [np.empty(len(ts), dtype=d) for d in ("datetime64[ns]", bool, "float64", bool)]
        rows = np.flatnonzero(same)
        for part, values in ((rows, _fixed(pc.take(ts, pa.array(rows)), spans)),
                                    (np.flatnonzero(~same), _general(pc.filter(ts, pa.array(~same)),
                                                                     timestamp_format, stamp))):
            for target, value in zip(out, values, strict=True):
                target[part] = value
        return tuple(out)
    return _fixed(ts, spans)


def _layout(sample: str, stamp: str):
    """An exact-position RE2 pattern for stamps shaped like ``sample``, and its field spans."""
    m = re.match(stamp, sample)
    if not m:
        return None
    spans = {k: m.span(k) for k, v in m.groupdict().items() if v is not None}
    owner = {i: k for k, (a, b) in spans.items() for i in range(a, b)}
    out = []
    for i, ch in enumerate(sample):
        kind = owner.get(i)
        if kind == "b":
            out.append("[A-Za-z]")
        elif kind and ch.isdigit():
            out.append(r"\d")
        elif kind == "z" and ch in "+-":
            out.append("[+-]")
        else:
            out.append(re.escape(ch))
    return "^" + "".join(out) + "$", spans


def _fixed(ts: pa.Array, spans: dict):
    n = len(ts)
    width = len(ts[0].as_py()) if n else 0
    start = np.frombuffer(ts.buffers()[1], np.int32)[ts.offset] if n else 0
    mat = np.frombuffer(ts.buffers()[2], np.uint8)[start:start + n * width].reshape(n, width)

    def num(name, default=-1):
        if name not in spans:
            return np.full(n, float(default))
        a, b = spans[name]
        value = np.zeros(n, np.int64)
        for col in range(a, b):
            value = value * 10 + (mat[:, col] - 48)
        return value.astype("float64")

    if "b" in spans:
        a, _ = spans["b"]
        code = ((mat[:, a].astype(np.int64) | 0x20) << 16) | ((mat[:, a + 1] | 0x20).astype(np.int64) << 8) \
            | (mat[:, a + 2] | 0x20)
        names = np.array([ord(m[0]) << 16 | ord(m[1]) << 8 | ord(m[2]) for m in stamps.MONTHS])
        order = np.argsort(names)
        pos = np.clip(np.searchsorted(names[order], code), 0, 11)
        month = np.where(names[order][pos] == code, order[pos] + 1.0, np.nan)
    else:
        month = num("m", np.nan)
    frac = np.zeros(n)
    if "f" in spans:
        a, b = spans["f"]
        frac = num("f") * 10.0 ** (9 - (b - a))
    offset = np.zeros(n)
    if "z" in spans and spans["z"][1] - spans["z"][0] > 1:
        a, b = spans["z"]
        sign = np.where(mat[:, a] == ord("-"), -1.0, 1.0)
        hh = (mat[:, a + 1].astype(np.int64) - 48) * 10 + mat[:, a + 2] - 48
        mm = (mat[:, b - 2].astype(np.int64) - 48) * 10 + mat[:, b - 1] - 48
        offset = sign * (hh * 60 + mm)
    year = _full_year(spans, num, n)
    zoned = np.full(n, "z" in spans)
    return _assemble(year, month, num("d"), num("H"), num("Mi"), num("S", 0), frac, offset, zoned,
                     np.ones(n, bool))


def _full_year(fields, num, n: int) -> np.ndarray:
    """A four-digit year, a two-digit one (69–99 → 19xx, POSIX's pivot), or the placeholder a
    year-less format gets until the incident window places it."""
    if "Y" in fields:
        return num("Y")
    if "y" in fields:
        yy = num("y")
        return stamps.century(yy)
    return np.full(n, float(stamps.PLACEHOLDER_YEAR))


def _general(ts: pa.Array, timestamp_format: str, stamp: str):
    if "(?P<e>" in stamp:
        ref = parse_times(pd.Series(ts.to_pylist(), dtype=object), timestamp_format)
        good = ref["when"].notna().to_numpy()
        return (ref["when"].to_numpy(), ref["zoned"].to_numpy(bool), ref["month"].to_numpy(), good)
    parts = pc.extract_regex(ts, stamp)
    names = set(parts.type.names) if len(ts) else set()
    n = len(ts)
    valid = parts.is_valid().to_numpy(zero_copy_only=False) if n else np.zeros(0, bool)

    def num(name, default=-1):
        if name not in names:
            return np.full(n, default, np.int64)
        col = parts.field(name)
        col = pc.if_else(pc.equal(col, ""), None, col)
        return pc.cast(col, pa.int64()).to_numpy(zero_copy_only=False).astype("float64")

    year = _full_year(names, num, n)
    if "m" in names:
        month = num("m")
    elif "b" in names:
        month = pc.index_in(pc.utf8_lower(parts.field("b")), value_set=_MONTHS).to_numpy(
            zero_copy_only=False).astype("float64") + 1
    else:
        month = np.full(n, np.nan)
    day, hour, minute = num("d"), num("H"), num("Mi")
    second = np.nan_to_num(num("S", 0), nan=0.0)
    frac = np.zeros(n)
    if "f" in names:
        f = parts.field("f")
        digits = pc.utf8_length(f).to_numpy(zero_copy_only=False)
        frac = np.nan_to_num(num("f")) * 10.0 ** (9 - np.clip(digits, 0, 9))
    offset = np.zeros(n)
    zoned = np.zeros(n, bool)
    if "z" in names:
        z = parts.field("z")
        zoned = pc.not_equal(z, "").to_numpy(zero_copy_only=False)
        sign = np.where(pc.starts_with(z, "-").to_numpy(zero_copy_only=False), -1.0, 1.0)
        hh = pc.cast(pc.if_else(pc.or_(pc.equal(z, "Z"), pc.equal(z, "")), "0",
                                pc.utf8_slice_codeunits(z, 1, 3)), pa.int64()).to_numpy(zero_copy_only=False)
        mm = pc.cast(pc.if_else(pc.or_(pc.equal(z, "Z"), pc.equal(z, "")), "0",
                                pc.utf8_slice_codeunits(z, -2)), pa.int64()).to_numpy(zero_copy_only=False)
        offset = sign * (hh * 60 + mm)
    return _assemble(year, month, day, hour, minute, second, frac, offset, zoned, valid)


def _assemble(year, month, day, hour, minute, second, frac, offset, zoned, valid):
    leap = stamps.is_leap(year)
    with np.errstate(invalid="ignore"):
        mi = np.clip(np.nan_to_num(month, nan=1), 1, 12).astype(np.int64) - 1
        dim = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[mi] + (leap & (mi == 1))
        good = (valid & (year >= stamps.MIN_YEAR) & (year <= stamps.MAX_YEAR) & (month >= 1)
                & (month <= 12) & (day >= 1) & (day <= dim) & (hour >= 0) & (hour < 24)
                & (minute >= 0) & (minute < 60) & (second < 60) & (frac < 1e9))
    y = np.where(good, year, stamps.PLACEHOLDER_YEAR).astype(np.int64)
    days = _days(y, mi, np.where(good, day, 1).astype(np.int64))
    secs = days * 86400 + np.where(good, hour * 3600 + minute * 60 + second, 0).astype(np.int64)
    ns = secs * 1_000_000_000 + np.where(good, frac, 0).astype(np.int64) \
        - (np.where(good, offset, 0) * 60_000_000_000).astype(np.int64)
    when = ns.view("datetime64[ns]").copy()
    when[~good] = np.datetime64("NaT")
    return when, zoned & good, month, good


def _days(year: np.ndarray, month0: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (month0 is 0-based)."""
    y = year - 1
    days = 365 * y + y // 4 - y // 100 + y // 400 - 719162
    leap = stamps.is_leap(year)
    return days + _CUM_DAYS[month0] + ((month0 > 1) & leap) + day - 1
