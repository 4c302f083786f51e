"""Log exports (syslog, access/error logs, app logs, journal JSON, JSON Lines, CSV) → per-minute counts.

A log is not read as text to quote sentence by sentence: it becomes a per-minute series of line
and error counts (``SourceDoc.series``) plus a few notable lines as records, and ``logevents``
turns those into claims. The file is streamed in batches, ``.gz`` included, so size does not matter.
"""
from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from ..model import SourceDoc
from . import logread
from .base import SourceError
from .logparse import Parser, detect
from .logtally import Tally

NAME = "log"
STREAMS = True
BATCH = 100_000
HEAD_LINES = 200
_GZIP_MAGIC = b"\x1f\x8b"


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
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return _read_lines(iter(lines), display)


def read_stream(path: Path, display: str) -> SourceDoc:
    with open_text(path, display) as handle:
        head = list(islice((ln.rstrip("\n") for ln in handle), HEAD_LINES))
        parser, share = detect(head)
        encoding = handle.encoding
    if parser is None or parser.kind != "regex" or share <= 0.5 or not logread.available() \
            or encoding not in ("utf-8", "utf-8-sig"):
        with open_text(path, display) as handle:
            return _read_lines((ln.rstrip("\n") for ln in handle), display)
    try:
        return logread.read_fast(path, parser, Tally(display, parser), encoding == "utf-8-sig")
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None


def open_text(path: Path, display: str | None = None) -> io.TextIOBase:
    """The file as text lines, gunzipped when it starts with the gzip magic, in its encoding."""
    display = display or str(path)
    try:
        with open(path, "rb") as probe:
            gz = probe.read(2) == _GZIP_MAGIC
        raw = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115 - the caller streams and closes it
        head = raw.peek(65536)[:65536] if hasattr(raw, "peek") else b""
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    if not head.strip():
        raw.close()
        raise SourceError(display, "file is empty")
    encoding = _encoding(head)
    if encoding is None:
        raw.close()
        raise SourceError(display, "binary file (NUL bytes), not text")
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None)


def _encoding(head: bytes) -> str | None:
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


def _read_lines(lines: Iterator[str], display: str) -> SourceDoc:
    try:
        head = list(islice(lines, HEAD_LINES))
        parser, share = detect(head)
        if parser is None or share <= 0.5:
            raise SourceError(display, "no known log format matches most of the first lines")
        tally = Tally(display, parser)
        start = 1
        for batch in _batches(head, lines):
            tally.add(parser.parse([ln.replace("\x00", "") for ln in batch], start))
            start += len(batch)
        return tally.finish()
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None


def _batches(head: list[str], rest: Iterator[str]) -> Iterable[list[str]]:
    batch = head + list(islice(rest, BATCH - len(head)))
    while batch:
        yield batch
        batch = list(islice(rest, BATCH))


def describe(doc: SourceDoc) -> str:
    """One line for reports: format, lines read, unparsed, and what the timestamps lacked."""
    a = doc.series.attrs
    lacks = [w for w, flag in (("year", a.get("year_missing")), ("zone", a.get("zone_missing"))) if flag]
    return (f"{a.get('format')}: {a.get('lines')} lines, {a.get('unparsed')} unparsed"
            + (f"; timestamps have no {' or '.join(lacks)}" if lacks else ""))


__all__ = ["NAME", "STREAMS", "Parser", "sniff", "read", "read_stream", "open_text", "describe"]
