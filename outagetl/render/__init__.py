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


def render(fmt: str, timeline: Timeline, zones: list[str] | None = None, color: bool = False,
           width: int = 120) -> str:
    """Render with the options that format takes: local zones for markdown and html, colour and width for table."""
    if fmt not in FORMATS:
        raise KeyError(fmt)
    renderer = import_module(f"{__name__}.{fmt}").render
    if fmt in ("markdown", "html"):
        return renderer(timeline, zones=zones)
    if fmt == "table":
        return renderer(timeline, color=color, width=width)
    return renderer(timeline)
