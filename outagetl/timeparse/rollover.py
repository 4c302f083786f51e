"""A time with no date of its own takes the date that fits the time before it: the end of
"11:45 p.m.–1:30 a.m." is the next day, "8:30 p.m. PDT (03:30 UTC)" is the same instant, and
"11:50 p.m. ... by 12:20 a.m." crossed midnight."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ..model import Flag, FlagCode
from .anchor import Context, clock_hour, resolve
from .extract import Expression

LATE_HOUR, SMALL_HOURS = 20, 4


def follow(expr: Expression, resolved, previous, ctx: Context, context_date: date | None):
    """A time with no date of its own that follows another time takes the date that fits it:
    the end of "11:45 p.m.–1:30 a.m." is the next day; "8:30 p.m. PDT (03:30 UTC)" is the same
    instant; "11:50 p.m. ... by 12:20 a.m." crossed midnight."""
    if expr.has_date or previous is None or not expr.has_time:
        return resolved
    prev_expr, prev = previous
    base = resolved.date
    if expr.follows == "apposition":
        options = [resolve(expr, ctx, base + timedelta(days=d)) for d in (-1, 0, 1)]
        return min(options, key=lambda r: (abs((r.span.best - prev.span.best).total_seconds()), r.date != base))
    rolled = expr.follows == "range" and resolved.span.best < prev.span.best
    if not rolled and prev_expr.hour is not None and clock_hour(prev_expr) >= LATE_HOUR and clock_hour(expr) < SMALL_HOURS \
            and prev.date == base and resolved.span.best < prev.span.best:
        rolled = True
    if not rolled:
        return resolved
    nxt = resolve(expr, ctx, base + timedelta(days=1))
    flag = Flag(FlagCode.DATE_ROLLED, f"placed on {nxt.date.isoformat()}, after {prev_expr.text!r} the evening before")
    return replace(nxt, span=replace(nxt.span, flags=nxt.span.flags + (flag,)))
