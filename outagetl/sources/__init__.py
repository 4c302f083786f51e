"""Readers: one module per kind of input, each turning a file into a SourceDoc.

A reader module has ``NAME``, ``sniff(path, head) -> int`` (how sure it is that it can read the
file; 0 = not at all) and ``read(path, text, display) -> SourceDoc | list[SourceDoc]``. The registry
asks every reader and the most confident one reads the file.
"""
from __future__ import annotations

__all__ = ["READERS", "collect", "read_path"]


def __getattr__(name: str):
    """The registry (and with it every reader) is imported on first use, not with ``sources.base``."""
    if name in __all__:
        from . import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
