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
from collections.abc import Iterator
from functools import lru_cache
from pathlib import PurePath

from rich import box
from rich._wrap import divide_line
from rich.cells import cell_len
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


@lru_cache(maxsize=4096)
def _name(path: str) -> str:
    """A source's file name (a few sources cite thousands of times each: asked once a source)."""
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
    return "".join(chunks(timeline, color, width, title))


ROWS = 256
"""Events per piece of ``chunks``: each piece is a table of this many rows, laid out at the widths
the whole table needs (``_widths``), so the pieces join into the one table rich would print."""


def chunks(timeline: Timeline, color: bool = False, width: int = 120, title: str | None = None) -> Iterator[str]:
    """``render``'s text in pieces of ``ROWS`` events (the table is never built whole: rich keeps
    every cell of a table it prints, and lays out 200,000 rows at several kilobytes each)."""
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=width, highlight=False, emoji=False, legacy_windows=False)

    def printed() -> list[str]:
        # Cells are padded to their width; at the end of a line that is only trailing space.
        lines = [line.rstrip(" ") + "\n" for line in buf.getvalue().splitlines()]
        buf.seek(0)
        buf.truncate()
        return lines

    rounded = box.ROUNDED if color else box.ASCII
    stacked = width < STACK_BELOW
    if stacked:
        yield from _stacked(console, timeline, title or DEFAULT_TITLE, printed)
    else:
        yield from _table(console, timeline, rounded, title or DEFAULT_TITLE, printed)
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
    yield "".join(printed())


COLUMNS = (("#", None), ("UTC", None), ("Kind", None), ("What happened", 3), ("Cited", 2))


def _cells(e, in_conflict) -> tuple:
    cited = "\n".join(_cited(c) for c in e.claims)
    return (f"{e.id}\n{e.key}" if e.key else e.id, span_text(e.span), _kind(e, in_conflict.get(e.id, [])),
            _said(e), Text(cited))


def _texts(e, in_conflict) -> tuple[str, ...]:
    """The plain text of each of ``_cells``: what is measured, and what ``_plain_rows`` lays out."""
    kind = e.kind + "".join(f" ⚠ {c.id}" for c in in_conflict.get(e.id, []))
    said = e.summary + "".join(f"\n✎ {correction.text()}" for correction in e.corrections)
    return (f"{e.id}\n{e.key}" if e.key else e.id, span_text(e.span), kind, said, "\n".join(_cited(c) for c in e.claims))


def _measure(cell) -> tuple[int, int]:
    """What rich measures a cell's text as (``Text.__rich_measure__``): its longest word, its longest line."""
    text = cell.plain if isinstance(cell, Text) else cell
    lines = text.splitlines()
    widest = max(map(cell_len, lines)) if lines else 0
    words = text.split()
    return (max(map(cell_len, words)) if words else widest), widest


