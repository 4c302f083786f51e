"""Readers: one module per kind of input, each turning a file into a SourceDoc.

A reader module has ``NAME``, ``sniff(path, head) -> int`` (how sure it is that it can read the
file; 0 = not at all) and ``read(path, text, display) -> SourceDoc | list[SourceDoc]``. The registry
asks every reader and the most confident one reads the file.
"""
from .registry import READERS, collect, read_path

__all__ = ["READERS", "collect", "read_path"]
