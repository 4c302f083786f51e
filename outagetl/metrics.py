"""Incident metrics as postmortem tools report them, computed from the merged timeline.

A metric is measured between the readings of two milestones that the sources agree on: for each
milestone, the events that the most sources place at one time (each source counted once, readings
agreeing within their precision). When no two sources agree, every stated event of the milestone
counts. The value is taken from the earliest agreed start and the latest agreed resolution (the
longest the incident can have been), and ``min``/``max`` give the whole spread that every reading,
agreed or not, allows. A milestone an analyst confirmed (``outagetl case confirm``) is measured
from its confirmed events only.

A metric that comes out negative (an acknowledgement read before the start) is no fact about the
incident but a sign that a reading is wrong: its ``minutes`` is ``None`` and ``flags`` names the
events that cause it; a range that reaches below zero is flagged the same way.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import timedelta

from .model import Event, Kind

# (name, from-milestone, to-milestone, what it measures)
METRICS = (
    ("time_to_acknowledge", "start", "acknowledged", "start → first acknowledgement"),
    ("time_to_mitigate", "start", "mitigated", "start → first mitigation"),
    ("time_to_resolve", "acknowledged", "resolved", "first acknowledgement → resolution"),
    ("duration", "start", "resolved", "start → resolution"),
)
FIRST = ("acknowledged", "mitigated")
"""Milestones a metric measures to or from their first reading."""
TOLERANCE = timedelta(minutes=5)


def _stated(events: list[Event], kind: str) -> list[Event]:
    """The stated events of a milestone; when an analyst confirmed some (a case file), only those."""
    stated = [e for e in events if e.kind == kind and not all(c.evidence for c in e.claims)]
    confirmed = [e for e in stated if e.confirmed]
    return sorted(confirmed or stated, key=lambda e: (e.span.best, e.id))


def _sources(event: Event) -> set[str]:
    return {c.source for c in event.claims if not c.evidence}


def agreed(events: list[Event]) -> list[Event]:
    """The events of one milestone that the most sources place at one time: for each event, the
    sources of every event that agrees with it; those with the most (at least two sources) win.
    When no two sources agree, all of them."""
    support = _support(events)
    best = max(support, default=0)
    if best < 2:
        return events
    return [e for e, n in zip(events, support, strict=True) if n == best]


def _support(events: list[Event]) -> list[int]:
    """For each event, how many sources the events that agree with it (itself included) have
    between them: two events agree when either's best reading lies in the other's span widened
    by ``TOLERANCE`` on both sides.

    Each event was tested against every other: an export of 4,000 posts, each stating its own
    start, spent 3.5 s of a 4.9 s build here. An event agrees only with those whose best lies
    in its own widened span, and with those whose span, as wide as theirs is, reaches its best.
    Sorted by their best readings, the first are one run of the list; the others, one run of the
    events of about the same width (spans grouped by width, a class per doubling: a day-wide date
    does not widen the search around every minute). Only those runs are tested, each candidate
    once, with each event's widened span and sources worked out beforehand; nothing is kept per
    pair, so thousands of events within minutes of each other cost no more memory than a few."""
    count = len(events)
    best = [e.span.best for e in events]
    low = [e.span.earliest - TOLERANCE for e in events]
    high = [e.span.latest + TOLERANCE for e in events]
    sources = [_sources(e) for e in events]
    order = sorted(range(count), key=best.__getitem__)
    runs = [(order, [best[i] for i in order], None)]
    classes: dict[int, list[int]] = {}
    for i in order:
        classes.setdefault(int((events[i].span.latest - events[i].span.earliest).total_seconds()).bit_length(),
                           []).append(i)
    for members in classes.values():
        reach = max(high[i] - low[i] for i in members)  # the widest span of the class, widened twice
        runs.append((members, [best[i] for i in members], reach))
    seen = [-1] * count
    out = []
    for k in range(count):
        found: set[str] = set()
        for members, bests, reach in runs:
            lo, hi = (low[k], high[k]) if reach is None else (best[k] - reach, best[k] + reach)
            for j in range(bisect_left(bests, lo), bisect_right(bests, hi)):
                i = members[j]
                if seen[i] == k:
                    continue
                seen[i] = k
                if i == k or low[i] <= best[k] <= high[i] or low[k] <= best[i] <= high[k]:
                    found |= sources[i]
        out.append(len(found))
    return out


def _minutes(a: Event, b: Event) -> int:
    return round((b.span.best - a.span.best).total_seconds() / 60)


def compute(events: tuple[Event, ...] | list[Event]) -> dict:
    events = list(events)
    out = {}
    for name, frm, to, meaning in METRICS:
        starts, ends = _stated(events, frm), _stated(events, to)
        if not starts or not ends:
            continue
        if frm in FIRST:
            starts = starts[:1]
        if to in FIRST:
            ends = ends[:1]
        good_starts, good_ends = agreed(starts), agreed(ends)
        first, last = good_starts[0], good_ends[-1]
        value = _minutes(first, last)
        low = _minutes(starts[-1], ends[0])
        metric = {
            "minutes": value if value >= 0 else None,
            "min": low,
            "max": _minutes(starts[0], ends[-1]),
            "from": first.id, "to": last.id, "measures": meaning,
            "flags": [],
        }
        if value < 0:
            metric["flags"].append(_negative(first, last, frm, to))
        elif low < 0:
            metric["flags"].append(_negative(starts[-1], ends[0], frm, to))
        out[name] = metric
    return out


def _negative(a: Event, b: Event, frm: str, to: str) -> str:
    """'E5 (acknowledged 13:00Z) is 12 min before E6 (start 13:12Z): one of them is misread'."""
    gap = describe(_minutes(b, a))
    return (f"negative: {b.id} ({Kind(to)} {b.span.best:%Y-%m-%d %H:%MZ}) is {gap} before "
            f"{a.id} ({Kind(frm)} {a.span.best:%Y-%m-%d %H:%MZ}): one of them is misread or misclassified")


def describe(minutes: int | None) -> str:
    if minutes is None:
        return "not measured"
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{sign}{minutes} min"
