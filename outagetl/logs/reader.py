"""The log source reader: syslog, access/error logs, app logs, journal JSON, JSON Lines, CSV → per-minute counts.

A log is not read as text to quote sentence by sentence: it becomes a per-minute ``LogSeries``
(``SourceDoc.series``) plus a few notable lines as records, and ``claims`` turns those into claims.
The file is streamed in batches, ``.gz`` included, by the fastest engine that reads its format
exactly (``engine.choose``), so size does not matter.
"""
from __future__ import annotations

import atexit
import os
import pickle
import zlib
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from .. import cores
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
a core is free for the second (``_processes``): this one reads the first half while the run's
helper, a forked copy (``_Helper``), reads the second, and its tally is folded in
(``Tally.absorb``), so the result is the same as one reader's. Two parsing threads in one process
gave nothing (the counting between Arrow kernels holds the GIL)."""
PROCESSES_VARIABLE = "OUTAGETL_LOG_PROCESSES"
"""``1``: every log in one process; ``2``: two for a big file whatever the load; unset: two when
a core is free."""


def _processes() -> int:
    """How many processes read a big log: a second one only when other work leaves it a core
    (``cores.free_cores``, the story workers' rule); on a free core the halves run side by side."""
    asked = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if asked in ("1", "2"):
        return int(asked)
    return 2 if cores.free_cores() >= 2 else 1


SNIFF_SHARE = 0.5
"""A log is a file most of whose first lines one format matches: more than this share of them."""


def sniff(path: Path, head: str) -> int:
    """Like lnav: the share of the first non-empty lines that one known format matches."""
    lines = head.split("\n")
    if len(head) >= 4000 and len(lines) > 1:
        lines = lines[:-1]
    try:
        parser, share = detect(lines, SNIFF_SHARE)
    except Exception:  # noqa: BLE001 - sniffing must never stop the registry from trying others
        return 0
    if parser is None or share <= SNIFF_SHARE:
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
    """The file read by two processes (``SPLIT_BYTES``): this one reads the first half while the
    run's helper (``_Helper``) reads the second. The helper starts on its half at once, but counts
    only once this process has sent what it decided from the first lines that parsed: whether the
    file's times are UTC or local (nothing, if the whole first half leaves it undecided: then the
    helper stops, and the file is read again in one go, a rare case: a first half of several MB
    without one line that parses)."""
    from .tally import Tally

    helper = _helper()
    if helper is None or not helper.ask((engine, parser, path, display, encoding, max_line, half)):
        release()
        return _count(engine, parser, engine.batches(path, display, encoding, max_line), display, max_line)
    told = False

    def telling(batches: Iterable[Chunk]) -> Iterator[Chunk]:
        """The batches; once one of them decided the mode, it goes to the helper."""
        nonlocal told
        for chunk in batches:
            yield chunk
            if tally.mode and not told:
                helper.tell(tally.mode)  # a helper that died meanwhile gives no answer: read here
                told = True

    tally = Tally(display, parser)
    try:
        _tally(tally, engine, parser, telling(engine.batches(path, display, encoding, max_line, 0, half)),
               display, max_line)
        if not told:
            helper.tell("")
        answer = helper.answer()
    except BaseException:
        release()  # the helper is halfway through this file: it cannot be given the next one
        raise
    if answer is None:
        release()
    elif answer[0] == "error":
        raise SourceError(display, answer[1])
    if tally.mode is None:  # the batch that decides straddles the half: read it as one reader would
        return _count(engine, parser, engine.batches(path, display, encoding, max_line), display, max_line)
    later = answer[1] if answer is not None else None
    if later is None:  # the helper died: this process reads the second half itself
        later = _tally(Tally(display, parser, tally.mode), engine, parser,
                       engine.batches(path, display, encoding, max_line, half), display, max_line)
    tally.absorb(later)
    return tally.finish()


def _second_half(job: tuple, told) -> object:
    """In the helper: a file from byte ``half`` on, counted once ``told()`` gives the mode the
    first half decided (None, and nothing counted, if it gives none)."""
    from .tally import Tally

    engine, parser, path, display, encoding, max_line, half = job
    batches = engine.batches(path, display, encoding, max_line, half)
    try:
        first = next(batches, None)
        parsed = engine.parse(parser, first.lines, 1) if first else None
        mode = told()
        if not mode:
            return None
        tally = Tally(display, parser, mode)
        if first:
            _add(tally, first, parsed, max_line)
        return _tally(tally, engine, parser, batches, display, max_line, len(first or ()) + 1)
    finally:
        batches.close()  # its reading thread ends before the next file is asked for


class _Helper:
    """A forked copy of this process that reads the second halves of a run's big logs, one file
    after another, until ``release``. Forked once, before the first big file is read, it shares
    few memory pages with this process; a copy forked for each file shared every page the files
    before it had left in the heap, and each write to one of them, on either side, copied it:
    on the benchmark's three files (1 M lines) 87,000 page faults against 19,000 in one process.

    Each file is a job (``ask``), then the mode (``tell``), then the answer (``answer``): ("ok",
    the second half's tally, or None when told no mode) or ("error", the reason of the
    ``SourceError`` it raised), sent back pickled; None if the helper died. It ends when this
    process closes the pipe that brings the jobs, or dies."""

    def __init__(self) -> None:
        jobs_read, jobs_write = os.pipe()
        answers_read, answers_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the helper: serve, and leave without running any cleanup
            try:
                os.close(jobs_write)
                os.close(answers_read)
                _serve(jobs_read, answers_write)
            finally:
                os._exit(0)
        os.close(jobs_read)
        os.close(answers_write)
        self.jobs = os.fdopen(jobs_write, "wb")
        self.answers = os.fdopen(answers_read, "rb")

    def _send(self, message) -> bool:
        try:
            pickle.dump(message, self.jobs, protocol=pickle.HIGHEST_PROTOCOL)
            self.jobs.flush()
        except (OSError, pickle.PicklingError):
            return False
        return True

    def ask(self, job: tuple) -> bool:
        """Give the helper a file's second half to read; False if it cannot be reached."""
        return self._send(job)

    def tell(self, mode: str) -> bool:
        """The mode the first half decided ("" for none): the helper counts with it, or stops."""
        return self._send(mode)

    def answer(self):
        try:
            return pickle.load(self.answers)  # noqa: S301 - our own fork's answer, through our own pipe
        except Exception:  # noqa: BLE001 - no answer or a truncated one: the helper died
            return None

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def close(self) -> None:
        """Close the jobs pipe (the helper then ends), and wait for it; one that does not end soon
        (halfway through a job) is stopped."""
        import contextlib
        import signal
        import time

        for pipe in (self.jobs, self.answers):
            with contextlib.suppress(OSError):
                pipe.close()
        deadline = time.monotonic() + 1.0
        try:
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.001)
        except ChildProcessError:
            pass


