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
from dataclasses import replace
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from . import engine, stamps
from .arrow import ascii_rows, byte_slice, encode, extract, match, split, strings, take, to_numbers, valid
from .changes import change_prefilter, change_sort
from .decide import decision
from .files import Upto, byte_chunks, open_raw
from .formats import LogFormat, Parser, component_regex, level_of
from .scan import may_hold
from .tally import Batch

if TYPE_CHECKING:
    from ..sources.base import Limits


class FastEngine:
    """Regex formats in UTF-8: bytes → Arrow lines → RE2; the reference's rows, faster."""

    name = "fast"
    splits = True

    def accepts(self, parser: Parser, encoding: str) -> bool:
        return parser.kind == "regex" and encoding in ("utf-8", "utf-8-sig")

    def batches(self, path: Path, display: str, encoding: str, max_line: int,
                start: int = 0, stop: int | None = None,
                limits: Limits | None = None) -> Iterator[engine.Chunk]:
        keep_freed_memory()
        return engine.ahead(self._batches(path, display, encoding, max_line, start, stop, limits))

    def _batches(self, path: Path, display: str, encoding: str, max_line: int, start: int, stop: int | None,
                 limits: Limits | None) -> Iterator[engine.Chunk]:
        with open_raw(path, display, limits) as whole:
            if start:
                whole.seek(start)
            elif encoding == "utf-8-sig":
                whole.read(3)
            raw = whole if stop is None else Upto(whole, stop - whole.tell())
            pending, size, longs, done = [], 0, [], 0
            for block, too_long in byte_chunks(raw, max_line):
                lines = to_lines(block)
                longs += [done + size + i for i in too_long]
                pending.append(lines)
                size += len(lines)
                while size >= (batch := engine.BATCH):
                    joined = pa.concat_arrays(pending) if len(pending) > 1 else pending[0]
                    yield engine.Chunk(joined.slice(0, batch), tuple(i - done for i in longs if i < done + batch))
                    longs = [i for i in longs if i >= done + batch]
                    pending, size, done = [joined.slice(batch)], size - batch, done + batch
            if size:
                yield engine.Chunk(pa.concat_arrays(pending) if len(pending) > 1 else pending[0],
                                   tuple(i - done for i in longs))

    def parse(self, parser: Parser, batch: pa.StringArray, start: int) -> Batch:
        return parse(parser.fmt, batch, start)


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
"""glibc's ``mallopt`` parameters (``malloc.h``)."""


@cache
def keep_freed_memory() -> bool:
    """Let glibc keep the large blocks a batch frees for the next batch to reuse. Each batch
    allocates and frees the same hundred-odd numpy arrays of 0.1-1 MB; by default glibc serves
    blocks that large with ``mmap`` and gives them back on ``free`` (its threshold adapts, up to 32 MB),
    and trims the heap past 128 KB, so every batch faults its pages in again and the kernel zeroes
    them: on a 1 M-line log about 45,000 page faults, 0.3 s of system time against 1.1 s of user
    time. With blocks up to 32 MB from the heap and the heap kept up to 256 MB, about 17,000
    faults and 0.15 s; the peak RSS is the same (the memory is reused, not added to). A process
    without glibc (``mallopt`` absent) keeps its allocator's defaults."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, 32 << 20)) and bool(mallopt(M_TRIM_THRESHOLD, 256 << 20))


_SPACE = r"\t-\r\x1c-\x20"
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
    """What RE2 runs for a format: the line test (the prefix that decides it, ``decide``), the
    extraction (from that prefix when it holds the groups needed), and the level prefilter."""
    keep = {"timestamp", fmt.level_field}
    full = re2(decision(fmt.regex.pattern))
    source = re2(decision(fmt.regex.pattern, frozenset(keep)))
    extract = re2(fmt.fast_extract) if fmt.fast_extract else re.sub(
        r"\(\?P<(\w+)>", lambda m: m.group(0) if m.group(1) in keep else "(?:", source)
    on_group = fmt.level_field in fmt.regex.groupindex and fmt.level_field != "body"
    level_filter = None
    if not on_group and fmt.levels:
        level_filter = "|".join(f"(?:{re2(loose(p))})" for _, p in fmt.levels)
    prefilter = change_prefilter() if level_filter is None else f"{level_filter}|{change_prefilter()}"
    return {"full": full, "extract": extract, "on_group": on_group, "prefilter": prefilter,
            "stamp": "^" + component_regex(fmt.timestamp_format) + "$"}


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
    # One Arrow kernel cuts the block at its newlines and copies the lines out without them: twice
    # as fast as finding the newlines with numpy and slicing each line (2.5 ms against 5.8 per 4 MB).
    whole = pa.StringArray.from_buffers(1, pa.py_buffer(np.array([0, len(data)], np.int32)), pa.py_buffer(data))
    lines = split(whole, "\n").values
    return lines.slice(0, len(lines) - 1)  # the empty string after the last newline


_MONTHS = strings(list(stamps.MONTHS))




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
    return strings(lines)


def parse(fmt: LogFormat, arr: pa.StringArray, start: int) -> Batch:
    """What ``Tally`` needs for a batch of lines, equal to the reference engine's row for row."""
    p = plan(fmt)
    n = len(arr)

    ascii_ = ascii_rows(arr)
    by_position = _by_position(fmt, arr, ascii_, p)
    if by_position is not None:
        return _finish(fmt, arr, start, p, *by_position)
    if fmt.fast_extract:  # a short prefix pattern: the whole line is checked first
        idx = np.flatnonzero(match(arr, p["full"]) & ascii_)
        groups = extract(arr if idx.size == n else take(arr, idx), p["extract"])
    else:  # RE2 once per line: the extraction is null where the line does not match
        found = extract(arr, p["extract"])
        idx = np.flatnonzero(valid(found) & ascii_)
        groups = found if idx.size == n else take(found, idx)
    times = _times(groups.field("timestamp"), fmt.timestamp_format, p["stamp"])
    levels = _group_levels(fmt, groups.field(fmt.level_field)) if p["on_group"] else ((), None)
    return _finish(fmt, arr, start, p, idx, times, groups.field("timestamp"), levels)


