"""The log source reader: syslog, access/error logs, app logs, journal JSON, JSON Lines, CSV → per-minute counts.

A log is not read as text to quote sentence by sentence: it becomes a per-minute ``LogSeries``
(``SourceDoc.series``) plus a few notable lines as records, and ``claims`` turns those into claims.
The file is streamed in batches, ``.gz`` included, by the fastest engine that reads its format
exactly (``engine.choose``), so size does not matter.
"""
from __future__ import annotations

import os
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

from ..model import SourceDoc
from ..sources.base import Limits, SourceError
from .engine import Chunk, Engine, choose
from .formats import Parser, detect

NAME = "log"
STREAMS = True
HEAD_LINES = 200
DEFAULT_LIMITS = Limits()
WORKERS = 1
"""Batches parsed on another thread while this one reads and counts. Measured on the 2-core
machine shared with other work: 2 workers gave the same wall time as 1 and 40 MB more peak
memory (299 MB at 4 M lines, over the 300 MB budget with the Arrow pool), so one it is."""


def sniff(path: Path, head: str) -> int:
    """Like lnav: the share of the first non-empty lines that one known format matches."""
    lines = head.split("\n")
    if len(head) >= 4000 and len(lines) > 1:
        lines = lines[:-1]
    try:
        parser, share = detect(lines)
    except Exception:  # noqa: BLE001 - sniffing must never stop the registry from trying others
        return 0
    if parser is None or share <= 0.5:
        return 0
    return int(70 + 20 * share)


def read(path: Path, text: str, display: str) -> SourceDoc:
    """A log already decoded into ``text`` (the reference engine reads it)."""
    from .engine import Chunk, ReferenceEngine, line_batches

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    parser = _parser(lines[:HEAD_LINES], display)
    return _count(ReferenceEngine(), parser, (Chunk(batch) for batch in line_batches(lines)), display)


def read_stream(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> SourceDoc:
    from .files import capped_lines, open_text

    with open_text(path, display) as handle:
        head = [ln or "" for ln in islice(capped_lines(handle, limits.max_line_bytes), HEAD_LINES)]
        encoding = handle.encoding
    parser = _parser(head, display)
    engine = choose(parser, encoding)
    return _count(engine, parser, engine.batches(path, display, encoding, limits.max_line_bytes), display,
                  limits.max_line_bytes)


def _parser(head: list[str], display: str) -> Parser:
    parser, share = detect(head)
    if parser is None or share <= 0.5:
        raise SourceError(display, "no known log format matches most of the first lines")
    return parser


def _count(engine: Engine, parser: Parser, batches: Iterable[Chunk], display: str,
           max_line: int | None = None) -> SourceDoc:
    from .tally import Tally

    tally = Tally(display, parser)
    too_long = f"longer than the {max_line}-byte limit (--max-line-bytes), not read"
    try:
        for chunk, parsed in _parsed(engine, parser, batches):
            if chunk.too_long:
                rows = list(chunk.too_long)
                parsed.ok[rows] = False
                parsed.reason[rows] = too_long
            tally.add(parsed)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    return tally.finish()


def _parsed(engine: Engine, parser: Parser, batches: Iterable[Chunk]) -> Iterator:
    """Each chunk with its parse, in file order; an engine whose parse releases the GIL (Arrow
    kernels) parses the next batches on other cores while this one is counted. At most
    ``WORKERS + 1`` batches are in memory at once."""
    start = 1
    workers = WORKERS if engine.parallel and (os.cpu_count() or 1) > 1 else 0
    if not workers:
        for chunk in batches:
            yield chunk, engine.parse(parser, chunk.lines, start)
            start += len(chunk)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="outagetl-log") as pool:
        pending: deque = deque()
        for chunk in batches:
            pending.append((chunk, pool.submit(engine.parse, parser, chunk.lines, start)))
            start += len(chunk)
            if len(pending) > workers:
                chunk_, future = pending.popleft()
                yield chunk_, future.result()
        while pending:
            chunk_, future = pending.popleft()
            yield chunk_, future.result()


def describe(doc: SourceDoc) -> str:
    """One line for reports: format, lines read, unparsed, and what the timestamps lacked."""
    s = doc.series
    lacks = [w for w, flag in (("year", s.year_missing), ("zone", s.zone_missing)) if flag]
    return (f"{s.format}: {s.lines} lines, {s.unparsed} unparsed"
            + (f"; timestamps have no {' or '.join(lacks)}" if lacks else ""))


__all__ = ["NAME", "STREAMS", "Parser", "sniff", "read", "read_stream", "describe"]
