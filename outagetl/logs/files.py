"""Opening a log file: gunzipped when it starts with the gzip magic, decoded in its own encoding."""
from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO

from ..sources.base import SourceError

GZIP_MAGIC = b"\x1f\x8b"


def open_raw(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip (the caller closes it)."""
    with open(path, "rb") as probe:
        gz = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115 - the caller streams and closes it


def open_text(path: Path, display: str | None = None) -> io.TextIOBase:
    """The file as text lines, gunzipped when it starts with the gzip magic, in its encoding."""
    display = display or str(path)
    try:
        raw = open_raw(path)
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