def _finish(fmt: LogFormat, arr: pa.StringArray, start: int, p: dict, idx: np.ndarray, times, stamps_: pa.Array,
            levels) -> Batch:
    """The batch from what RE2 read of rows ``idx``; the other rows, and the rows whose level or
    change word needs Python's ``re``, filled in by the reference rules."""
    n = len(arr)
    when, zoned, month, good = times
    ok = np.zeros(n, bool)
    ok[idx[good]] = True
    names, found = levels
    codes = np.full(n, -1, np.int64)
    if found is not None:
        codes[idx] = found
    check = ok & may_hold(arr, p["prefilter"]) if ok.any() else ok
    batch = Batch(line=np.arange(start, start + n, dtype=np.int64), ok=ok, reason=np.full(n, None, dtype=object),
                  when=_spread(n, idx, when, np.datetime64("NaT", "ns")), zoned=_spread(n, idx, zoned, False),
                  month=_spread(n, idx, month, np.nan), error=np.zeros(n, bool),
                  change=np.full(n, None, dtype=object), level_codes=codes, level_names=names,
                  text=arr, ts_text=stamps_ if len(stamps_) == n else _scatter(n, idx, stamps_))
    batch = _fill_reference(fmt, batch, np.flatnonzero(~ok))
    batch = _fill_words(fmt, batch, np.flatnonzero(check), not p["on_group"])
    error = [i for i, name in enumerate(batch.level_names) if name == "error"]
    batch.error[:] = np.isin(batch.level_codes, error) if error else False
    return batch


WINDOW = 16
"""Bytes after the timestamp in which a line's level word (and the character after it) must lie,
and in which the rest of the line test is decided for most lines."""
MAX_WINDOWS = 4096


