"""JSON Lines of posts (tweets v1.1/v2, Mastodon statuses, Bluesky records or feed items).

Scrapers and streaming APIs write one post per line and sometimes a broken line; each line stands
alone, so a bad one is skipped with its line number and the rest are still read. Log-shaped lines
(``level``/``msg`` with no post text) belong to the log reader and are not claimed here.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ..model import Skip, SourceDoc
from .base import SourceError

NAME = "jsonlines"
_POST_KEYS = {"text", "full_text", "content", "record", "post", "value", "tweet", "data"}
_LOG_KEYS = {"level", "@timestamp", "msg", "severity", "levelname", "log.level"}
_SNIFF_BYTES = 256 * 1024


def sniff(path: Path, head: str) -> int:
    """92 when most complete lines are JSON objects shaped like posts; 0 for log-shaped lines."""
    if not head.lstrip().startswith("{"):
        return 0
    lines = [ln for ln in head.split("\n") if ln.strip()]
    if len(lines) < 3 and len(head) >= 4096:
        lines = [ln for ln in _more(path).split("\n") if ln.strip()][:50]
    if len(lines) < 2:
        return 0
    objects = _objects(lines)
    shaped = [obj for obj in objects if _platform(obj)[0] is not None]
    if not shaped or len(shaped) * 2 < len(objects):
        return 0
    return 92


def _objects(lines: list[str]) -> list[dict]:
    out = []
    for line in lines:
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            out.append(obj)
    return out


def _more(path: Path) -> str:
    """A first line longer than the registry's head (a v1.1 tweet with its user) needs more text."""
    try:
        with open(path, "rb") as handle:
            return handle.read(_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


@cache
def _platforms() -> tuple:
    """The platforms' readers, imported when a file opens like JSON: the registry asks this reader
    first (it scores highest), and a log must not pay for the post readers' imports."""
    from . import bluesky, mastodon, twitter

    return (twitter, "Twitter"), (mastodon, "Mastodon"), (bluesky, "Bluesky")


def _platform(obj, line: int | None = None):
    """The platform whose reader takes this object, and the items it read (each post read once)."""
    if not isinstance(obj, dict):
        return None, None
    if _LOG_KEYS & obj.keys() and not _POST_KEYS & obj.keys():
        return None, None
    for module, platform in _platforms():
        got = module.items(obj, line=line)
        if got is not None:
            return platform, got
    return None, None


def read(path: Path, text: str, display: str) -> SourceDoc:
    found, skips, platforms, valid = [], [], set(), 0
    for n, raw in enumerate(_lines(text), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            skips.append(Skip(display, f"line {n}", f"invalid JSON: {exc.msg} (column {exc.colno})", n))
            continue
        except RecursionError:
            skips.append(Skip(display, f"line {n}", "invalid JSON: nested too deeply", n))
            continue
        valid += 1
        platform, got = _platform(obj, n)
        if platform is not None:
            found.extend(got)
            platforms.add(platform)
        else:
            skips.append(Skip(display, f"line {n}", f"not a post or status ({_describe(obj)})", n))
    if not found:
        first = f"; line {skips[0].line}: {skips[0].reason}" if skips else ""
        what = "no post or status on any line" if valid else "no line is valid JSON"
        raise SourceError(display, f"not JSON Lines of posts: {what}{first}", line=skips[0].line if skips else None)
    platform = platforms.pop() if len(platforms) == 1 else "Social media"
    from . import posts

    return posts.build(display, NAME, found, type="post", role="public", skipped=skips,
                       platform=platform)


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time: an export of 200,000 posts is not copied into a list first."""
    at = 0
    while (end := text.find("\n", at)) >= 0:
        yield text[at:end]
        at = end + 1
    yield text[at:]


def _describe(obj) -> str:
    if isinstance(obj, dict):
        return "keys: " + ", ".join(sorted(map(str, obj))[:6]) if obj else "empty object"
    return f"a JSON {type(obj).__name__}"
