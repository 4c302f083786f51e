"""Bluesky posts: bare ``app.bsky.feed.post`` records, ``listRecords`` output, and feed/post views.

A record's ``createdAt`` is whatever the client claimed; a view's ``indexedAt`` is when the
server saw it. The server's time is used, and a disagreement beyond five minutes is flagged.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Flag, FlagCode, SourceDoc
from . import posts
from .posts import Item, post_language, text_of

NAME = "bluesky"
PLATFORM = "Bluesky"
POST_TYPE = "app.bsky.feed.post"
CLOCK_TOLERANCE_MIN = 5
_AT_URI = re.compile(r"at://([^/]+)/app\.bsky\.feed\.post/([^/?#]+)$")


def sniff(path: Path, head: str) -> int:
    """85 for JSON naming the post record type or carrying a view's ``indexedAt``."""
    if head.lstrip()[:1] not in ("[", "{"):
        return 0
    if POST_TYPE in head or re.search(r'"indexedAt"\s*:', head):
        return 85
    if re.search(r'"createdAt"\s*:', head) and re.search(r'"text"\s*:', head):
        return 60
    return 0


def _is_record(obj) -> bool:
    return isinstance(obj, dict) and (obj.get("$type") == POST_TYPE or (
        "createdAt" in obj and isinstance(obj.get("text"), str) and "$type" not in obj))


def items(obj, line: int | None = None, lines: posts.Lines | None = None) -> list[Item] | None:
    if not isinstance(obj, dict):
        return None
    view = obj.get("post") if isinstance(obj.get("post"), dict) else obj
    if _is_record(view.get("record")):
        return [_item(view["record"], view, line, lines)]
    if _is_record(obj.get("value")):
        return [_item(obj["value"], obj, line, lines)]
    if _is_record(obj):
        return [_item(obj, {}, line, lines)]
    return None


def _item(record: dict, view: dict, line, lines) -> Item:
    created, indexed = record.get("createdAt"), view.get("indexedAt")
    when, flags = created, ()
    indexed_at = _try(indexed)
    if indexed_at is not None:
        when = indexed
        created_at = _try(created)
        if created_at is not None:
            minutes = abs((indexed_at - created_at).total_seconds()) / 60
            if minutes > CLOCK_TOLERANCE_MIN:
                flags = (Flag(FlagCode.BLUESKY_CLOCK, f"createdAt {created} differs from indexedAt {indexed} "
                              f"by {round(minutes)} min; indexedAt used"),)
    handle = text_of(view, "author", "handle")
    uri = text_of(view, "uri")
    return Item(
        when=when, text=text_of(record, "text") or "", what=f"post {uri}" if uri else "post",
        author=f"@{handle}" if handle else None, url=_web_url(uri, handle), flags=flags,
        line=line if line is not None else (lines.find(uri or created) if lines else None),
        language=post_language(record.get("langs")),
    )


def _try(raw):
    try:
        return posts.parse_iso(raw)
    except ValueError:
        return None


def _web_url(uri: str | None, handle: str | None) -> str | None:
    m = _AT_URI.match(uri or "")
    if not m:
        return uri
    return f"https://bsky.app/profile/{handle or m.group(1)}/post/{m.group(2)}"


def read(path: Path, text: str, display: str) -> SourceDoc:
    return posts.read_list(
        display, text, items, list_keys=("feed", "posts", "records"),
        not_one=lambda obj: f"not a Bluesky post (no {POST_TYPE} record)",
        none_found=f"no Bluesky posts found (expected {POST_TYPE} records or feed views)",
        platform=PLATFORM, reader=NAME)