def _by_position(fmt: LogFormat, arr: pa.StringArray, ascii_: np.ndarray, p: dict):
    """Rows read by position, without RE2 (whose per-line cost is most of the work): when the
    format starts with its timestamp and most lines match the format with the timestamp laid out
    as in the batch's first line, the line test is the stamp's bytes checked in place (numpy) and
    the rest of the format decided once per distinct window of bytes after the stamp (Python's
    ``re``); the timestamp is read at its byte positions, and the level from the same windows.
    None (the RE2-extraction path decides) when the batch does not look like that."""
    n = len(arr)
    first = np.flatnonzero(ascii_[:64])
    if not fmt.regex.pattern.startswith("^(?P<timestamp>") or first.size == 0:
        return None
    sample = fmt.regex.match(arr[int(first[0])].as_py())
    if sample is None:
        return None
    layout = _line_layout(fmt, sample.group("timestamp"))
    if layout is None:
        return None
    width = layout.width
    lengths = np.diff(np.frombuffer(arr.buffers()[1], np.int32)[arr.offset:arr.offset + n + 1])
    long_enough = np.flatnonzero((lengths >= width) & ascii_)
    if long_enough.size < 0.9 * n:
        return None
    rows = arr if long_enough.size == n else take(arr, long_enough)
    stamps_ = byte_slice(rows, 0, width)
    mat = _matrix(stamps_, width)
    windows = encode(byte_slice(rows, width, width + WINDOW).view(pa.binary()))
    values = [v.decode("latin-1") for v in windows.dictionary.to_pylist()]
    if len(values) > MAX_WINDOWS:
        return None
    codes = to_numbers(windows.indices, -1).astype(np.int64)
    decided = np.array([_rest_decided(layout.rest, v) for v in values] + [0], np.int8)[codes]
    stamp_ok = layout.stamp_ok(mat)
    maybe = np.flatnonzero(stamp_ok & (decided == 0))
    good = stamp_ok & (decided == 1)
    if maybe.size:  # the window does not decide: RE2 reads these few lines whole
        good[maybe] = match(take(rows, maybe), layout.pattern)
    keep = np.flatnonzero(good)
    if keep.size < 0.9 * n:
        return None
    idx = long_enough[keep]
    levels: tuple = ((), None)
    if p["on_group"]:
        levels = _window_levels(fmt, rows, keep, codes[keep], values, width)
        if levels is None:
            return None
    if not _agrees(fmt, arr, idx, width, levels):
        return None
    return (idx, _fixed_matrix(mat if keep.size == n else mat[keep], layout.spans),
            stamps_ if long_enough.size == n else byte_slice(arr, 0, width), levels)


def _matrix(stamps_: pa.Array, width: int) -> np.ndarray:
    """Stamps of ``width`` bytes each (every one of them that long) as an (n, width) byte matrix."""
    n = len(stamps_)
    start = np.frombuffer(stamps_.buffers()[1], np.int32)[stamps_.offset] if n else 0
    return np.frombuffer(stamps_.buffers()[2], np.uint8)[start:start + n * width].reshape(n, width) if n \
        else np.zeros((0, width), np.uint8)


def _rest_decided(rest: re.Pattern | None, window: str) -> int:
    """1 when every line whose bytes after the stamp start with ``window`` passes the rest of the
    line test, -1 when none does, 0 when the window cannot tell (the match would need more bytes)."""
    if rest is None:
        return 0
    m = rest.match(window)
    whole = len(window) < WINDOW  # the window is all the line has after the stamp
    if m is None:
        return -1 if whole else 0
    return 1 if whole or m.end() < len(window) else 0