def _serve(jobs_fd: int, answers_fd: int) -> None:
    """The helper's loop: each job read, done and answered, until the jobs pipe ends."""
    with os.fdopen(jobs_fd, "rb") as jobs, os.fdopen(answers_fd, "wb") as answers:
        while True:
            try:
                job = pickle.load(jobs)  # noqa: S301 - from our own parent, through our own pipe
            except EOFError:
                return
            pickle.dump(_answer(job, jobs), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()


def _answer(job: tuple, jobs) -> tuple:
    """One job done in the helper, and the mode that follows it read off ``jobs`` in every case,
    so that the next job is where the next one is read."""
    told: list[str] = []

    def mode() -> str:
        told.append(pickle.load(jobs))  # noqa: S301 - from our own parent, through our own pipe
        return told[0]

    try:
        answer = ("ok", _second_half(job, mode))
    except SourceError as exc:
        answer = ("error", exc.reason)
    if not told:  # the job failed before it asked for the mode: it comes all the same
        mode()
    return answer


_HELPER: _Helper | None = None


def _helper() -> _Helper | None:
    """The run's helper, forked if there is none (or it died); None if it cannot be."""
    global _HELPER
    if _HELPER is not None and not _HELPER.alive():
        release()
    if _HELPER is None:
        try:
            _HELPER = _Helper()
        except OSError:
            return None
    return _HELPER


def release() -> None:
    """The logs are read: the helper, if one was forked, is let go (``pipeline.read_all`` calls
    this when a run's sources are read; at exit too)."""
    global _HELPER
    helper, _HELPER = _HELPER, None
    if helper is not None:
        helper.close()


atexit.register(release)


def describe(doc: SourceDoc) -> str:
    """One line for reports: format, lines read, unparsed, and what the timestamps lacked."""
    s = doc.series
    lacks = [w for w, flag in (("year", s.year_missing), ("zone", s.zone_missing)) if flag]
    return (f"{s.format}: {s.lines} lines, {s.unparsed} unparsed"
            + (f"; timestamps have no {' or '.join(lacks)}" if lacks else ""))


__all__ = ["NAME", "STREAMS", "Parser", "sniff", "read", "read_stream", "describe", "release"]
