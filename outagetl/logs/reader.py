"""The log source reader: syslog, access/error logs, app logs, journal JSON, JSON Lines, CSV → per-minute counts.

A log is not read as text to quote sentence by sentence: it becomes a per-minute ``LogSeries``
(``SourceDoc.series``) plus a few notable lines as records, and ``claims`` turns those into claims.
The file is streamed in batches, ``.gz`` included, by the fastest engine that reads its format
exactly (``engine.choose``), so size does not matter.
"""
from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Iterable, Iterator
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
SPLIT_BYTES = 8 << 20
"""A plain file at least this big, read by an engine that ``splits``, is read by two processes when
a core is free for the second (``_processes``): this one reads the first half while a forked copy
reads the second, and the copy's tally is folded in (``Tally.absorb``), so the result is the same
as one reader's. Two parsing threads in one process gave nothing (the counting between Arrow
kernels holds the GIL)."""
PROCESSES_VARIABLE = "OUTAGETL_LOG_PROCESSES"
"""``1``: every log in one process; ``2``: two for a big file whatever the load; unset: two when
a core is free."""


def _processes() -> int:
    """How many processes read a big log. Like ``make --load-average``: a second one only when the
    load leaves it a core. Measured on a 2-core machine loaded 4-6 by other work
    (``benchmarks/bench_logs.py``), two processes took 1.0-1.5x one's wall time (they fight the
    others for a core, and the copy's pages are copied on write); on a free core the halves run
    side by side."""
    asked = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if asked in ("1", "2"):
        return int(asked)
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return 1
    return 2 if cores >= 2 and load <= cores - 1 else 1


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

    with open_text(path, display, limits) as handle:
        head = [ln or "" for ln in islice(capped_lines(handle, limits.max_line_bytes), HEAD_LINES)]
        encoding = handle.encoding
    parser = _parser(head, display)
    engine = choose(parser, encoding)
    half = _half(path, engine)
    if half is not None:
        return _count_halves(engine, parser, path, display, encoding, limits.max_line_bytes, half)
    return _count(engine, parser, engine.batches(path, display, encoding, limits.max_line_bytes, limits=limits),
                  display, limits.max_line_bytes)


def _parser(head: list[str], display: str) -> Parser:
    parser, share = detect(head)
    if parser is None or share <= 0.5:
        raise SourceError(display, "no known log format matches most of the first lines")
    return parser


def _count(engine: Engine, parser: Parser, batches: Iterable[Chunk], display: str,
           max_line: int | None = None) -> SourceDoc:
    from .tally import Tally

    return _tally(Tally(display, parser), engine, parser, batches, display, max_line).finish()