class _Layout:
    """A stamp layout as seen in one line: each byte position's class (digit, letter, sign or that
    very byte), the fields' spans, the rest of the line test (``re``, None when it may look
    outside a window: lookarounds, word boundaries), and the whole test as one RE2 pattern."""

    def __init__(self, sample: str, spans: dict, pattern: str, rest: str | None):
        self.width, self.spans, self.pattern, self.sample = len(sample), spans, pattern, sample
        owner = {i: k for k, (a, b) in spans.items() for i in range(a, b)}
        classes: dict[str, list[int]] = {"digit": [], "letter": [], "sign": [], "byte": []}
        for i, ch in enumerate(sample):
            kind = owner.get(i)
            classes["letter" if kind == "b" else "digit" if kind and ch.isdigit()
                    else "sign" if kind == "z" and ch in "+-" else "byte"].append(i)
        self.columns = {k: np.array(v, np.int64) for k, v in classes.items()}
        self.bytes = np.frombuffer(sample.encode("ascii"), np.uint8)[self.columns["byte"]]
        looks_out = rest is None or any(t in rest for t in ("(?=", "(?!", "(?<=", "(?<!", "\\b", "\\B", "\\A", "\\Z"))
        self.rest = None if looks_out else re.compile(rest)

    def stamp_ok(self, mat: np.ndarray) -> np.ndarray:
        """Rows of ``mat`` whose bytes fit the layout, as RE2's ``\\d``, ``[A-Za-z]``, ``[+-]``
        and literal bytes would test them: digits and literal bytes eight at a time (each row's
        bytes read as 64-bit words), letters and signs column by column."""
        n = len(mat)
        cols = self.columns
        if self.width < 8:
            ok = np.ones(n, bool)
            if cols["digit"].size:
                ok &= ((mat[:, cols["digit"]] - np.uint8(48)) < 10).all(1)
            if cols["byte"].size:
                ok &= (mat[:, cols["byte"]] == self.bytes).all(1)
        else:
            bad = np.zeros(n, np.uint64)
            for at, word in _words(mat, self.width):
                digit, high, low, carry, literal, expected = self.masks[at]
                bad |= ((word & high) ^ digit) | (((word & low) + carry) & np.uint64(0x1010101010101010) & high) \
                    | ((word ^ expected) & literal)
            ok = bad == 0
        for col in cols["letter"]:
            ok &= ((mat[:, col] | np.uint8(0x20)) - np.uint8(97)) < 26
        for col in cols["sign"]:
            ok &= (mat[:, col] == 43) | (mat[:, col] == 45)
        return ok

    @cached_property
    def masks(self) -> dict[int, tuple[np.uint64, ...]]:
        """For each word of ``_words``: the digits' expected high nibble, masks of their high and
        low nibbles, the carry that pushes a low nibble above 9 into bit 4, the literal bytes'
        mask and what they hold."""
        digits, literal = set(self.columns["digit"].tolist()), set(self.columns["byte"].tolist())
        masks = {}
        for at in _word_starts(self.width):
            m = [0] * 6
            for j in range(8):
                i, shift = at + j, 8 * j
                if i in digits:
                    m[0] |= 0x30 << shift
                    m[1] |= 0xF0 << shift
                    m[2] |= 0x0F << shift
                    m[3] |= 0x06 << shift
                elif i in literal:
                    m[4] |= 0xFF << shift
                    m[5] |= ord(self.sample[i]) << shift
            masks[at] = tuple(np.uint64(v) for v in m)
        return masks


def _word_starts(width: int) -> list[int]:
    """Offsets of 8-byte words that cover ``width`` bytes (the last one overlapping if need be)."""
    starts = list(range(0, width - 7, 8))
    if width % 8:
        starts.append(width - 8)
    return starts


def _words(mat: np.ndarray, width: int) -> list[tuple[int, np.ndarray]]:
    """Each row's bytes ``at``..``at + 8`` as one little-endian 64-bit word, for every word start:
    numpy works a word at a time where a row of a few bytes is slow to reduce."""
    mat = np.ascontiguousarray(mat)
    n = len(mat)
    return [(at, np.ndarray((n,), "<u8", buffer=mat, offset=at, strides=(mat.shape[1],)) if n else np.zeros(0, np.uint64))
            for at in _word_starts(width)]


@cache
def _line_layout(fmt: LogFormat, stamp: str) -> _Layout | None:
    """For stamps laid out like ``stamp``: the whole-line test (the stamp at fixed positions,
    then the prefix of the format that decides a line, ``decide``), in parts and as RE2."""
    layout = _layout(stamp, "^" + component_regex(fmt.timestamp_format) + "$")
    decided = decision(fmt.regex.pattern)
    if layout is None or not decided.startswith("^(?P<timestamp>") or not stamp.isascii():
        return None
    rest = _after_group(decided, len("^(?P<timestamp>"))
    if rest is None:
        return None
    check, spans = layout
    return _Layout(stamp, spans, "^" + check[1:-1] + re2(rest), rest)


def _after_group(pattern: str, i: int) -> str | None:
    """The pattern after the group whose body starts at ``i``."""
    depth, in_class = 1, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return pattern[i + 1:]
        i += 1
    return None


def _window_levels(fmt: LogFormat, rows: pa.StringArray, keep: np.ndarray, codes: np.ndarray, values: list[str],
                   width: int):
    """Each kept row's level, read once per distinct window of bytes after the timestamp
    (``codes`` into ``values``): Python's ``re`` on the first kept line of each window, kept only
    where the level word and the character after it lie inside the window (so every line with
    that window has that level). None if some do not."""
    firsts = np.full(len(values), keep.size, np.int64)
    np.minimum.at(firsts, codes, np.arange(keep.size))
    used = np.flatnonzero(firsts < keep.size)
    used = used[np.argsort(firsts[used], kind="stable")]  # in order of first use, as the names go
    found = {}
    for code, line in zip(used, take(rows, keep[firsts[used]]).to_pylist(), strict=True):
        m = fmt.regex.match(line)
        if m is None:
            return None
        end = m.end(fmt.level_field) - width
        if end >= len(values[code]) and len(line) - width > len(values[code]):
            return None
        found[int(code)] = level_of(fmt, m.group(fmt.level_field) or None)
    names = tuple(dict.fromkeys(v for v in found.values() if v is not None))
    position = np.full(len(values) + 1, -1, np.int64)
    for code, level in found.items():
        position[code] = names.index(level) if level is not None else -1
    return names, position[codes]


