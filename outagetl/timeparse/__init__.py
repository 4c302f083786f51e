"""Records → time mentions: find expressions, choose each one's zone (and say why), anchor dates.

The stage is split by concern: ``lexicon``/``grammar``/``extract`` find what is written (per
language), ``context`` reads what a source tells about its times, ``anchor`` resolves an expression
to a UTC interval, ``relative`` and ``rollover`` place times that depend on another time, and
``mentions`` runs them over a source's records.

The names below are imported when first asked for: a build of logs alone, or a stage that needs
only ``timeparse.zones``, never loads the grammar (some 50 ms of imports).
"""
from __future__ import annotations

import importlib

_EXPORTS = {"parse_source": ".mentions", "parse_published": ".context", "publication_from_byline": ".context",
            "find": ".extract", "resolve": ".anchor", "Context": ".anchor"}

__all__ = ["parse_source", "parse_published", "publication_from_byline", "find", "resolve", "Context"]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value
