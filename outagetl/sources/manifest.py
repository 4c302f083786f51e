"""What only the user knows about a source: ``sources.toml`` beside the files, and ``--source-tz``."""
from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import ROLES, LanguageRule, Source, ZoneRule
from .base import SourceError

MANIFEST = "sources.toml"
_KEYS = {"path", "timezone", "published", "title", "type", "role", "language", "locale"}


@dataclass(frozen=True)
class Hint:
    pattern: str
    values: dict = field(default_factory=dict)
    rule: ZoneRule = ZoneRule.PINNED_MANIFEST
    """The rule a zone pinned by this hint is recorded with."""


def check_zone(name: str, where: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(where, f"unknown time zone {name!r} (use an IANA name like Europe/Rome)") from None
    return name


def load_manifest(folder: Path) -> list[Hint]:
    path = folder / MANIFEST
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceError(str(path), f"cannot read manifest: {exc}") from None
    hints = []
    defaults = data.get("defaults", {})
    if defaults:
        hints.append(Hint("*", _checked(defaults, str(path)), ZoneRule.PINNED_MANIFEST_DEFAULTS))
    for entry in data.get("source", []):
        if not isinstance(entry, dict) or "path" not in entry:
            raise SourceError(str(path), "every [[source]] needs a path")
        hints.append(Hint(str(entry["path"]), _checked(entry, str(path)), ZoneRule.PINNED_MANIFEST))
    return hints


def _checked(entry: dict, where: str) -> dict:
    unknown = set(entry) - _KEYS
    if unknown:
        raise SourceError(where, f"unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_KEYS))}")
    if "timezone" in entry:
        check_zone(entry["timezone"], where)
    if "role" in entry and entry["role"] not in ROLES:
        raise SourceError(where, f"role must be one of {', '.join(ROLES)}")
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in entry.items() if k != "path"}


def source_tz_hints(pairs: tuple[str, ...]) -> list[Hint]:
    hints = []
    for pair in pairs:
        glob, sep, zone = pair.partition("=")
        if not sep or not glob or not zone:
            raise ValueError(f"--source-tz takes GLOB=ZONE, got {pair!r}")
        check_zone(zone, "--source-tz")
        hints.append(Hint(glob, {"timezone": zone}, ZoneRule.PINNED_SOURCE_TZ))
    return hints


def apply(source: Source, relative: str, hints: list[Hint]) -> Source:
    """Later hints win: manifest defaults, then [[source]] entries, then --source-tz."""
    changes: dict = {}
    for hint in hints:
        name = Path(relative).name
        if not (fnmatch.fnmatch(relative, hint.pattern) or fnmatch.fnmatch(name, hint.pattern)):
            continue
        for key, value in hint.values.items():
            if key == "timezone":
                changes["zone"] = value
                changes["zone_rule"] = hint.rule
            else:
                changes[key] = value
                if key == "language" or key == "locale" and not (changes.get("language") or source.language):
                    changes["language_rule"] = LanguageRule.DECLARED_MANIFEST
    return replace(source, **changes) if changes else source
