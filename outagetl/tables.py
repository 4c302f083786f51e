"""The data tables (zone abbreviations, milestone words, hedges, parts of day, locales).

Kept as TOML files in ``outagetl/data`` so that adding a word or a zone is a data change with a
sample that the test suite proves, not an edit to an if-chain.
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    with resources.files("outagetl.data").joinpath(f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)
