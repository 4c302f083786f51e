"""Incident metrics as postmortem tools report them, computed from the merged timeline.

Each metric is a range whenever the sources disagree: the value is taken from the earliest
supported start and the latest supported resolution (the longest the incident can have been),
and ``min``/``max`` give the whole spread the conflicting claims allow. A milestone an analyst
confirmed (``outagetl case confirm``) is measured from its confirmed events only.
"""
from __future__ import annotations

from datetime import datetime

from .model import Event

# (name, from-milestone, to-milestone, what it measures)
METRICS = (
    ("time_to_acknowledge", "start", "acknowledged", "start → first acknowledgement"),
    ("time_to_mitigate", "start", "mitigated", "start → first mitigation"),
    ("time_to_resolve", "acknowledged", "resolved", "first acknowledgement → resolution"),
    ("duration", "start", "resolved", "start → resolution"),
)


def _bests(events: list[Event], kind: str) -> list[tuple[datetime, str]]:
    """The stated times of a milestone; when an analyst confirmed some (a case file), only those."""
    stated = [e for e in events if e.kind == kind and not all(c.evidence for c in e.claims)]
    confirmed = [e for e in stated if e.confirmed]
    return sorted((e.span.best, e.id) for e in confirmed or stated)


def compute(events: tuple[Event, ...] | list[Event]) -> dict:
    events = list(events)
    out = {}
    for name, frm, to, meaning in METRICS:
        starts, ends = _bests(events, frm), _bests(events, to)
        if not starts or not ends:
            continue
        if frm == "acknowledged":
            starts = starts[:1]
        if to in ("acknowledged", "mitigated"):
            ends = ends[:1]
        first, last = starts[0], starts[-1]
        end_first, end_last = ends[0], ends[-1]

        def minutes(a: datetime, b: datetime) -> int:
            return round((b - a).total_seconds() / 60)

        out[name] = {
            "minutes": minutes(first[0], end_last[0]),
            "min": minutes(last[0], end_first[0]),
            "max": minutes(first[0], end_last[0]),
            "from": first[1], "to": end_last[1], "measures": meaning,
        }
    return out


def describe(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{sign}{minutes} min"
