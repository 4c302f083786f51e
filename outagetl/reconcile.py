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
from functools import lru_cache

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
    if not any(c.alternatives for c in timed):
        return claims
    cores: dict[str, tuple[datetime, datetime] | None] = {}
    pools = {"firm": firm, "timed": timed}
    glance = {name: _densest(pool) for name, pool in pools.items()}

    def core(source: str):
        if source not in cores:
            cores[source] = None
            for name in ("firm", "timed"):
                found = _excluding(glance[name], pools[name], source)
                if found:
                    cores[source] = found
                    break
        return cores[source]

    beside = sorted((c.span.best, c.source) for c in firm)
    return [_reconsidered(c, core(c.source), beside) if c.alternatives or not c.evidence else c for c in claims]


def _densest(claims: list[Claim]):
    """The densest stretch of all these claims: (window, sources in it), or None."""
    window = _window(sorted(claims, key=lambda c: (c.span.best, c.source, c.record)))
    return (window, {c.source for c in window}) if window else None


def _excluding(glance, claims: list[Claim], source: str):
    """The stretch the sources other than ``source`` agree on. The densest stretch of all holds
    enough others in most builds; only when ``source`` is needed to make it, is it sought again."""
    if glance and len(glance[1] - {source}) >= MIN_SOURCES + 1:
        window = [c for c in glance[0] if c.source != source]
    else:
        window = _window(sorted((c for c in claims if c.source != source), key=lambda c: (c.span.best, c.source, c.record)))
    if not window or len({c.source for c in window}) < MIN_SOURCES:
        return None
    return window[0].span.best - MARGIN, window[-1].span.best + MARGIN


def _window(ordered: list[Claim]) -> list[Claim]:
    """The run of ``ordered`` within CORE_HOURS holding the most sources, then the most claims
    (the earliest such run), found in one pass with a count per source."""
    width = timedelta(hours=CORE_HOURS)
    counts: dict[str, int] = {}
    best, best_rank, j = (0, 0), None, 0
    for i, first in enumerate(ordered):
        while j < len(ordered) and ordered[j].span.best - first.span.best <= width:
            counts[ordered[j].source] = counts.get(ordered[j].source, 0) + 1
            j += 1
        rank = (len(counts), j - i)
        if best_rank is None or rank > best_rank:
            best, best_rank = (i, j), rank
        counts[first.source] -= 1
        if not counts[first.source]:
            del counts[first.source]
    return ordered[best[0]:best[1]]


def _inside(when: datetime, core: tuple[datetime, datetime]) -> bool:
    return core[0] <= when <= core[1]


def _distance(when: datetime, core: tuple[datetime, datetime]) -> timedelta:
    if when < core[0]:
        return core[0] - when
    return max(when - core[1], timedelta(0))


def _beside(claim: Claim, beside: list[tuple[datetime, str]]) -> bool:
    """Whether another source states a firm time within RECONSIDER of this claim's reading."""
    i = bisect_left(beside, (claim.span.best - RECONSIDER, ""))
    while i < len(beside) and beside[i][0] <= claim.span.best + RECONSIDER:
        if beside[i][1] != claim.source:
            return True
        i += 1
    return False


@lru_cache(maxsize=64)
def _placed(core: tuple[datetime, datetime]) -> tuple[str, str]:
    """The stretch as the flags write it; most claims share a few (formatting it was a tenth of
    reconciling 2,000 stories of different incidents)."""
    return f"{core[0] + MARGIN:%Y-%m-%d %H:%MZ}", f"{core[1] - MARGIN:%Y-%m-%d %H:%MZ}"


def _reconsidered(claim: Claim, core: tuple[datetime, datetime] | None, beside: list[tuple[datetime, str]]) -> Claim:
    if core is None or claim.evidence or claim.span.precision is Precision.DAY:
        return claim
    away = _distance(claim.span.best, core)
    if not away:
        return claim
    if _beside(claim, beside):
        # Beside another source's time: only the half of the day may still be reconsidered.
        away = min(away, RECONSIDER)
    lo, hi = _placed(core)
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
