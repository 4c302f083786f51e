"""The data tables (zone abbreviations, milestone words, hedges, parts of day, locales).

Kept as TOML files in ``outagetl/data`` so that adding a word or a zone is a data change with a
sample that the test suite proves, not an edit to an if-chain.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

from . import kept


@cache
def load(name: str) -> dict:
    """``outagetl/data/<name>.toml``, parsed once per process (and kept parsed between runs)."""
    with resources.files("outagetl.data").joinpath(f"{name}.toml").open("rb") as fh:
        return kept.toml(fh.read())
