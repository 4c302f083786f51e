"""Change words (deploy, rollback, config push…) as data (``data/log_changes.toml``) → one regex.

A line that announces a change is kept as a record and becomes a claim of the kind the table
gives; every engine finds the same sort with ``change_sort``, and the fast one first skips lines
that ``change_prefilter`` (an RE2 superset) rules out.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def change_words() -> tuple[str, dict[str, str], int]:
    """The change-word pattern's source (one named group per change sort), their claim kinds, the
    record cap: what most logs need, without compiling the pattern (7 ms) that only a line which
    may hold a change word (``change_prefilter``) is searched with."""
    raw = tomllib.loads((resources.files("outagetl") / "data" / "log_changes.toml").read_text("utf-8"))
    parts = []
    for sort, words in raw["changes"].items():
        alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        parts.append(f"(?P<{sort}>{alts})")
    pattern = r"(?i)(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])(?!\s*[:=])"
    return pattern, dict(raw.get("claim_kinds", {})), int(raw.get("limits", {}).get("records", 100))


@lru_cache(maxsize=1)
def change_table() -> tuple[re.Pattern, dict[str, str], int]:
    """The change-word regex, compiled, with the claim kinds and the record cap (``change_words``)."""
    pattern, kinds, limit = change_words()
    return re.compile(pattern), kinds, limit


@lru_cache(maxsize=1)
def change_prefilter() -> str:
    """An RE2 superset of the change regex (no lookarounds): lines it misses have no change word."""
    pattern = change_words()[0]
    words = re.sub(r"\(\?<?[=!](?:[^()\\]|\\.|\([^()]*\))*\)", "", pattern)
    return words.replace(r"\s", r"[\t-\r\x1c-\x20]")


def change_sort(body: str) -> str | None:
    """The change sort the first change word in ``body`` names."""
    m = change_table()[0].search(body)
    return next((k for k, v in m.groupdict().items() if v is not None), None) if m else None
