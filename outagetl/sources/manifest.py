"""What only the user knows about a source: ``sources.toml`` beside the files, and ``--source-tz``."""
from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import ROLES, LanguageRule, Source, ZoneRule
from .base import Limits, SourceError

MANIFEST = "sources.toml"


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


class ManifestError(SourceError):
    """A ``sources.toml`` the user has to fix: a usage error (exit 2), never a manifest silently dropped."""


TYPES = ("article", "post", "status", "log", "metrics")
# What each key holds: the TOML types it accepts, and how a message names what was expected.
_EXPECTED = {
    "path": ((str,), "a string (a glob such as \"corriere-*.txt\")"),
    "timezone": ((str,), "a string (an IANA zone name such as \"Europe/Rome\")"),
    "published": ((str, datetime, date), "a date-time (2019-07-03T16:10:00+02:00), a date or a string"),
    "title": ((str,), "a string"),
    "type": ((str,), f"a string ({', '.join(TYPES)})"),
    "role": ((str,), f"a string ({', '.join(ROLES)})"),
    "language": ((str,), "a string (a language tag such as \"it\")"),
    "locale": ((str,), "a string (a locale such as \"en-US\")"),
}
_TOP = {"defaults": "a table ([defaults])", "source": "an array of tables ([[source]] entries)"}


def load_manifest(folder: Path, limits: Limits | None = None) -> list[Hint]:
    """The folder's hints, or a ManifestError naming the file, the line and the key at fault."""
    limits = limits or Limits()
    path = folder / MANIFEST
    if not path.is_file():
        return []
    where = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise ManifestError(where, f"file is {size} bytes, over the {limits.max_bytes}-byte limit (--max-bytes)")
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(where, f"cannot read manifest: {exc}") from None
    lines = _KeyLines(text)
    for key, value in data.items():
        if key not in _TOP:
            raise ManifestError(where, f"unknown key {key!r}; known keys: {', '.join(sorted(_TOP))}", lines.top(key))
        if not isinstance(value, dict if key == "defaults" else list):
            raise ManifestError(where, f"{key!r} must be {_TOP[key]}, not {_kind(value)}", lines.top(key))
    hints = []
    defaults = data.get("defaults", {})
    if defaults:
        hints.append(Hint("*", _checked(defaults, where, lines, "defaults", None, limits), ZoneRule.PINNED_MANIFEST_DEFAULTS))
    for n, entry in enumerate(data.get("source", [])):
        if not isinstance(entry, dict):
            raise ManifestError(where, f"'source' must be {_TOP['source']}, not {_kind(entry)}", lines.top("source"))
        if "path" not in entry:
            raise ManifestError(where, "every [[source]] needs a path", lines.table("source", n))
        values = _checked(entry, where, lines, "source", n, limits)
        hints.append(Hint(entry["path"], values, ZoneRule.PINNED_MANIFEST))
    return hints


def _checked(entry: dict, where: str, lines: _KeyLines, table: str, n: int | None, limits: Limits) -> dict:
    name = "[defaults]" if table == "defaults" else "[[source]]"
    for key, value in entry.items():
        line = lines.key(table, n, key)
        if key not in _EXPECTED:
            raise ManifestError(where, f"unknown key {key!r} in {name}; known keys: {', '.join(sorted(_EXPECTED))}", line)
        accepted, expected = _EXPECTED[key]
        if not isinstance(value, accepted) or isinstance(value, bool):
            raise ManifestError(where, f"{key!r} must be {expected}, not {_kind(value)}", line)
        if isinstance(value, str) and len(value) > limits.max_manifest_chars:
            raise ManifestError(where, f"{key!r} is {len(value)} characters, over the {limits.max_manifest_chars}-character "
                                       "limit (--max-manifest-chars)", line)
        if key == "timezone":
            try:
                check_zone(value, where)
            except SourceError as exc:
                raise ManifestError(where, exc.reason, line) from None
        if key == "role" and value not in ROLES:
            raise ManifestError(where, f"role must be one of {', '.join(ROLES)}, not {value!r}", line)
        if key == "type" and value not in TYPES:
            raise ManifestError(where, f"type must be one of {', '.join(TYPES)}, not {value!r}", line)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in entry.items() if k != "path"}


def _kind(value) -> str:
    """A TOML value's type as the manifest's author wrote it."""
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array", dict: "a table",
             datetime: "a date-time", date: "a date", time: "a time"}
    return next((name for kind, name in names.items() if type(value) is kind), type(value).__name__)


class _KeyLines:
    """Where each key of a manifest is written (tomllib gives values, not lines): a scan of the
    table headers and ``key =`` lines, enough to point the user at the line to fix."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([\w.-]+|\"[^\"]*\")\s*\]\]?")
    _KEY = re.compile(r"^\s*(?:\"([^\"]*)\"|'([^']*)'|([\w-]+))\s*=")

    def __init__(self, text: str):
        self.at: dict[tuple, int] = {}
        table: tuple = ("",)
        counts: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), 1):
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).strip('"')
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, -1) + 1
                    table = (name, counts[name])
                else:
                    table = (name, None)
                self.at.setdefault(("table", *table), number)
                self.at.setdefault(("top", name), number)
                continue
            key = self._KEY.match(line)
            if key:
                name = next(g for g in key.groups() if g is not None)
                self.at.setdefault((*table, name), number)
                if table == ("",):
                    self.at.setdefault(("top", name), number)

    def top(self, key: str) -> int | None:
        return self.at.get(("top", key))

    def table(self, table: str, n: int | None) -> int | None:
        return self.at.get(("table", table, n))

    def key(self, table: str, n: int | None, key: str) -> int | None:
        return self.at.get((table, n, key)) or self.table(table, n)


def source_tz_hints(pairs: tuple[str, ...]) -> list[Hint]:
    hints = []
    for pair in pairs:
        glob, sep, zone = pair.partition("=")
        if not sep or not glob or not zone:
            raise ValueError(f"--source-tz takes GLOB=ZONE, got {pair!r}")
        check_zone(zone, "--source-tz")
        hints.append(Hint(glob, {"timezone": zone}, ZoneRule.PINNED_SOURCE_TZ))
    return hints


def wanted_type(relative: str, hints: list[Hint] | tuple[Hint, ...]) -> str | None:
    """The source type the hints give this file (the last that matches), which picks its reader."""
    wanted = None
    for hint in hints:
        if "type" in hint.values and _matches(relative, hint.pattern):
            wanted = hint.values["type"]
    return wanted


def _matches(relative: str, pattern: str) -> bool:
    return fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(relative).name, pattern)


def apply(source: Source, relative: str, hints: list[Hint]) -> Source:
    """Later hints win: manifest defaults, then [[source]] entries, then --source-tz."""
    changes: dict = {}
    for hint in hints:
        if not _matches(relative, hint.pattern):
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
