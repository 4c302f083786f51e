"""Pick the reader for each file by sniffing its content, and expand folders into files."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path

from ..model import SourceDoc
from .base import SourceError, decode, read_bytes
from .manifest import MANIFEST

# Order breaks ties between equally confident readers; add a reader by adding its module here.
READERS = tuple(
    import_module(f"{__package__}.{name}")
    for name in ("article",)
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
    text = decode(display, read_bytes(path))
    head = text[:4096]
    scored = sorted(((reader.sniff(path, head), -i, reader) for i, reader in enumerate(READERS)),
                    key=lambda t: (t[0], t[1]), reverse=True)
    score, _, reader = scored[0]
    if score <= 0:
        raise SourceError(display, "no reader recognises this file")
    docs = reader.read(path, text, display)
    return list(docs) if isinstance(docs, (list, tuple)) else [docs]
