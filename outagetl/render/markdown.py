"""Markdown for postmortem writers: paste under a "Timeline" heading (sections are level 3); renders on GitHub.

Source text is escaped so a story cannot inject HTML or break a table.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import PurePath

from ..metrics import describe
from ..model import Timeline
from . import CITATIONS
from .common import (
    citation_meta,
    clock,
    conflict_heading,
    conflicts_by_event,
    decision_text,
    elsewhere,
    elsewhere_text,
    evidence_lines,
    flagged,
    iso,
    metric_range,
    reading,
    reading_as,
    rule_text,
    safe_url,
    show_zones,
    source_corrections,
    zone_assumptions,
    zone_text,
)

_NO_LINK = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]"})


def _text(text: str) -> str:
    """Source text as Markdown text: no HTML (escaped), no link or image (``[`` ``]`` escaped), no
    bare address that GitHub would turn into one (``https\\://``, ``www\\.``), on one line."""
    text = html.escape(str(text), quote=False).replace("\r", " ").replace("\n", " ").translate(_NO_LINK)
    return re.sub(r"(?i)(?<=[a-z0-9])://|(?<![\w.])(www)\.", lambda m: r"\://" if m.group(1) is None else m.group(1) + r"\.", text)


def _code(text: str, cell: bool = False) -> str:
    """A code span that holds any name as written: a fence of more backticks than the name's longest
    run, padded where the name starts or ends with one; in a table cell ``|`` is escaped (GitHub
    reads it there even inside code)."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    body = text.replace("|", "\\|") if cell else text
    return f"{fence}{pad}{body}{pad}{fence}"


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|")


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _meta(claim) -> str:
    """"; @handle, post 123, <https://…>": the address as an autolink (only plain http(s) ones)."""
    parts = [f"<{p}>" if p == safe_url(claim.url) else _text(p) for p in citation_meta(claim)]
    return f"; {', '.join(parts)}" if parts else ""


def render(timeline: Timeline, zones: list[str] | None = None, title: str | None = None,
           citations: str = CITATIONS[0]) -> str:
    return "".join(chunks(timeline, zones, title, citations))


ROWS = 256
"""Rows of the events table per piece of ``chunks``."""


def chunks(timeline: Timeline, zones: list[str] | None = None, title: str | None = None,
           citations: str = CITATIONS[0]) -> Iterator[str]:
    """``render``'s text in pieces: the events table a few hundred rows at a time, then each
    section. The citations are numbered in event order; their text is made again where it is
    printed at the end, rather than held for every event."""
    if citations not in CITATIONS:
        raise ValueError(f"citations must be one of {', '.join(CITATIONS)}, not {citations!r}")
    return _chunks(timeline, zones, title, citations == "inline")


def _note(c, inline: bool) -> str:
    where = f"{_code(c.source)} ({c.role}{f', line {c.line}' if c.line else ''}{_meta(c)})"
    return f"{where}: {_text(reading(c))}" if inline else f"{where}: “{_text(c.quote)}” — {_text(reading(c))}"


def _chunks(timeline: Timeline, zones: list[str] | None, title: str | None, inline: bool) -> Iterator[str]:
    zones = show_zones(timeline, zones)
    first_note: dict[str, int] = {}
    """The number of each event's first citation (its others follow it)."""
    count = 0
    for e in timeline.events:
        first_note[e.id] = count + 1
        count += len(e.claims)

    def ref(e, i: int) -> str:
        n = first_note[e.id] + i
        return f"(citation {n})" if inline else f"[^{n}]"

    def cited(e) -> str:
        if not inline:
            return " ".join(ref(e, i) for i in range(len(e.claims)))
        return " · ".join(f"[{first_note[e.id] + i}] {_cell(PurePath(c.source).name)}: “{_cell(c.quote)}”"
                          for i, c in enumerate(e.claims))

    window = f" Incident window {iso(timeline.window[0])} – {iso(timeline.window[1])}." if timeline.window else ""
    local = f" Local times in {', '.join(zones)}." if zones else ""
    lines = [f"**{_text(title)}**", ""] if title else []
    lines += [f"All times UTC; `~` marks an approximate time, `a–b` an interval.{window}{local}", ""]
    lines.append(_row(["#", "UTC", *zones, "Kind", "What happened", "Sources"]))
    lines.append(_row(["---"] * (5 + len(zones))))
    in_conflict = conflicts_by_event(timeline)
    for n, e in enumerate(timeline.events, 1):
        kind = e.kind + "".join(f" ⚠ {c.id}" for c in in_conflict.get(e.id, []))
        said = _cell(e.summary) + "".join(f" ✎ *{_cell(c.text())}*" for c in e.corrections)
        ident = f"{e.id} `{e.key}`" if e.key else e.id
        lines.append(_row([ident, clock(e.span), *(clock(e.span, z, day=False) for z in zones), kind,
                           said, cited(e)]))
        if n % ROWS == 0:
            yield "\n".join(lines) + "\n"
            lines = []
    lines.append("")
    if timeline.conflicts:
        lines += ["### Conflicting reports", ""]
        for c in timeline.conflicts:
            lines += [f"#### {_text(conflict_heading(c))}", ""]
            lines += [_row(["Event", "UTC", "Read as", "Source", "Says"]), _row(["---"] * 5)]
            for r in c.readings:
                mark = " (official)" if r.claim.role == "official" else ""
                lines.append(_row([r.event, clock(r.span), _cell(reading_as(r)),
                                   f"{_cell(r.claim.source)}{mark}", _cell(r.claim.quote)]))
            lines.append("")
            if c.evidence:
                lines += [_cell(line) for line in evidence_lines(timeline, c)] + [""]

    if timeline.metrics:
        lines += ["### Incident metrics", "", _row(["Metric", "Value", "Range", "Measures"]), _row(["---"] * 4)]
        for name, m in timeline.metrics.items():
            spread = metric_range(m)
            lines.append(_row([name.replace("_", " "), describe(m["minutes"]), spread,
                               f"{m['measures']} ({m['from']} → {m['to']})"]))
        lines.append("")

    if timeline.decisions:
        lines += ["### Decisions", ""]
        lines += [f"- {_text(decision_text(timeline, c))}" for c in timeline.decisions]
        for e in timeline.rejected:
            lines.append(f"- Rejected `{e.key}`: {clock(e.span)} {e.kind}, “{_text(e.summary)}” "
                         f"({', '.join(_text(c.source) for c in e.claims)})")
        lines.append("")

    lines += ["### How times were read", ""]
    for r in timeline.sources:
        s = r.source
        fixed = "".join(f"; {_text(c.text())}" for c in source_corrections(timeline, s.path))
        lines.append(f"- {_code(s.path)} ({s.type}, {s.role}): {zone_text(s.zone, s.zone_rule)}; "
                     f"published {_text(s.published or 'unknown')}; {r.mentions} time mentions, {r.used} used{fixed}")
    assumptions = zone_assumptions(timeline)
    if assumptions:
        lines += ["", "Zones not written next to the time:", ""]
        for e, c in assumptions:
            lines.append(f"- {e.id} {ref(e, e.claims.index(c))} “{_text(c.local_text)}”: {c.span.zone}, {c.span.zone_rule} "
                         f"({rule_text(c.span.zone_rule)})")
    flags = flagged(timeline)
    if flags:
        lines += ["", "Flags:", ""]
        for e, c, flag in flags:
            lines.append(f"- {e.id} {ref(e, e.claims.index(c))}: {_text(flag)}")
    for note in timeline.notes:
        lines += ["", f"Note: {_text(note)}"]
    skipped = [(r.source.path, s) for r in timeline.sources for s in r.skipped]
    other = elsewhere(timeline)
    if skipped or other:
        lines += ["", "### Left out", ""]
        if other:
            lines += [f"**{_text(elsewhere_text(r, timeline))}**" for r in other] + [""]
        for path, s in skipped:
            where = f"{path}:{s.line}" if s.line else path
            lines.append(f"- {_code(where)} {_text(s.what)}: {_text(s.reason)}")
    if count:
        lines += ["", "### Citations", ""] if inline else [""]
        yield "\n".join(lines) + "\n"
        lines = []
        n = 0
        for e in timeline.events:
            for c in e.claims:
                n += 1
                lines.append(f"{n}. {_note(c, inline)}" if inline else f"[^{n}]: {_note(c, inline)}")
                if n % ROWS == 0:
                    yield "\n".join(lines) + "\n"
                    lines = []
        if lines:
            yield "\n".join(lines) + "\n"
        return
    yield "\n".join(lines) + "\n"
