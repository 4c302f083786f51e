"""The engines that read a log file's lines, behind one ``Engine`` protocol.

An engine turns a file into batches and each batch into the frame ``Tally`` counts (the columns
are ``reference``'s). The reference engine reads anything; the fast engine (Arrow and RE2) reads
regex formats in UTF-8 and must give the reference's rows exactly. ``choose`` picks the fastest
engine that accepts a file; Spark's engine (``spark``) is a separate, cluster-sized aggregation.
Engines are imported when chosen, so recognising a file never loads pandas or Arrow.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .formats import Parser

if TYPE_CHECKING:
    import pandas as pd

BATCH = 100_000
"""Lines per batch, the same for every engine, so per-batch decisions (which lines decide UTC or
local, New Year roll-over) are taken on the same lines whichever engine reads."""


class Engine(Protocol):
    name: str
    parallel: bool
    """Whether ``parse`` may run on several batches at once, on other threads (it keeps no state
    and spends its time in code that releases the GIL)."""

    def accepts(self, parser: Parser, encoding: str) -> bool:
        """Whether this engine reads lines of ``parser``'s format in ``encoding`` exactly."""

    def batches(self, path: Path, display: str, encoding: str) -> Iterator[Sized]:
        """The file's lines, ``BATCH`` at a time (the last batch may be shorter)."""

    def parse(self, parser: Parser, batch: Sized, start: int) -> pd.DataFrame:
        """The frame for one batch whose first line is line ``start`` (1-based)."""


class ReferenceEngine:
    """Text lines through Python's ``re``/``json``/``csv`` (``reference``): every format and encoding."""

    name = "reference"
    parallel = False

    def accepts(self, parser: Parser, encoding: str) -> bool:
        return True

    def batches(self, path: Path, display: str, encoding: str) -> Iterator[list[str]]:
        from .files import open_text

        with open_text(path, display) as handle:
            yield from line_batches(ln.rstrip("\n") for ln in handle)

    def parse(self, parser: Parser, batch: list[str], start: int):
        from .reference import parse, to_batch

        return to_batch(parse(parser, [ln.replace("\x00", "") for ln in batch], start))


def line_batches(lines: Iterable[str]) -> Iterator[list[str]]:
    lines = iter(lines)
    while batch := list(islice(lines, BATCH)):
        yield batch


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