def _tally(tally, engine: Engine, parser: Parser, batches: Iterable[Chunk], display: str,
           max_line: int | None, start: int = 1):
    """``tally`` with each batch parsed and added, in file order (lines numbered from ``start``)."""
    try:
        for chunk in batches:
            _add(tally, chunk, engine.parse(parser, chunk.lines, start), max_line)
            start += len(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    return tally


def _add(tally, chunk: Chunk, parsed, max_line: int | None) -> None:
    if chunk.too_long:
        rows = list(chunk.too_long)
        parsed.ok[rows] = False
        parsed.reason[rows] = f"longer than the {max_line}-byte limit (--max-line-bytes), not read"
    tally.add(parsed)


def _half(path: Path, engine: Engine) -> int | None:
    """The byte just after the first newline past the middle of a big plain file, or None when the
    file is read in one go (small, gzip, an engine that cannot start mid-file, no fork, no core
    free for a second process)."""
    from .files import GZIP_MAGIC

    if not engine.splits or not hasattr(os, "fork") or _processes() < 2:
        return None
    try:
        size = path.stat().st_size
        if size < SPLIT_BYTES:
            return None
        with open(path, "rb") as f:
            if f.read(2) == GZIP_MAGIC:
                return None
            f.seek(size // 2)
            tail = f.read(1 << 20)
    except OSError:
        return None
    newline = tail.find(b"\n")
    at = size // 2 + newline + 1
    return at if newline >= 0 and at < size else None


def _count_halves(engine: Engine, parser: Parser, path: Path, display: str, encoding: str, max_line: int,
                  half: int) -> SourceDoc:
    """The file read by two processes (``SPLIT_BYTES``). The copy starts on the second half at
    once, but counts only once this process has sent what it decided from the first lines that
    parsed: whether the file's times are UTC or local (nothing, if the whole first half leaves it
    undecided: then the copy stops, and the file is read again in one go, a rare case: a first half
    of several MB without one line that parses)."""
    from .tally import Tally

    def second_half():
        os.close(mode_write)  # else the copy's own write end keeps the mode pipe from ever ending
        batches = engine.batches(path, display, encoding, max_line, half)
        first = next(batches, None)
        parsed = engine.parse(parser, first.lines, 1) if first else None
        with os.fdopen(mode_read, "rb") as pipe:
            mode = pipe.read().decode()
        if not mode:
            return None
        tally = Tally(display, parser, mode)
        if first:
            _add(tally, first, parsed, max_line)
        return _tally(tally, engine, parser, batches, display, max_line, len(first or ()) + 1)

    def told(batches: Iterable[Chunk], pipe) -> Iterator[Chunk]:
        """The batches; once one of them decided the mode, it goes to the copy."""
        for chunk in batches:
            yield chunk
            if tally.mode and not pipe.closed:
                pipe.write(tally.mode.encode())
                pipe.close()

    mode_read, mode_write = os.pipe()
    copy = _Fork(second_half)
    os.close(mode_read)
    tally = Tally(display, parser)
    try:
        with os.fdopen(mode_write, "wb") as pipe:
            _tally(tally, engine, parser, told(engine.batches(path, display, encoding, max_line, 0, half), pipe),
                   display, max_line)
        answer = copy.result()
    finally:
        copy.close()
    if answer is not None and answer[0] == "error":
        raise SourceError(display, answer[1])
    if tally.mode is None:  # the batch that decides straddles the half: read it as one reader would
        return _count(engine, parser, engine.batches(path, display, encoding, max_line), display, max_line)
    later = answer[1] if answer is not None else None
    if later is None:  # the copy died: this process reads the second half itself
        later = _tally(Tally(display, parser, tally.mode), engine, parser,
                       engine.batches(path, display, encoding, max_line, half), display, max_line)
    tally.absorb(later)
    return tally.finish()


class _Fork:
    """``work()`` run in a forked copy of this process; ``result()`` is ("ok", what it returned) or
    ("error", the reason of the ``SourceError`` it raised), sent back pickled through a pipe, or
    None if it died."""

    def __init__(self, work):
        self.read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the copy: do the work, send it, and leave without running any cleanup
            os.close(self.read_end)
            try:
                try:
                    answer = ("ok", work())
                except SourceError as exc:
                    answer = ("error", exc.reason)
                with os.fdopen(write_end, "wb") as out:
                    pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(0)
        os.close(write_end)

    def result(self):
        with os.fdopen(self.read_end, "rb") as pipe:
            data = pipe.read()
        self.read_end = None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not data or not os.WIFEXITED(status):
            return None
        try:
            return pickle.loads(data)  # noqa: S301 - our own fork's answer, through our own pipe
        except Exception:  # noqa: BLE001 - a truncated answer: the copy died while sending
            return None

    def close(self) -> None:
        """Stop the copy if its answer was never read (this process is failing)."""
        if self.pid is not None:
            import signal

            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.read_end is not None:
            os.close(self.read_end)
            self.read_end = None


def describe(doc: SourceDoc) -> str:
    """One line for reports: format, lines read, unparsed, and what the timestamps lacked."""
    s = doc.series
    lacks = [w for w, flag in (("year", s.year_missing), ("zone", s.zone_missing)) if flag]
    return (f"{s.format}: {s.lines} lines, {s.unparsed} unparsed"
            + (f"; timestamps have no {' or '.join(lacks)}" if lacks else ""))


__all__ = ["NAME", "STREAMS", "Parser", "sniff", "read", "read_stream", "describe"]
