"""Mastodon statuses as the API returns them (a list, one status, or search ``statuses``).

``content`` is HTML, so it is reduced to plain text before any time in it is looked for.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from ..model import SourceDoc
from . import posts
from .posts import Item, post_language, text_of

NAME = "mastodon"
PLATFORM = "Mastodon"


def sniff(path: Path, head: str) -> int:
    """85 when a JSON document shows a status's ``content`` next to an ``account``'s ``acct``."""
    if head.lstrip()[:1] not in ("[", "{"):
        return 0
    if re.search(r'"content"\s*:', head) and re.search(r'"acct"\s*:|"spoiler_text"\s*:', head):
        return 85
    return 0


def is_status(obj) -> bool:
    return (isinstance(obj, dict) and isinstance(obj.get("content"), str)
            and (isinstance(obj.get("account"), dict) or "spoiler_text" in obj or "visibility" in obj))


def items(obj, line: int | None = None, lines: posts.Lines | None = None) -> list[Item] | None:
    if not is_status(obj):
        return None
    shown = obj["reblog"] if is_status(obj.get("reblog")) else obj
    text = posts.html_text(shown.get("content"))
    warning = text_of(shown, "spoiler_text")
    if warning:
        text = f"{warning}\n\n{text}"
    if shown is not obj:
        text = f"boosted {_handle(shown) or '?'}: {text}"
    ident = obj.get("id")
    return [Item(
        when=obj.get("created_at"), text=text, what=f"status {ident}" if ident else "status",
        author=_handle(obj), url=text_of(obj, "url") or text_of(obj, "uri"),
        line=line if line is not None else (lines.find(ident) if lines else None),
        language=post_language(shown.get("language")),
    )]


def _handle(status: dict) -> str | None:
    """``acct`` is bare for the server's own users; the account URL supplies the server."""
    acct = text_of(status, "account", "acct") or text_of(status, "account", "username")
    if not acct:
        return None
    if "@" not in acct:
        try:
            host = urlsplit(text_of(status, "account", "url") or "").hostname
        except ValueError:  # "h://]": not an address; the handle stays bare
            host = None
        if host:
            acct = f"{acct}@{host}"
    return f"@{acct}"


def read(path: Path, text: str, display: str) -> SourceDoc:
    return posts.read_list(
        display, text, items, list_keys=("statuses",),
        not_one=lambda obj: "not a Mastodon status (no content/account)",
        none_found="no Mastodon statuses found (expected objects with content and account)",
        platform=PLATFORM, reader=NAME)