def _agrees(fmt: LogFormat, arr: pa.StringArray, idx: np.ndarray, width: int, levels) -> bool:
    """Python's ``re`` on a spread of rows reads the same timestamp (and level) as the positions."""
    names, codes = levels
    picks = np.array(sorted(set(np.linspace(0, len(idx) - 1, num=min(len(idx), 32)).astype(np.int64).tolist())), np.int64)
    for row, line in zip(picks, take(arr, idx[picks]).to_pylist(), strict=True):
        m = fmt.regex.match(line)
        if m is None or m.group("timestamp") != line[:width]:
            return False
        if codes is not None:
            code = int(codes[row])
            if level_of(fmt, m.group(fmt.level_field) or None) != (names[code] if code >= 0 else None):
                return False
    return True


def _scatter(n: int, idx: np.ndarray, values: pa.Array) -> pa.Array:
    """``values`` (one per fast row) at their rows of the batch, missing elsewhere, as Arrow."""
    if idx.size != n:
        where = np.full(n, -1, np.int64)
        where[idx] = np.arange(idx.size)
        values = take(values, where, where < 0)
    return values


def _spread(n, idx, values, missing):
    out = np.full(n, missing, dtype=values.dtype if values.dtype != bool else bool)
    out[idx] = values
    return out


def _with_levels(batch: Batch, rows: np.ndarray, found: list) -> Batch:
    """``batch`` with the level words ``found`` (one per row of ``rows``) coded in."""
    names = list(batch.level_names)
    for name in found:
        if name is not None and name not in names:
            names.append(name)
    position = {name: i for i, name in enumerate(names)}
    batch.level_codes[rows] = [position[name] if name is not None else -1 for name in found]
    return replace(batch, level_names=tuple(names))


def _fill_reference(fmt: LogFormat, batch: Batch, rows: np.ndarray) -> Batch:
    """Rows only ``re`` can read (non-ASCII, not matching, odd stamps): the reference engine's values."""
    if rows.size == 0:
        return batch
    import pandas as pd
    import pyarrow.compute as pc

    from .reference import _parse_regex

    text = pd.Series(take(batch.text, rows).to_pylist(), dtype=object)
    ref = _parse_regex(fmt, text)
    batch.ok[rows] = ref["reason"].isna().to_numpy()
    batch.reason[rows] = ref["reason"].to_numpy(dtype=object)
    batch.when[rows] = ref["when"].to_numpy("datetime64[ns]")
    batch.zoned[rows] = ref["zoned"].to_numpy(bool)
    batch.month[rows] = ref["month"].to_numpy("float64")
    batch.change[rows] = [change_sort(b) if isinstance(b, str) else None
                          for b in ref["body"].fillna("").astype(object)]
    mask = np.zeros(len(batch), bool)
    mask[rows] = True
    found = pa.array([v if isinstance(v, str) else None for v in ref["ts_text"]], pa.string())
    batch = replace(batch, ts_text=pc.replace_with_mask(batch.ts_text, pa.array(mask), found))
    return _with_levels(batch, rows, [v if isinstance(v, str) else None for v in ref["level"]])


def _fill_words(fmt: LogFormat, batch: Batch, rows: np.ndarray, level: bool) -> Batch:
    """Rows the fast path read but whose level (from the message) or change word needs ``re``."""
    if rows.size == 0:
        return batch
    picked = take(batch.text, rows)
    texts = picked.to_pylist()
    found = [fmt.regex.match(t) for t in texts]
    has_body = "body" in fmt.regex.groupindex
    # The prefilter also let through the lines with a level word: only those that may hold a change
    # word are searched with the change regex (a long alternation: most of the time per line).
    words = match(picked, change_prefilter()) if level else np.ones(len(texts), bool)
    batch.change[rows] = [change_sort((m.group("body") or "") if has_body else t) if word else None
                          for m, t, word in zip(found, texts, words, strict=True)]
    if not level:
        return batch
    field = fmt.level_field
    on_group = field in fmt.regex.groupindex
    return _with_levels(batch, rows, [level_of(fmt, m.group(field) if on_group else t)
                                      for m, t in zip(found, texts, strict=True)])


