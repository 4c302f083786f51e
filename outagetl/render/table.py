"""The terminal view: a table of events, then each conflict with its quotes wrapped to the width.

Colour only on a terminal and never with NO_COLOR (https://no-color.org); piped output is plain text.
"""
from __future__ import annotations

import io
import os
import shutil
from pathlib import PurePath

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Timeline
from .common import conflicts_by_event, decision_text, event_by_id, evidence_lines, span_text

COLOURS = {"start": "red", "detected": "magenta", "acknowledged": "yellow", "update": "cyan",
           "mitigated": "blue", "resolved": "green", "other": "white"}


def terminal_options(stream, environ=os.environ) -> dict:
    """``color`` and ``width`` for writing to ``stream``: colour only on a TTY without NO_COLOR."""
    tty = hasattr(stream, "isatty") and stream.isatty()
    color = tty and not environ.get("NO_COLOR")
    width = shutil.get_terminal_size((120, 24)).columns if tty else 120
    return {"color": color, "width": width}


def _name(path: str) -> str:
    return PurePath(path).name or path


def render(timeline: Timeline, color: bool = False, width: int = 120) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=width, highlight=False, emoji=False, legacy_windows=False)
    rounded = box.ROUNDED if color else box.ASCII
    table = Table(title="Outage timeline (UTC)", box=rounded, expand=False)
    for name, ratio in (("#", None), ("UTC", None), ("Kind", None), ("What happened", 3), ("Cited", 2)):
        table.add_column(name, overflow="fold", ratio=ratio, no_wrap=ratio is None and name != "UTC")
    in_conflict = conflicts_by_event(timeline)
    for e in timeline.events:
        kind = Text(e.kind, style=COLOURS.get(e.kind, "white"))
        for c in in_conflict.get(e.id, []):
            kind.append(f" ⚠ {c.id}", style="bold reverse")
        cited = "\n".join(f"{_name(c.source)}: “{c.local_text}”" for c in e.claims)
        said = Text(e.summary)
        for correction in e.corrections:
            said.append(f"\n✎ {correction.text()}", style="italic")
        table.add_row(f"{e.id}\n{e.key}" if e.key else e.id, span_text(e.span), kind, said, Text(cited))
    console.print(table)
    events = event_by_id(timeline)
    for c in timeline.conflicts:
        console.print()
        console.print(Text.assemble((f"Conflict {c.id}", "bold"), f": {c.kind}, {len(c.events)} readings "
                                    f"{c.spread_minutes} min apart"))
        sub = Table(box=rounded, expand=True, show_header=True)
        names = [_name(claim.source) for eid in c.events for claim in events[eid].claims]
        sub.add_column("Event", no_wrap=True)
        sub.add_column("UTC", no_wrap=True)
        sub.add_column("Source", overflow="fold", min_width=min(max(map(len, names)), 30))
        sub.add_column("Quote", overflow="fold", ratio=1)
        for eid in c.events:
            for claim in events[eid].claims:
                sub.add_row(eid, span_text(claim.span), Text(_name(claim.source)), Text(f"“{claim.quote}”"))
        console.print(sub)
        for line in evidence_lines(timeline, c) if c.evidence else []:
            console.print(Text(line))
    if timeline.decisions:
        console.print()
        console.print(Text("Decisions", style="bold"))
        for c in timeline.decisions:
            console.print(Text(decision_text(timeline, c)))
    return buf.getvalue()
