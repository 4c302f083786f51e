"""Pick the reader for each file by sniffing its content, and expand folders into files."""
from __future__ import annotations

import gzip
import zlib
from importlib import import_module
from pathlib import Path

from ..model import SourceDoc
from .base import MAX_BYTES, SourceError, decode, read_bytes
from .manifest import MANIFEST

# Order breaks ties between equally confident readers; add a reader by adding its module here.
READERS = tuple(
    import_module(f"{__package__}.{name}")
    for name in ("logs", "metrics", "twitter", "mastodon", "bluesky", "statuspage", "feed", "jsonlines", "article")
)

_IGNORED_NAMES = {MANIFEST, "README.md", "README", ".DS_Store"}


def collect(paths: list[str]) -> list[tuple[Path, str, Path | None]]:
    """Every file to read as (path, display name, folder it came from); a folder means its files."""
    out = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path)
                if child.name in _IGNORED_NAMES or any(part.startswith(".") for part in rel.parts):
                    continue
                out.append((child, str(child), path))
        elif path.exists():
            out.append((path, str(path), None))
        else:
            raise SourceError(raw, "no such file or directory")
    return out


def read_path(path: Path, display: str) -> list[SourceDoc]:
    """Sniff from the head only; a reader with ``STREAMS = True`` then reads the file itself
    (``read_stream``), so big and gzipped logs are never decoded whole into memory."""
    gz = _is_gzip(path, display)
    head = decode(display, _head_bytes(path, display, gz))[:4096]
    scored = sorted(((reader.sniff(path, head), -i, reader) for i, reader in enumerate(READERS)),
                    key=lambda t: (t[0], t[1]), reverse=True)
    score, _, reader = scored[0]
    if score <= 0:
        raise SourceError(display, "no reader recognises this file")
    if getattr(reader, "STREAMS", False):
        docs = reader.read_stream(path, display)
    else:
        text = decode(display, _gunzip(path, display) if gz else read_bytes(path))
        docs = reader.read(path, text, display)
    return list(docs) if isinstance(docs, (list, tuple)) else [docs]


def _is_gzip(path: Path, display: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"\x1f\x8b"
    except OSError as exc:
        raise SourceError(display, f"cannot read: {exc.strerror or exc}") from None


def _head_bytes(path: Path, display: str, gz: bool, size: int = 65536) -> bytes:
    """The first bytes (decompressed for .gz), cut at the last full line so UTF-8 is not split."""
    try:
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as handle:
            data = handle.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    cut = data.rfind(b"\n")
    return data[: cut + 1] if len(data) == size and cut > 0 else data


def _gunzip(path: Path, display: str) -> bytes:
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    if len(data) > MAX_BYTES:
        raise SourceError(display, f"decompressed file is over the {MAX_BYTES}-byte limit")
    return data
