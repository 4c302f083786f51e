"""The terminal view: the events, then each conflict with its quotes, wrapped to the width.

From ``STACK_BELOW`` columns down (an 80-column terminal) a table would squeeze its text into
columns a few characters wide, so each event becomes a block instead: id, time and kind on one line,
what happened and the citations under it. Widths are terminal cells (rich's ``cell_len``), so
Chinese, Japanese and Korean text counts double. Colour only on a terminal and never with NO_COLOR
(https://no-color.org); piped output is plain text with ASCII borders.
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

from ..model import Taken, Timeline
from .common import conflict_heading, conflicts_by_event, decision_text, evidence_lines, safe_url, span_text

COLOURS = {"start": "red", "detected": "magenta", "acknowledged": "yellow", "update": "cyan",
           "mitigated": "blue", "resolved": "green", "other": "white"}
STACK_BELOW = 100
DEFAULT_TITLE = "Outage timeline (UTC)"


def terminal_options(stream, environ=os.environ) -> dict:
    """``color`` and ``width`` for writing to ``stream``: colour only on a TTY without NO_COLOR."""
    tty = hasattr(stream, "isatty") and stream.isatty()
    color = tty and not environ.get("NO_COLOR")
    width = shutil.get_terminal_size((120, 24)).columns if tty else 120
    return {"color": color, "width": width}


def _name(path: str) -> str:
    return PurePath(path).name or path


def _kind(event, conflicts) -> Text:
    kind = Text(event.kind, style=COLOURS.get(event.kind, "white"))
    for c in conflicts:
        kind.append(f" ⚠ {c.id}", style="bold reverse")
    return kind


def _cited(claim) -> str:
    """"tweets.json: “since about 9:55 ET” (@dana_writes, https://…)": the address holds the post id."""
    meta = [m for m in (claim.author, safe_url(claim.url)) if m]
    return f"{_name(claim.source)}: “{claim.local_text}”" + (f" ({', '.join(meta)})" if meta else "")


def render(timeline: Timeline, color: bool = False, width: int = 120, title: str | None = None) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=width, highlight=False, emoji=False, legacy_windows=False)
    rounded = box.ROUNDED if color else box.ASCII
    stacked = width < STACK_BELOW
    (_stacked if stacked else _table)(console, timeline, rounded, title or DEFAULT_TITLE)
    for c in timeline.conflicts:
        console.print()
        console.print(Text.assemble((f"Conflict {c.id}", "bold"), conflict_heading(c)[len(c.id):]))
        if stacked:
            _stacked_conflict(console, c)
        else:
            _conflict_table(console, c, rounded)
        for line in evidence_lines(timeline, c) if c.evidence else []:
            console.print(Text(line))
    if timeline.decisions:
        console.print()
        console.print(Text("Decisions", style="bold"))
        for c in timeline.decisions:
            console.print(Text(decision_text(timeline, c)))
    # Cells are padded to their width; at the end of a line that is only trailing space.
    return "".join(line.rstrip(" ") + "\n" for line in buf.getvalue().splitlines())


def _table(console: Console, timeline: Timeline, border, title: str) -> None:
    table = Table(title=title, box=border, expand=False)
    for name, ratio in (("#", None), ("UTC", None), ("Kind", None), ("What happened", 3), ("Cited", 2)):
        table.add_column(name, overflow="fold", ratio=ratio, no_wrap=ratio is None and name != "UTC")
    in_conflict = conflicts_by_event(timeline)
    for e in timeline.events:
        cited = "\n".join(_cited(c) for c in e.claims)
        table.add_row(f"{e.id}\n{e.key}" if e.key else e.id, span_text(e.span), _kind(e, in_conflict.get(e.id, [])),
                      _said(e), Text(cited))
    console.print(table)


def _said(event) -> Text:
    """What happened, and under it each analyst's correction (a case file's decisions)."""
    said = Text(event.summary)
    for correction in event.corrections:
        said.append(f"\n✎ {correction.text()}", style="italic")
    return said


def _block(console: Console, ident: str, lines: list[Text], id_width: int) -> None:
    """``ident`` in a narrow first column, ``lines`` wrapped beside it: one block per event."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=id_width)
    grid.add_column(overflow="fold", ratio=1)
    for n, line in enumerate(lines):
        grid.add_row(ident if n == 0 else "", line)
    console.print(grid)


def _id_width(timeline: Timeline) -> int:
    return max((len(e.id) for e in timeline.events), default=2)


def _stacked(console: Console, timeline: Timeline, border, title: str) -> None:
    console.print(Text(title, style="bold"))
    console.print(Text("-" * min(console.width, max(len(title), 1))))
    in_conflict = conflicts_by_event(timeline)
    for e in timeline.events:
        head = Text.assemble((span_text(e.span), "bold"), "  ", _kind(e, in_conflict.get(e.id, [])),
                             (f"  key {e.key}" if e.key else "", "dim"))
        _block(console, e.id, [head, _said(e), *(Text(f"· {_cited(c)}") for c in e.claims)], _id_width(timeline))


def _conflict_table(console: Console, conflict, border) -> None:
    sub = Table(box=border, expand=True, show_header=True)
    names = [_name(r.claim.source) for r in conflict.readings]
    sub.add_column("Event", no_wrap=True)
    sub.add_column("UTC", no_wrap=True)
    sub.add_column("Source", overflow="fold", min_width=min(max(map(len, names), default=6), 30))
    sub.add_column("Quote", overflow="fold", ratio=1)
    for r in conflict.readings:
        sub.add_row(r.event, _reading_time(r), Text(_name(r.claim.source)), Text(f"“{r.claim.quote}”"))
    console.print(sub)


def _reading_time(r) -> str:
    return span_text(r.span) + (" (zone as written)" if r.taken is Taken.ZONE_AS_WRITTEN else "")


def _stacked_conflict(console: Console, conflict) -> None:
    for r in conflict.readings:
        eid, claim = r.event, r.claim
        head = Text.assemble((_reading_time(r), "bold"), f"  {_name(claim.source)}")
        _block(console, eid, [head, Text(f"“{claim.quote}”")], max(map(len, conflict.events)))
