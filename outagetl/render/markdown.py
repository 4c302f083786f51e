"""Markdown for postmortem writers: paste under a "Timeline" heading; renders on GitHub."""
from __future__ import annotations

from ..model import Timeline
from ..metrics import describe
from .common import event_by_id, iso, span_text


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render(timeline: Timeline) -> str:
    lines = ["# Outage timeline (UTC)", ""]
    if timeline.window:
        lines += [f"Incident window: {iso(timeline.window[0])} – {iso(timeline.window[1])}", ""]
    notes: list[str] = []
    lines += ["| # | Time (UTC) | Local time | Kind | What happened | Sources |", "|---|---|---|---|---|---|"]
    conflicted = {eid: c for c in timeline.conflicts for eid in c.events}
    for e in timeline.events:
        refs = []
        for claim in e.claims:
            notes.append(f'{claim.source} ({claim.role}): "{claim.quote}" — read "{claim.local_text}" as {claim.local}, zone {claim.span.zone} ({claim.span.zone_rule})')
            refs.append(f"[^{len(notes)}]")
        local = "; ".join(dict.fromkeys(c.local for c in e.claims))
        kind = e.kind + (f" ⚠ {conflicted[e.id].id}" if e.id in conflicted else "")
        lines.append(f"| {e.id} | {span_text(e.span)} | {_cell(local)} | {kind} | {_cell(e.summary)} | {' '.join(refs)} |")
    lines.append("")
    if timeline.conflicts:
        lines += ["## Conflicting reports", ""]
        events = event_by_id(timeline)
        for c in timeline.conflicts:
            lines.append(f"### {c.id}: {c.kind} (spread {c.spread_minutes} min)")
            lines.append("")
            lines += ["| Event | Time (UTC) | Source | Says |", "|---|---|---|---|"]
            for eid in c.events:
                e = events[eid]
                for claim in e.claims:
                    mark = " (official)" if claim.role == "official" else ""
                    lines.append(f"| {eid} | {span_text(claim.span)} | {_cell(claim.source)}{mark} | {_cell(claim.quote)} |")
            lines.append("")
    if timeline.metrics:
        lines += ["## Incident metrics", "", "| Metric | Value | Range | Measures |", "|---|---|---|---|"]
        for name, m in timeline.metrics.items():
            spread = "" if m["min"] == m["max"] else f"{describe(m['min'])} to {describe(m['max'])}"
            lines.append(f"| {name.replace('_', ' ')} | {describe(m['minutes'])} | {spread} | {m['measures']} ({m['from']} → {m['to']}) |")
        lines.append("")
    flagged = [(e, f) for e in timeline.events for c in e.claims for f in c.span.flags]
    lines += ["## How times were read", ""]
    for r in timeline.sources:
        lines.append(f"- `{r.source.path}`: zone {r.source.zone} ({r.source.zone_rule}); published {r.source.published or 'unknown'}; {r.mentions} time mentions, {r.used} used")
    if flagged:
        lines.append("")
        for e, flag in dict.fromkeys(flagged):
            lines.append(f"- {e.id}: {flag}")
    skipped = [(r.source.path, s) for r in timeline.sources for s in r.skipped]
    if skipped:
        lines += ["", "## Left out", ""]
        for path, s in skipped:
            where = f"{path}:{s.line}" if s.line else path
            lines.append(f"- `{where}` {s.what}: {s.reason}")
    if notes:
        lines += [""] + [f"[^{i}]: {_cell(n)}" for i, n in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"
