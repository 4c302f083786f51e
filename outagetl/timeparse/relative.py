"""Times counted from another time the same source states ("about two hours later")."""
from __future__ import annotations

from datetime import timedelta

from ..model import Flag, FlagCode, Mention, Precision, TimeSpan
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
    local = best.astimezone(zones.zone(anchor.span.zone))
    return Mention(source=path, record=record, start=expr.start, end=expr.end, text=expr.text, span=span,
                   local=f"~{local:%Y-%m-%d %H:%M} {zones.tzname(anchor.span.zone, best)}",
                   hedge=" ".join(expr.hedges) or None)
