"""What every reader shares: safe reading of a file's text and the error it raises."""
from __future__ import annotations

from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024
_MAGIC = (
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"), (b"PK\x03\x04", "ZIP archive"), (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"), (b"\x00\x00\x00", "binary data"), (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"), (b"SQLite format 3", "SQLite database"),
)


class SourceError(Exception):
    """An input that cannot be used at all; the message names the file (and line)."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(str(path), f"file is {size} bytes, over the {max_bytes}-byte limit")
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None


def decode(path: str, data: bytes) -> str:
    """Decode text the way a browser would for the common cases; refuse binary input."""
    if not data.strip():
        raise SourceError(path, "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            raise SourceError(path, "not valid UTF-16 despite its byte-order mark") from None
    head = data[:8192]
    magic = next((name for sig, name in _MAGIC if head.startswith(sig)), None)
    if magic:
        raise SourceError(path, f"binary file ({magic}), not text")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(head) // 20:
        raise SourceError(path, f"binary file ({controls} control bytes in the first {len(head)}), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError(
                path, f"not UTF-8 text (invalid byte at offset {exc.start}) and not cp1252"
            ) from None
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
