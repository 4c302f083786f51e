"""The engines that read a log file's lines, behind one ``Engine`` protocol.

An engine turns a file into batches and each batch into the frame ``Tally`` counts (the columns
are ``reference``'s). The reference engine reads anything; the fast engine (Arrow and RE2) reads
regex formats in UTF-8 and must give the reference's rows exactly. ``choose`` picks the fastest
engine that accepts a file; Spark's engine (``spark``) is a separate, cluster-sized aggregation.
Engines are imported when chosen, so recognising a file never loads pandas or Arrow.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .formats import Parser

if TYPE_CHECKING:
    import pandas as pd

    from ..sources.base import Limits

BATCH = 100_000
"""Lines per batch, the same for every engine, so per-batch decisions (which lines decide UTC or
local, New Year roll-over) are taken on the same lines whichever engine reads."""


class Engine(Protocol):
    name: str
    splits: bool
    """Whether ``batches`` can read from and to byte offsets of a plain file, so that two
    processes can each read one half of a big file (``reader``)."""

    def accepts(self, parser: Parser, encoding: str) -> bool:
        """Whether this engine reads lines of ``parser``'s format in ``encoding`` exactly."""

    def batches(self, path: Path, display: str, encoding: str, max_line: int,
                start: int = 0, stop: int | None = None, limits: Limits | None = None) -> Iterator[Chunk]:
        """The file's lines, ``BATCH`` at a time (the last batch may be shorter); a line longer
        than ``max_line`` bytes comes as an empty line listed in ``Chunk.too_long``. An engine
        that ``splits`` reads bytes ``start`` to ``stop`` only (both just after a newline). A .gz
        is inflated under ``limits`` (``files.open_raw``: every member, counted across members)."""

    def parse(self, parser: Parser, batch: Sized, start: int) -> pd.DataFrame:
        """The frame for one batch whose first line is line ``start`` (1-based)."""


@dataclass(frozen=True)
class Chunk:
    """A batch of lines as an engine holds them, and which of them were too long to read."""

    lines: Sized
    too_long: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.lines)


class ReferenceEngine:
    """Text lines through Python's ``re``/``json``/``csv`` (``reference``): every format and encoding."""

    name = "reference"
    splits = False

    def accepts(self, parser: Parser, encoding: str) -> bool:
        return True

    def batches(self, path: Path, display: str, encoding: str, max_line: int,
                start: int = 0, stop: int | None = None, limits: Limits | None = None) -> Iterator[Chunk]:
        from .files import capped_lines, open_text

        with open_text(path, display, limits) as handle:
            for lines in line_batches(capped_lines(handle, max_line)):
                too_long = tuple(i for i, ln in enumerate(lines) if ln is None)
                yield Chunk([ln if ln is not None else "" for ln in lines] if too_long else lines, too_long)

    def parse(self, parser: Parser, batch: list[str], start: int):
        from .reference import parse, to_batch

        return to_batch(parse(parser, [ln.replace("\x00", "") for ln in batch], start))


def line_batches(lines: Iterable) -> Iterator[list]:
    lines = iter(lines)
    while batch := list(islice(lines, BATCH)):
        yield batch


AHEAD = 2
"""Batches an engine's reading thread may have ready before they are parsed (each is ~8 MB of lines)."""


def ahead(batches: Iterator[Chunk]) -> Iterator[Chunk]:
    """``batches``, each read on a thread of its own while the caller parses the one before:
    reading a file and cutting it into lines is mostly Arrow's work, which releases the GIL, so on
    a second core it costs no wall time. Nothing runs before the first batch is asked for (a
    process that forks to read a file's other half forks before its reading thread starts), the
    thread ends with the batches or as soon as the caller stops asking, and whatever the reading
    raises is raised here."""
    import queue
    import threading

    ready: queue.Queue = queue.Queue(AHEAD)
    stop = threading.Event()
    end = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for chunk in batches:
                if not put((chunk, None)):
                    return
            put((end, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, raised there
            put((end, exc))
        finally:
            batches.close()

    thread = threading.Thread(target=read, name="outagetl-log-read", daemon=True)
    thread.start()
    try:
        while True:
            chunk, exc = ready.get()
            if exc is not None:
                raise exc
            if chunk is end:
                return
            yield chunk
    finally:
        stop.set()
        thread.join()


def engines() -> tuple[Engine, ...]:
    """Every engine that can run here, fastest first."""
    found: list[Engine] = []
    try:
        from .fast import FastEngine
    except ImportError:  # pyarrow missing: the reference engine reads everything
        pass
    else:
        found.append(FastEngine())
    return (*found, ReferenceEngine())


def choose(parser: Parser, encoding: str) -> Engine:
    return next(e for e in engines() if e.accepts(parser, encoding))