def _widths(console: Console, timeline: Timeline, border, title: str, in_conflict) -> list[int]:
    """The column widths rich gives the whole table, found without building it: each column's
    longest word and longest line over every row (what rich measures a column by), given to rich's
    own layout as a table of two rows that measure the same."""
    low, high = [_measure(name) for name, _ in COLUMNS], None
    low, high = [m[0] for m in low], [m[1] for m in low]
    for e in timeline.events:
        for n, cell in enumerate(_texts(e, in_conflict)):
            mn, mx = _measure(cell)
            low[n], high[n] = max(low[n], mn), max(high[n], mx)
    table = _frame(title, border)
    for name, ratio in COLUMNS:
        table.add_column(name, overflow="fold", ratio=ratio, no_wrap=ratio is None and name != "UTC")
    table.add_row(*(Text("a" * mn) for mn in low))
    table.add_row(*(Text(((("a" * mn) + " ") * (mx // (mn + 1) + 1))[:mx]) if mn else Text("") for mn, mx in zip(low, high, strict=True)))
    options = console.options
    return table._calculate_column_widths(console, options.update_width(options.max_width - table._extra_width))


def _frame(title: str | None, border, header: bool = True) -> Table:
    return Table(title=title, box=border, expand=False, show_header=header)


def _table(console: Console, timeline: Timeline, border, title: str, printed) -> Iterator[str]:
    in_conflict = conflicts_by_event(timeline)
    widths = _widths(console, timeline, border, title, in_conflict)
    events = timeline.events
    held: list[str] | None = None
    bottom = ""
    wraps = [ratio is not None or name == "UTC" for name, ratio in COLUMNS]
    for lo in range(0, max(len(events), 1), ROWS):
        first = lo == 0
        chunk = events[lo:lo + ROWS]
        plain = None if first or border is not box.ASCII else _plain_rows([_texts(e, in_conflict) for e in chunk], widths, wraps)
        if plain is not None:
            lines = ["", *plain, bottom]
        else:
            table = _frame(title if first else None, border, header=first)
            for (name, ratio), w in zip(COLUMNS, widths, strict=True):
                table.add_column(name, overflow="fold", width=w - 2, no_wrap=ratio is None and name != "UTC")
            for e in chunk:
                table.add_row(*_cells(e, in_conflict))
            console.print(table)
            lines = printed()
            bottom = lines[-1]
        if not first:
            lines = lines[1:]  # its top edge: the rows go on from the piece before
        if held is not None:
            yield "".join(held[:-1])  # the bottom edge: more rows follow
        held = lines
    yield "".join(held)


FAST = True
"""Rows of plain cells are laid out here rather than by rich (``_plain_rows``): the same bytes,
twenty times faster (rich takes a millisecond a row: minutes for an export of 200,000 posts)."""
_ONE_CELL: dict[str, bool] = {}


def _plain(text: str) -> bool:
    """Text whose every character takes one cell and that rich splits only at its newlines: no
    tab, no blank line, no newline at its ends."""
    if "\t" in text or "\n\n" in text or text.startswith("\n") or text.endswith("\n"):
        return False
    if text.isascii():
        return text.isprintable() or all(ch == "\n" or ch.isprintable() for ch in text)
    for ch in set(text):
        known = _ONE_CELL.get(ch)
        if known is None:
            known = _ONE_CELL[ch] = ch == "\n" or (ch.isprintable() and cell_len(ch) == 1 and len(ch.encode("utf-16-le")) == 2)
        if not known:
            return False
    return True


def _plain_rows(rows: list[tuple], widths: list[int], wraps: list[bool]) -> list[str] | None:
    """The lines rich prints for these rows of an uncoloured ASCII table at ``widths`` (each cell
    padded by a space each side), or None when a cell is not ``_plain`` (rich lays those out).
    Each line of a cell is wrapped where rich wraps it (``divide_line``, folding a word longer
    than the column), cut and padded to the column; a row is as tall as its tallest cell."""
    if not FAST:
        return None
    out: list[str] = []
    for row in rows:
        columns = []
        for text, width, wrap in zip(row, widths, wraps, strict=True):
            if not _plain(text):
                return None
            room = width - 2
            lines = []
            for line in text.split("\n"):
                if wrap:
                    cuts = [0, *divide_line(line, room, fold=True), len(line)]
                    pieces = [line[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
                else:
                    pieces = [line]
                # rich strips the spaces past the width from a wrapped line, then cuts it to the width:
                # the cut alone gives the same
                lines += [" " + piece[:room].ljust(room) + " " for piece in pieces]
            columns.append(lines)
        height = max(map(len, columns))
        for n in range(height):
            line = "|" + "|".join(c[n] if n < len(c) else " " * w for c, w in zip(columns, widths, strict=True)) + "|"
            out.append(line.rstrip(" ") + "\n")
    return out


def _said(event) -> Text:
    """What happened, and under it each analyst's correction (a case file's decisions)."""
    said = Text(event.summary)
    for correction in event.corrections:
        said.append(f"\n✎ {correction.text()}", style="italic")
    return said


def _block(console: Console, ident: str, lines: list[Text], id_width: int) -> None:
    """``ident`` in a narrow first column, ``lines`` wrapped beside it: one block per event."""
    _blocks(console, [(ident, lines)], id_width)


def _blocks(console: Console, blocks: list[tuple[str, list[Text]]], id_width: int) -> None:
    """Several blocks as one grid: the same lines as a grid each (the first column is ``id_width``
    wide in every one; the second is wrapped at what the width leaves it, and a line narrower than
    that is only padded, which the end of line strips), at a fraction of rich's cost per grid."""
    if not blocks:
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=id_width)
    grid.add_column(overflow="fold", ratio=1)
    for ident, lines in blocks:
        for n, line in enumerate(lines):
            grid.add_row(ident if n == 0 else "", line)
    console.print(grid)


def _id_width(timeline: Timeline) -> int:
    return max((len(e.id) for e in timeline.events), default=2)


def _stacked(console: Console, timeline: Timeline, title: str, printed) -> Iterator[str]:
    console.print(Text(title, style="bold"))
    console.print(Text("-" * min(console.width, max(len(title), 1))))
    in_conflict = conflicts_by_event(timeline)
    id_width = _id_width(timeline)
    events = timeline.events
    for lo in range(0, len(events), ROWS):
        blocks: list[tuple[str, list[Text]]] = []
        for e in events[lo:lo + ROWS]:
            head = Text.assemble((span_text(e.span), "bold"), "  ", _kind(e, in_conflict.get(e.id, [])),
                                 (f"  key {e.key}" if e.key else "", "dim"))
            lines = [head, _said(e), *(Text(f"· {_cited(c)}") for c in e.claims)]
            if any("\t" in line.plain for line in lines):
                # rich measures a tab as no cell and prints it as eight: how such a block wraps
                # depends on its own grid's width, so it keeps a grid of its own
                _blocks(console, blocks, id_width)
                _blocks(console, [(e.id, lines)], id_width)
                blocks = []
            else:
                blocks.append((e.id, lines))
        _blocks(console, blocks, id_width)
        yield "".join(printed())


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
