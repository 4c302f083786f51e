"""Records → time mentions: find expressions, choose each one's zone (and say why), anchor dates.

The stage is split by concern: ``lexicon``/``grammar``/``extract`` find what is written (per
language), ``context`` reads what a source tells about its times, ``anchor`` resolves an expression
to a UTC interval, ``relative`` and ``rollover`` place times that depend on another time, and
``mentions`` runs them over a source's records.
"""
from __future__ import annotations

from .anchor import Context, resolve
from .context import parse_published, publication_from_byline
from .extract import find
from .mentions import parse_source

__all__ = ["parse_source", "parse_published", "publication_from_byline", "find", "resolve", "Context"]
