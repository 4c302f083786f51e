"""Renderers: a Timeline in, text out. Each format is one module with ``render(timeline, ...) -> str``."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Timeline

FORMATS = ("table", "markdown", "json", "csv", "html", "timelinejs")
"""Every format, one module each; a module is imported when its format is rendered (start-up stays fast)."""
EXTENSIONS = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv", "html": "html",
              "timelinejs": "timelinejs.json"}
CITATIONS = ("footnotes", "inline")
"""Markdown citations: footnotes render on GitHub; ``inline`` puts each quote in its row, for editors
that drop footnotes (Confluence, Notion, Google Docs), and lists how each was read under "Citations"."""
TITLED = ("table", "markdown", "html", "timelinejs")


def render(fmt: str, timeline: Timeline, zones: list[str] | None = None, color: bool = False,
           width: int = 120, title: str | None = None, citations: str = CITATIONS[0]) -> str:
    """Render with the options each format takes: local zones for markdown and html, colour and
    width for the table, a title for all but json and csv, the citation style for markdown."""
    from ..invisible import json_visible, visible
    from .common import visible_timeline

    if fmt not in FORMATS:
        raise KeyError(fmt)
    renderer = import_module(f"{__name__}.{fmt}").render
    if fmt == "json":  # data for tools: kept as read, with invisible characters as \u escapes
        return json_visible(renderer(timeline))
    # Every other format prints text a person reads: nothing in it may be invisible or obeyed by a terminal.
    timeline = visible_timeline(timeline)
    title = visible(title) if title else title
    options: dict = {"title": title} if fmt in TITLED else {}
    if fmt in ("markdown", "html"):
        options["zones"] = zones
    if fmt == "markdown":
        options["citations"] = citations
    if fmt == "table":
        options.update(color=color, width=width)
    text = renderer(timeline, **options)
    return json_visible(text) if fmt == "timelinejs" else text
