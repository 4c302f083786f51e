"""Times counted from another time the same source states ("about two hours later")."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ..model import Flag, FlagCode, Mention, Precision, Reading, TimeSpan
from ..tables import load
from . import zones
from .extract import Expression


def relative_mention(expr: Expression, absolute: list[Mention], path: str, record: int) -> Mention | None:
    """"About two hours later" is the last time stated before it plus two hours; "five hours after it
    first went down" counts from the first. The interval is wide and the anchor is named in a flag."""
    if not absolute:
        return None
    anchor = absolute[0] if expr.relative_to == "first" else absolute[-1]
    base = anchor.span.best
    offset = timedelta(minutes=expr.relative)
    if expr.relative_to == "within":
        lo, best, hi = base, base + offset, base + offset
    else:
        vague = any(load("hedges")["before"].get(h, {}).get("vague") for h in expr.hedges)
        slack = timedelta(minutes=max(15.0 if vague else 5.0, abs(expr.relative) * (0.25 if vague else 0.1)))
        best = base + offset
        lo, hi = best - slack, best + slack
    if expr.relative_to != "within":
        lo = min(lo, anchor.span.earliest + offset)
    flag = Flag(FlagCode.RELATIVE, f"{expr.text!r} counted from {anchor.text!r} ({anchor.local})")
    span = TimeSpan(lo, best, hi, Precision.APPROXIMATE, anchor.span.zone, anchor.span.zone_rule, anchor.span.flags + (flag,))
    # the anchor's other readings are this time's too, moved by the same count
    alternatives = tuple(Reading(_shifted(span, a.span.best - anchor.span.best), _local(a.span.best + offset, span.zone),
                                 other_date=a.other_date, other_half=a.other_half) for a in anchor.alternatives)
    return Mention(source=path, record=record, start=expr.start, end=expr.end, text=expr.text, span=span,
                   local=_local(best, anchor.span.zone), hedge=" ".join(expr.hedges) or None, alternatives=alternatives)


def _shifted(span: TimeSpan, by: timedelta) -> TimeSpan:
    return replace(span, earliest=span.earliest + by, best=span.best + by, latest=span.latest + by)


def _local(when, zone: str) -> str:
    local = when.astimezone(zones.zone(zone))
    return f"~{local:%Y-%m-%d %H:%M} {zones.tzname(zone, when)}"
