"""What to show: the timeline narrowed to some kinds of event, or to what some role of source said.

A filter is a view, not a reading: event ids stay those of the whole timeline (so ``explain E7``
still finds E7), the sources section still accounts for every input, and a conflict is never
hidden silently: one whose events are not all shown is dropped with a note that names them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..model import Timeline


def select(timeline: Timeline, kinds: Iterable[str] | None = None, roles: Iterable[str] | None = None) -> Timeline:
    """Events of one of ``kinds`` that cite a source of one of ``roles`` (``None``: any)."""
    if not kinds and not roles:
        return timeline
    kinds, roles = set(kinds or ()), set(roles or ())
    events = tuple(e for e in timeline.events
                   if (not kinds or e.kind in kinds) and (not roles or any(c.role in roles for c in e.claims)))
    shown = {e.id for e in events}
    conflicts, notes = [], []
    for conflict in timeline.conflicts:
        hidden = [e for e in conflict.events if e not in shown]
        if not hidden:
            conflicts.append(conflict)
        elif len(hidden) < len(conflict.events):
            notes.append(f"filtered: conflict {conflict.id} ({conflict.kind}, {conflict.spread_minutes} min) "
                         f"is not shown because {', '.join(hidden)} {'is' if len(hidden) == 1 else 'are'} "
                         f"filtered out")
    wanted = ", ".join(filter(None, (f"kinds {', '.join(sorted(kinds))}" if kinds else "",
                                     f"sources of role {', '.join(sorted(roles))}" if roles else "")))
    notes.insert(0, f"filtered: {len(events)} of {len(timeline.events)} events shown ({wanted})")
    return replace(timeline, events=events, conflicts=tuple(conflicts), notes=timeline.notes + tuple(notes))
