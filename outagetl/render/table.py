"""The terminal view: a rich table, then the conflicts."""
from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from ..model import Timeline
from .common import event_by_id, span_text

COLOURS = {"start": "red", "detected": "magenta", "acknowledged": "yellow", "update": "cyan",
           "mitigated": "blue", "resolved": "green", "other": "white"}


def render(timeline: Timeline, color: bool = False, width: int = 120) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width, highlight=False)
    table = Table(title="Outage timeline (UTC)", show_lines=False, expand=False)
    for name in ("#", "UTC", "Local", "Kind", "Summary", "Sources"):
        table.add_column(name, overflow="fold")
    conflicted = {eid: c.id for c in timeline.conflicts for eid in c.events}
    for e in timeline.events:
        kind = f"[{COLOURS.get(e.kind, 'white')}]{e.kind}[/]" + (f" ⚠{conflicted[e.id]}" if e.id in conflicted else "")
        local = "\n".join(dict.fromkeys(c.local for c in e.claims))
        table.add_row(e.id, span_text(e.span), local, kind, e.summary, "\n".join(dict.fromkeys(c.source for c in e.claims)))
    console.print(table)
    events = event_by_id(timeline)
    for c in timeline.conflicts:
        console.print(f"[bold]Conflict {c.id}[/]: {c.kind}, spread {c.spread_minutes} min")
        for eid in c.events:
            for claim in events[eid].claims:
                console.print(f"  {eid} {span_text(claim.span)}  {claim.source}: “{claim.local_text}”")
    return buf.getvalue()
