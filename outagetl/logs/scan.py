"""Which lines of a batch may hold a change word (or a level word read from the message).

The prefilter is a superset regex: a line it rules out holds none of the words, and the few lines
it lets through are read by Python's ``re`` (``fast._fill_words``). Run by RE2 line by line it cost
as much as checking the line's format; Hyperscan scans the batch's bytes in one pass (gigabytes a
second, case folded) and reports the few places it matches, which byte offsets map to lines. A
match that runs over a newline only lets one more line through. Without the ``hyperscan`` package,
for a pattern it cannot compile, or when a batch is full of matches, RE2 runs line by line.
The compiled database is kept in the program's cache folder (``kept.folder``) and loaded by the next run.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa

from .. import kept
from .arrow import match

MAX_SHARE = 0.25
"""Past this share of lines holding a match, the scan stops and RE2 decides line by line (one
Python call per match would cost more)."""


_built: set[str] = set()


@cache
def _database(pattern: str):
    _built.add(pattern)
    try:
        import hyperscan
    except ImportError:
        return None
    expression = re.sub(r"\(\?P<\w+>", "(?:", pattern.removeprefix("(?i)")).encode("utf-8")
    cached = _cache_file(expression, hyperscan)
    if cached is not None:
        try:
            db = hyperscan.loadb(cached.read_bytes(), hyperscan.HS_MODE_BLOCK)
            db.scratch = hyperscan.Scratch(db)
            db.scan(b"")
            return db
        except Exception:  # noqa: BLE001, S110 - absent, unreadable, built for another CPU: compile it
            pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(expressions=[expression], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_CASELESS])
    except hyperscan.error:
        return None
    if cached is not None:
        kept.write_whole(str(cached), hyperscan.dumpb(db), ".prefilter-")
    return db


def _cache_file(expression: bytes, hyperscan) -> Path | None:
    """Compiling the change-word prefilter takes about 40 ms, loading it compiled under 1 ms: it
    is kept in the program's cache folder, named by what it depends on (the expression,
    Hyperscan's version, the machine)."""
    import hashlib
    import platform

    where = kept.folder()
    key = hashlib.sha256(b"\0".join([expression, str(getattr(hyperscan, "__version__", "")).encode(),
                                      platform.machine().encode()])).hexdigest()[:24]
    return None if where is None else Path(where) / f"prefilter-{key}.hs"


FEW_LINES = 25_000
"""Fewer lines than this are tested by RE2 line by line unless the Hyperscan database is already
built: compiling it takes about 40 ms, RE2 about 0.3 ms per 1,000 lines (Hyperscan 0.05 ms), so
a small log never pays for the compile."""


def may_hold(arr: pa.StringArray, pattern: str) -> np.ndarray:
    """True for each line of ``arr`` that may hold a match of ``pattern`` (an RE2 superset)."""
    n = len(arr)
    few = n < FEW_LINES and pattern not in _built
    db = _database(pattern) if n and not few else None
    found = _scan(db, arr) if db is not None else None
    if found is None:
        return match(arr, pattern)
    return found


def _scan(db, arr: pa.StringArray) -> np.ndarray | None:
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], np.int32)[arr.offset:arr.offset + n + 1]
    lo, hi = int(offsets[0]), int(offsets[-1])
    ends: list[int] = []
    limit = int(n * MAX_SHARE) + 64

    def matched(_id, _start, end, _flags, _context):
        ends.append(end)
        return len(ends) > limit

    import hyperscan

    try:
        db.scan(memoryview(arr.buffers()[2])[lo:hi], match_event_handler=matched)
    except hyperscan.ScanTerminated:
        return None
    out = np.zeros(n, bool)
    if ends:
        rows = np.searchsorted(offsets, np.asarray(ends, np.int64) + lo - 1, side="right") - 1
        out[rows[(rows >= 0) & (rows < n)]] = True
    return out