def _group_levels(fmt: LogFormat, field: pa.Array) -> tuple[tuple[str, ...], np.ndarray]:
    """The level names and each row's code in them, the level read once per distinct field value."""
    coded = encode(field)
    found = [level_of(fmt, v or None) for v in coded.dictionary.to_pylist()]
    names = tuple(dict.fromkeys(v for v in found if v is not None))
    position = np.array([names.index(v) if v is not None else -1 for v in found] + [-1], np.int64)
    indices = to_numbers(coded.indices, -1).astype(np.int64)
    return names, position[indices]


def _times(ts: pa.Array, timestamp_format: str, stamp: str):
    """Vectorised ``parse_times`` for ASCII stamps; ``good`` is False where the reference must decide.
    Stamps laid out like the first one are read by byte position; the others by RE2 groups."""
    if "(?P<e>" in stamp or len(ts) == 0:
        return _general(ts, timestamp_format, stamp)
    layout = _stamp_layout(ts[0].as_py(), stamp)
    if layout is None:
        return _general(ts, timestamp_format, stamp)
    spans = layout.spans
    same = _laid_out(ts, layout)
    if not same.all():
        import pyarrow.compute as pc

        from .arrow import bools

        out = [np.empty(len(ts), dtype=d) for d in ("datetime64[ns]", bool, "float64", bool)]
        rows = np.flatnonzero(same)
        for part, values in ((rows, _fixed(take(ts, rows), spans)),
                                    (np.flatnonzero(~same), _general(pc.filter(ts, bools(~same)),
                                                                     timestamp_format, stamp))):
            for target, value in zip(out, values, strict=True):
                target[part] = value
        return tuple(out)
    return _fixed(ts, spans)


@cache
def _stamp_layout(sample: str, stamp: str) -> _Layout | None:
    """The layout of stamps shaped like ``sample`` (``_layout``), to test stamps in place."""
    layout = _layout(sample, stamp) if sample.isascii() else None
    return None if layout is None else _Layout(sample, layout[1], layout[0], None)


def _laid_out(ts: pa.Array, layout: _Layout) -> np.ndarray:
    """Which stamps have the layout's bytes (what RE2 would find with its whole-stamp pattern)."""
    n = len(ts)
    lengths = np.diff(np.frombuffer(ts.buffers()[1], np.int32)[ts.offset:ts.offset + n + 1])
    same = lengths == layout.width
    if ts.null_count:
        same &= valid(ts)
    rows = np.flatnonzero(same)
    if rows.size:
        fits = take(ts, rows) if rows.size < n else ts
        same[rows] = layout.stamp_ok(_matrix(fits, layout.width))
    return same


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


PER_LINE = ("S", "f")
"""The fields that change from line to line; the rest (date, hour, minute, zone) repeat for many
lines, so they are read once per distinct value."""


def _fixed(ts: pa.Array, spans: dict):
    """Stamps of one layout (``spans``: each field's byte span), all of one width, read by position."""
    return _fixed_matrix(_matrix(ts, len(ts[0].as_py()) if len(ts) else 0), spans)


def _fixed_matrix(mat: np.ndarray, spans: dict):
    """Stamps of one layout, one per row of the byte matrix ``mat``, read by position. The bytes
    before the seconds change only every so many lines (a log goes in time order): each run of
    rows that share them is read once (``_fixed_rows`` on its first row), and only the seconds
    and fraction are read on every line; the nanoseconds add up the same. A layout with other
    fields after the seconds (but the zone), or rows out of order, are read line by line."""
    n, width = mat.shape
    moving = [spans[k] for k in PER_LINE if k in spans]
    if not moving or n < 1024:
        return _fixed_rows(mat, spans)
    cut, end = min(a for a, _ in moving), max(b for _, b in moving)
    if any(k not in PER_LINE and k != "z" and b > cut for k, (a, b) in spans.items()) \
            or ("z" in spans and spans["z"][0] < end):
        return _fixed_rows(mat, spans)
    if end < width and not (mat[:, end:] == mat[0, end:]).all():
        return _fixed_rows(mat, spans)
    new = np.empty(n, bool)
    new[0] = True
    if cut >= 8:
        changed = np.zeros(n - 1, np.uint64)
        for _, word in _words(mat, cut):
            changed |= word[1:] ^ word[:-1]
        np.not_equal(changed, 0, out=new[1:])
    else:
        (mat[1:, :cut] != mat[:-1, :cut]).any(1, out=new[1:])
    first = np.flatnonzero(new)
    if first.size > n // 8:
        return _fixed_rows(mat, spans)
    codes = np.cumsum(new) - 1
    sample = mat[first].copy()
    for a, b in moving:
        sample[:, a:b] = ord("0")
    when, zoned, month, good = _fixed_rows(sample, spans)
    ns = when.view(np.int64)[codes]
    good = good[codes]
    seconds = _digits(mat, spans["S"]) if "S" in spans else np.zeros(n, np.int64)
    good &= seconds < 60
    ns = ns + seconds * 1_000_000_000
    if "f" in spans:
        a, b = spans["f"]
        ns += _digits(mat, (a, b)) * 10 ** (9 - (b - a))
    out = ns.view("datetime64[ns]")
    out[~good] = np.datetime64("NaT")
    return out, zoned[codes] & good, month[codes], good


