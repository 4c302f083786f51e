"""Opening a log file: gunzipped when it starts with the gzip magic, decoded in its own encoding."""
from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..sources.base import Limits, SourceError, gzip_refusal

GZIP_MAGIC = b"\x1f\x8b"


def open_raw(path: Path, display: str | None = None, limits: Limits | None = None) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip (the caller closes it). With ``limits``, a
    .gz is inflated under them: every member is read, and the bytes inflated are counted across
    members, so reading stops with a SourceError as soon as they pass ``--max-gzip-bytes`` or
    ``--max-gzip-ratio``."""
    with open(path, "rb") as probe:
        gz = probe.read(2) == GZIP_MAGIC
    if not gz:
        return open(path, "rb")  # noqa: SIM115 - the caller streams and closes it
    if limits is None:
        return gzip.open(path, "rb")  # noqa: SIM115
    return io.BufferedReader(_Inflated(path, display or str(path), limits))


class _Inflated(io.RawIOBase):
    """A .gz's inflated bytes (all its members, as ``gzip`` reads them), refused once too many."""

    def __init__(self, path: Path, display: str, limits: Limits):
        self._gz = gzip.open(path, "rb")  # noqa: SIM115 - closed with this stream
        self._compressed = os.stat(path).st_size
        self._display, self._limits, self._total = display, limits, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._gz.readinto(buffer)
        self._total += n
        reason = gzip_refusal(self._compressed, self._total, self._limits)
        if reason:
            raise SourceError(self._display, reason)
        return n

    def close(self) -> None:
        self._gz.close()
        super().close()


def open_text(path: Path, display: str | None = None, limits: Limits | None = None) -> io.TextIOBase:
    """The file as text lines, gunzipped when it starts with the gzip magic, in its encoding."""
    display = display or str(path)
    try:
        raw = open_raw(path, display, limits)
        head = raw.peek(65536)[:65536] if hasattr(raw, "peek") else b""
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    if not head.strip():
        raw.close()
        raise SourceError(display, "file is empty")
    encoding = encoding_of(head)
    if encoding is None:
        raw.close()
        raise SourceError(display, "binary file (NUL bytes), not text")
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None)


def encoding_of(head: bytes) -> str | None:
    """The encoding a log's first bytes show: a BOM, else UTF-8 when they decode, else cp1252;
    None for binary (more than one byte in ten a NUL)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.count(b"\x00") > len(head) // 10:
        return None
    cut = head[: head.rfind(b"\n") + 1] or head
    try:
        cut.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


class Upto:
    """The next ``size`` bytes of a binary file, as a file that ends there."""

    def __init__(self, raw: BinaryIO, size: int):
        self.raw, self.left = raw, size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.raw.read(n) if n > 0 else b""
        self.left -= len(data)
        return data


CHUNK_BYTES = 4 << 20


def byte_chunks(raw: BinaryIO, limit: int) -> Iterator[tuple[bytes, list[int]]]:
    """Blocks of whole lines (cut after a newline), about ``CHUNK_BYTES`` each, and the indices
    (within the block) of the lines longer than ``limit`` bytes: each such line is given as an
    empty line and never held whole, so a gigabyte of NULs without a newline is one short line."""
    rest, skipping = b"", False
    while data := raw.read(CHUNK_BYTES):
        head: list[int] = []
        if skipping:
            nl = data.find(b"\n")
            if nl < 0:
                continue
            data, skipping, head = data[nl + 1:], False, [0]
        data = rest + data if rest else data
        cut = data.rfind(b"\n") + 1
        block, rest = data[:cut], data[cut:]
        if len(rest) > limit:
            rest, skipping = b"", True
        block, longs = _short_lines(block, limit)
        if head or block:
            yield (b"\n" if head else b"") + block, head + [i + len(head) for i in longs]
    if skipping:
        yield b"\n", [0]
    elif rest:
        yield (b"\n", [0]) if len(rest) > limit else (rest, [])


def _short_lines(block: bytes, limit: int) -> tuple[bytes, list[int]]:
    """``block`` with every line longer than ``limit`` bytes emptied, and their indices."""
    if len(block) <= limit:
        return block, []
    ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
    starts = np.r_[0, ends[:-1] + 1]
    longs = np.flatnonzero(ends - starts > limit)
    if longs.size == 0:
        return block, []
    pieces, at = [], 0
    for i in longs:
        pieces.append(block[at:starts[i]])
        at = int(ends[i])
    pieces.append(block[at:])
    return b"".join(pieces), longs.tolist()


def capped_lines(handle: io.TextIOBase, limit: int) -> Iterator[str | None]:
    """The text lines of ``handle`` (newline removed); None for a line longer than ``limit``
    characters, which is read past in pieces, never held whole."""
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = handle.readline(limit + 1)
            yield None
            continue
        yield line[:-1] if line.endswith("\n") else line
