"""Formatting shared by the renderers: how a TimeSpan reads to a person."""
from __future__ import annotations

from datetime import datetime

from ..model import Event, TimeSpan, Timeline

KIND_LABELS = {
    "start": "start", "detected": "detected", "acknowledged": "acknowledged", "update": "update",
    "mitigated": "mitigated", "resolved": "resolved", "other": "other",
}


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def span_text(span: TimeSpan) -> str:
    """'2019-07-03 13:18', '2019-07-03 ~12:00 (11:45–12:15)', '2019-07-03 22:00 – 07-04 02:00'."""
    best, lo, hi = span.best, span.earliest, span.latest
    if span.precision == "minute":
        return f"{best:%Y-%m-%d %H:%M}"
    if span.precision == "approximate":
        return f"{best:%Y-%m-%d} ~{best:%H:%M} ({_range(lo, hi)})"
    if span.precision == "day" and hi.date() != lo.date() and lo.hour == hi.hour == 0 and lo.minute == 0:
        return f"{lo:%Y-%m-%d} (day)"
    return f"{lo:%Y-%m-%d} {_range(lo, hi)}"


def _range(lo: datetime, hi: datetime) -> str:
    if lo.date() == hi.date():
        return f"{lo:%H:%M}–{hi:%H:%M}"
    return f"{lo:%H:%M}–{hi:%m-%d %H:%M}"


def sources_of(event: Event) -> list[str]:
    return list(dict.fromkeys(c.source for c in event.claims))


def event_by_id(timeline: Timeline) -> dict[str, Event]:
    return {e.id: e for e in timeline.events}
