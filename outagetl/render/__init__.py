"""Renderers: a Timeline in, text out. Each format is one module with ``chunks(timeline, ...)``,
which yields the text piece by piece (an event or a few hundred rows at a time), and
``render(timeline, ...) -> str``, which joins them. A writer takes the pieces as they come, so a
timeline of 200,000 events is never one string of hundreds of megabytes in memory."""
from __future__ import annotations

from collections.abc import Iterator
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
    return "".join(chunks(fmt, timeline, zones, color, width, title, citations))


def chunks(fmt: str, timeline: Timeline, zones: list[str] | None = None, color: bool = False,
           width: int = 120, title: str | None = None, citations: str = CITATIONS[0]) -> Iterator[str]:
    """``render``'s text in pieces, in order (what a writer streams to a file or a terminal).
    An unknown format or a bad option is raised at the call, before any piece is given."""
    from ..invisible import json_visible, visible
    from .common import visible_timeline

    if fmt not in FORMATS:
        raise KeyError(fmt)
    if citations not in CITATIONS:
        raise ValueError(f"citations must be one of {', '.join(CITATIONS)}, not {citations!r}")
    renderer = import_module(f"{__name__}.{fmt}").chunks
    if fmt == "json":  # data for tools: kept as read, with invisible characters as \u escapes
        return map(json_visible, renderer(timeline))
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
    pieces = renderer(timeline, **options)
    return map(json_visible, pieces) if fmt == "timelinejs" else pieces
