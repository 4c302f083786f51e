"""Renderers: a Timeline in, text out. Each format is one module with ``render(timeline, ...) -> str``."""
from __future__ import annotations

from ..model import Timeline
from . import csv, html, json, markdown, table, timelinejs

FORMATS = {"table": table.render, "markdown": markdown.render, "json": json.render, "csv": csv.render,
           "html": html.render, "timelinejs": timelinejs.render}
EXTENSIONS = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv", "html": "html",
              "timelinejs": "timelinejs.json"}


def render(fmt: str, timeline: Timeline, zones: list[str] | None = None, color: bool = False,
           width: int = 120) -> str:
    """Render with the options that format takes: local zones for markdown and html, colour and width for table."""
    if fmt in ("markdown", "html"):
        return FORMATS[fmt](timeline, zones=zones)
    if fmt == "table":
        return FORMATS[fmt](timeline, color=color, width=width)
    return FORMATS[fmt](timeline)