def _digits(mat: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    """The number the digit bytes ``span`` of each row spell (at most nine: int32 is enough)."""
    a, b = span
    value = mat[:, a].astype(np.int32) - 48
    for col in range(a + 1, b):
        value *= 10
        value += mat[:, col]
        value -= 48
    return value.astype(np.int64)


def _fixed_rows(mat: np.ndarray, spans: dict):
    """Each row of ``mat`` (stamps of one layout, one per row) read field by field."""
    n = len(mat)

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
    import pyarrow.compute as pc

    from .arrow import to_bools
    if "(?P<e>" in stamp:
        import pandas as pd

        from .reference import parse_times

        ref = parse_times(pd.Series(ts.to_pylist(), dtype=object), timestamp_format)
        good = ref["when"].notna().to_numpy()
        return (ref["when"].to_numpy(), ref["zoned"].to_numpy(bool), ref["month"].to_numpy(), good)
    parts = pc.extract_regex(ts, stamp)
    names = set(parts.type.names) if len(ts) else set()
    n = len(ts)
    good = valid(parts) if n else np.zeros(0, bool)

    def digits(col) -> np.ndarray:
        """Digit strings as numbers; NaN for empty or missing ones."""
        empty = to_numbers(pc.utf8_length(col), 0) == 0
        out = to_numbers(pc.cast(pc.replace_substring_regex(col, pattern="^$", replacement="0"), pa.int64()))
        out[empty] = np.nan
        return out

    def num(name, default=-1):
        if name not in names:
            return np.full(n, default, np.int64)
        return digits(parts.field(name))

    year = _full_year(names, num, n)
    if "m" in names:
        month = num("m")
    elif "b" in names:
        month = to_numbers(pc.index_in(pc.utf8_lower(parts.field("b")), value_set=_MONTHS)) + 1
    else:
        month = np.full(n, np.nan)
    day, hour, minute = num("d"), num("H"), num("Mi")
    second = np.nan_to_num(num("S", 0), nan=0.0)
    frac = np.zeros(n)
    if "f" in names:
        f = parts.field("f")
        width = to_numbers(pc.utf8_length(f), 0)
        frac = np.nan_to_num(num("f")) * 10.0 ** (9 - np.clip(width, 0, 9))
    offset = np.zeros(n)
    zoned = np.zeros(n, bool)
    if "z" in names:
        z = parts.field("z")
        zoned = to_numbers(pc.utf8_length(z), 0) > 0
        sign = np.where(to_bools(pc.starts_with(z, "-")), -1.0, 1.0)

        def part(text):
            return to_numbers(pc.cast(pc.replace_substring_regex(text, pattern="^[^0-9]*$", replacement="0"),
                                      pa.int64()), 0)
        offset = sign * (part(pc.utf8_slice_codeunits(z, 1, 3)) * 60 + part(pc.utf8_slice_codeunits(z, -2)))
    return _assemble(year, month, day, hour, minute, second, frac, offset, zoned, good)


def _assemble(year, month, day, hour, minute, second, frac, offset, zoned, valid):
    with np.errstate(invalid="ignore"):
        whole = np.clip(np.nan_to_num(year, nan=stamps.PLACEHOLDER_YEAR), 0, 10_000).astype(np.int64)
        leap = stamps.is_leap(whole)
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
