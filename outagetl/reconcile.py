"""Claims → claims read in agreement with the other sources.

Each source is read on its own first. A time whose date or half of the day is not written beside
it ("6:03 EST", "today" inside a quote of another day's blog, a line after a paragraph that named
a later date) carries its other readings (``model.Reading``). Here, knowing what the other
sources say, a reading that lands away from the incident they agree on is reconsidered: an
alternative that falls inside is taken and flagged; when none fits and the reading is a day or
more away, it is kept and flagged. One source alone is never reconsidered: it needs two others.
A reading near a firm time of another source is not moved to another date, even outside the
densest stretch: an incident that lasts for days (a restoration the next afternoon, a late
resolution) has times outside any one stretch that the other sources still stand beside.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import datetime, timedelta

from .model import Claim, Flag, FlagCode, Precision

CORE_HOURS = 36
"""The incident the other sources agree on: their densest stretch of this many hours."""
MARGIN = timedelta(hours=1)
RECONSIDER = timedelta(hours=6)
"""A reading this far from that stretch is reconsidered (a late update a few hours on is not)."""
FITS = timedelta(hours=3)
"""An alternative reading this close to it (or inside) is taken instead."""
FAR = timedelta(hours=24)
MIN_SOURCES = 2


def reconcile(claims: list[Claim]) -> list[Claim]:
    """The claims, with readings reconsidered against the other sources (order kept)."""
    timed = [c for c in claims if not c.evidence and c.span.precision is not Precision.DAY]
    firm = [c for c in timed if not any(a.other_date for a in c.alternatives)]
    sources = sorted({c.source for c in timed})
    cores = {s: _core([c for c in firm if c.source != s]) or _core([c for c in timed if c.source != s])
             for s in sources}
    beside = {s: sorted(c.span.best for c in firm if c.source != s) for s in sources}
    return [_reconsidered(c, cores.get(c.source), beside.get(c.source, [])) for c in claims]


def _core(others: list[Claim]) -> tuple[datetime, datetime] | None:
    """The densest stretch of the other sources' claims (most sources, then most claims)."""
    if len({c.source for c in others}) < MIN_SOURCES:
        return None
    ordered = sorted(others, key=lambda c: (c.span.best, c.source, c.record))
    width = timedelta(hours=CORE_HOURS)
    best, j = None, 0
    for i, first in enumerate(ordered):
        j = max(j, i)
        while j + 1 < len(ordered) and ordered[j + 1].span.best - first.span.best <= width:
            j += 1
        window = ordered[i : j + 1]
        rank = (len({c.source for c in window}), len(window), -first.span.best.timestamp())
        if best is None or rank > best[0]:
            best = (rank, window)
    if best is None or best[0][0] < MIN_SOURCES:
        return None
    window = best[1]
    return window[0].span.best - MARGIN, window[-1].span.best + MARGIN


def _inside(when: datetime, core: tuple[datetime, datetime]) -> bool:
    return core[0] <= when <= core[1]


def _distance(when: datetime, core: tuple[datetime, datetime]) -> timedelta:
    if when < core[0]:
        return core[0] - when
    return max(when - core[1], timedelta(0))


def _reconsidered(claim: Claim, core: tuple[datetime, datetime] | None, beside: list[datetime]) -> Claim:
    if core is None or claim.evidence or claim.span.precision is Precision.DAY:
        return claim
    away = _distance(claim.span.best, core)
    if not away:
        return claim
    i = bisect_left(beside, claim.span.best)
    if any(abs(t - claim.span.best) <= RECONSIDER for t in beside[max(0, i - 1):i + 1]):
        # Beside another source's time: only the half of the day may still be reconsidered.
        away = min(away, RECONSIDER)
    lo, hi = (f"{core[0] + MARGIN:%Y-%m-%d %H:%MZ}", f"{core[1] - MARGIN:%Y-%m-%d %H:%MZ}")
    # A time with no a.m./p.m. is read in the half of the day that falls inside; another date is
    # only considered for a reading well away (a late update a few hours on is not a misreading).
    fits = sorted((_distance(a.span.best, core), abs(a.span.best - claim.span.best), a.span.best, i)
                  for i, a in enumerate(claim.alternatives)
                  if away > RECONSIDER or (a.other_half and not a.other_date))
    if fits and fits[0][0] <= (FITS if away > RECONSIDER else timedelta(0)):
        chosen = claim.alternatives[fits[0][3]]
        flag = Flag(FlagCode.RECONSIDERED,
                    f"read as {chosen.local} ({chosen.why}), not {claim.local}: the other sources place the "
                    f"incident {lo} – {hi}")
        rest = tuple(a for a in claim.alternatives if a is not chosen)
        return replace(claim, span=replace(chosen.span, flags=chosen.span.flags + (flag,)), local=chosen.local,
                       alternatives=rest)
    if away >= FAR:
        flag = Flag(FlagCode.FAR_FROM_INCIDENT,
                    f"{claim.local} is a day or more from the incident the other sources place {lo} – {hi}")
        return replace(claim, span=replace(claim.span, flags=claim.span.flags + (flag,)))
    return claim
