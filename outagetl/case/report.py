"""Plain-text listings for ``case log`` and ``case sources``: what was decided and what is stored."""
from __future__ import annotations

from ..decisions import SOURCE_TYPES, Decision
from ..model import Correction, Timeline
from ..render.common import decision_text
from .store import StoredSource


def decision_lines(decisions: list[Decision], timeline: Timeline) -> list[str]:
    """One entry per decision, oldest first, as every output shows it (who, when, what, on what, why,
    and whether this build applies it), with the event as it was when the decision was made."""
    by_number: dict[int, list[Correction]] = {}
    for c in timeline.decisions:
        by_number.setdefault(c.number, []).append(c)
    lines = []
    for decision in decisions:
        made = decision.made
        outcomes = by_number.get(made.number, [])
        lines += [decision_text(timeline, c) for c in outcomes]
        if not outcomes:
            lines.append(f"D{made.number} ({made.by}, {made.at:%Y-%m-%d %H:%M} UTC): {decision.detail()} "
                         "[not applied in this build]")
        if not isinstance(decision, SOURCE_TYPES) and decision.event.summary:
            lines.append(f"    when decided: {decision.event.label()} “{decision.event.summary}”")
    return lines


def source_lines(stored: list[StoredSource], timeline: Timeline) -> list[str]:
    """Each stored source with its digest, type, and the zone it is read in and the rule that chose it."""
    reports = {r.source.path: r for r in timeline.sources}
    rows = [("PATH", "SHA-256", "TYPE", "ZONE", "RULE", "USED", "ADDED")]
    for s in stored:
        mine = [r for p, r in reports.items() if p == s.path or p.startswith(s.path + "#")] or [None]
        for r in mine:
            zone = (r.source.zone or "-") if r else "-"
            rule = (r.source.zone_rule or "-") if r else "(not read in this build)"
            used = f"{r.used}/{r.mentions}" if r else "-"
            rows.append((r.source.path if r else s.path, s.digest[:12], s.type, zone, rule, used,
                         f"{s.added_at:%Y-%m-%d %H:%M} by {s.added_by}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1] for row in rows]
