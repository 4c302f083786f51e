"""Resolve found expressions into UTC intervals: the date, the zone (and why), the widening.

Dates: a missing year takes the year nearest the reference date; a missing date takes the last
date stated before it in the same source, else the reference (publication) date. Zones: written
in the expression > the source's zone (pinned or inferred) > ``--tz`` > UTC, flagged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..model import Bound, Flag, FlagCode, Precision, TimeSpan, ZoneRule, has_flag
from ..tables import load
from . import zones
from .extract import Expression

UTC = zones.UTC


@dataclass(frozen=True, slots=True)
class Context:
    """What a source tells about reading its bare times."""

    zone: str
    zone_rule: ZoneRule
    reference: date | None
    reference_rule: str
    month_first: bool
    zone_flags: tuple[Flag, ...] = ()
    year_borrowed: bool = False


@dataclass(frozen=True, slots=True)
class Resolved:
    span: TimeSpan
    local: str
    date: date
    role: Bound | None


class Unresolvable(ValueError):
    """An expression that cannot be placed in time; the message is the reason shown to the user."""


def infer_year(month: int, day: int, reference: date, weekday: int | None = None) -> int:
    """The year nearest the reference date, among those at most two months after it: a story
    tells of what happened ("Jan. 12" in a story of July is the January before). A weekday
    written beside the date that this reading contradicts, when it is more than a week after the
    reference and the year before gives that weekday, makes it the year before; a weekday wrong by
    a day near the story's date keeps the date (and is flagged)."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise Unresolvable(f"{month}/{day} is not a date")
    # a date more than two months after the reference is seldom what a story tells of: "Jan. 12"
    # in a story of July is the January before, not the one after
    plausible = [d for d in candidates if (d - reference).days <= 62] or candidates
    nearest = min(plausible, key=lambda d: abs((d - reference).days))
    if weekday is not None and nearest.weekday() != weekday and (nearest - reference).days > 7:
        before = [d for d in candidates if d < reference and d.weekday() == weekday]
        if before:
            return max(before).year
    return nearest.year


def region_for_token(token: str, on: date) -> tuple[str, list[Flag]]:
    """The region a written zone token names, and flags about that reading."""
    abbrs = zones.abbreviations()
    key = token.strip()
    named = zones.zone_names().get(key.lower())
    if named:
        key = named
    if "/" in key and zones.is_zone(key):
        return key, []
    if key in abbrs:
        return zones.abbreviation_reading(key, on)
    minutes = zones.offset_minutes(key)
    if minutes is not None:
        try:
            return zones.fixed_zone_name(minutes), []
        except ValueError as exc:
            raise Unresolvable(f"offset {token}: {exc}") from None
    if zones.is_zone(key):
        return key, []
    raise Unresolvable(f"unknown zone {token!r}")


def clock_hour(expr: Expression) -> int | None:
    """The 24-hour hour an expression means: "8 p.m." is 20, "3 in the afternoon" 15, "2 at night"
    2, "12 a.m." 0. The one place where meridiem and part-of-day arithmetic is done."""
    hour = expr.hour
    if hour == 0 and expr.meridiem == "pm":
        return 12  # "午後0時半" is half past noon
    if hour is None or not 1 <= hour <= 12:
        return hour
    if expr.meridiem:
        return hour % 12 + (12 if expr.meridiem == "pm" else 0)
    if expr.daypart:
        rule = load("dayparts")["meridiem"]
        night = any(expr.daypart.endswith(p) for p in rule["night_endings"])
        pm = any(expr.daypart.endswith(p) for p in rule["pm_endings"]) and not (night and hour < rule["night_am_before"])
        reading = 0 if night and hour == 12 and not pm else hour % 12 + (12 if pm else 0)
        part = load("dayparts")["parts"].get(expr.daypart)
        other = (reading + 12) % 24
        if part and not _within(reading, part) and _within(other, part):
            return other
        return reading
    return hour


def _within(hour: int, part: list) -> bool:
    """Whether a clock hour falls in a part of the day (whose end may run into the next day)."""
    start, end = part
    return any(start <= h < end for h in (hour, hour + 24))


def resolve(expr: Expression, ctx: Context, context_date: date | None) -> Resolved:
    flags: list[Flag] = []
    day, day_flags = _date(expr, ctx, context_date)
    flags += day_flags
    season = written = None
    if expr.zone:
        when = datetime.combine(day, time(clock_hour(expr), expr.minute or 0)) if expr.has_time else day
        region, zone_flags = region_for_token(expr.zone, when)
        written = zones.zone_names().get(expr.zone.strip().lower(), expr.zone.strip())
        entry = zones.abbreviations().get(written)
        season = entry.get("season") if entry else None
        rule = ZoneRule.EXPLICIT_RANGE if expr.zone_shared else (ZoneRule.CARRIED if expr.zone_carried else ZoneRule.EXPLICIT)
        flags += zone_flags
    else:
        region, rule = ctx.zone, ctx.zone_rule
        flags += ctx.zone_flags
    if expr.bare_12h:
        flags.append(Flag(FlagCode.CLOCK_12H, f"{expr.hour}:{expr.minute:02d} written without am/pm; read as 24-hour"))
    if expr.has_time:
        start = datetime.combine(day, time(clock_hour(expr), expr.minute or 0))
        if expr.hour_only:
            lo, best, hi, precision = start, start + timedelta(minutes=30), start + timedelta(hours=1), Precision.HOUR
        else:
            lo = best = hi = start
            precision = Precision.MINUTE
    elif expr.daypart:
        a, b = load("dayparts")["parts"].get(expr.daypart, load("dayparts")["parts"].get(expr.daypart.split()[-1], [0, 24]))
        base = datetime.combine(day, time())
        lo, hi = base + timedelta(hours=a), base + timedelta(hours=b)
        best = lo + (hi - lo) / 2
        precision = Precision.PART_OF_DAY
    else:
        lo = datetime.combine(day, time())
        hi = lo + timedelta(days=1)
        best = lo + timedelta(hours=12)
        precision = Precision.DAY
    widen, role = _widening(expr)
    role = Bound(role or expr.range_role) if (role or expr.range_role) else None
    if any(widen):
        if precision is Precision.MINUTE:
            precision = Precision.APPROXIMATE
        lo, best, hi = lo + timedelta(minutes=widen[0]), best + timedelta(minutes=widen[1]), hi + timedelta(minutes=widen[2])
    best_utc, dst_flags = zones.localize(best, region, season)
    flags += dst_flags
    # a clock time is one instant: its ends are localised once, with it
    lo_utc = best_utc if lo == best else zones.localize(lo, region, season)[0]
    hi_utc = best_utc if hi == best else zones.localize(hi, region, season)[0]
    lo_utc, hi_utc = min(lo_utc, best_utc), max(hi_utc, best_utc)
    # "MEZ" is CET by another name: the letters name a season whichever language wrote them.
    if written in zones.abbreviations() and has_flag(flags, FlagCode.ZONE_SEASON):
        literal = zones.literal_offset(written, day)
        if literal is not None:
            as_written = (best - literal).replace(tzinfo=UTC)
            flags = [
                Flag(f.code, f.detail + f" = {best_utc:%H:%MZ}; literal {expr.zone.strip()} (UTC{_offset(literal)}) "
                     f"would be {as_written:%H:%MZ}", literal_shift=as_written - best_utc)
                if f.code is FlagCode.ZONE_SEASON else f
                for f in flags
            ]
    span = TimeSpan(lo_utc, best_utc, hi_utc, precision, region, rule, tuple(dict.fromkeys(flags)))
    return Resolved(span, _local_text(expr, best, best_utc, region, precision, day), day, role)


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def shifted(resolved: Resolved, expr: Expression, days: int = 0, hours: int = 0) -> Resolved:
    """The same reading moved on the local clock by whole days or hours (another date, the other
    half of the day), localised again in its zone so that a DST change between is respected."""
    span, z = resolved.span, zones.zone(resolved.span.zone)
    step = timedelta(days=days, hours=hours)
    here = span.best.astimezone(z)
    local_best = zones.wall(here) + step
    there = (span.best + step).astimezone(z)
    if there.utcoffset() == here.utcoffset() and zones.wall(there) == local_best:
        lo, best, hi = span.earliest + step, span.best + step, span.latest + step  # no clock change between
        local = there  # the moved time on its zone's clock, as _local_text would convert it
    else:
        lo, best, hi = (zones.localize(zones.wall(x.astimezone(z)) + step, span.zone)[0]
                        for x in (span.earliest, span.best, span.latest))
        local = None
    lo, hi = min(lo, best), max(hi, best)
    day = resolved.date + timedelta(days=days)
    moved = TimeSpan(lo, best, hi, span.precision, span.zone, span.zone_rule, span.flags)
    return Resolved(moved, _local_text(expr, local_best, best, span.zone, span.precision, day, local), day, resolved.role)


def _local_text(expr, best, best_utc, region, precision, day, local=None) -> str:
    """How the reading is shown: its local date or time and the zone's abbreviation then
    (``local``: ``best_utc`` on the zone's clock, when the caller has it already)."""
    abbr = zones.tzname(region, best_utc, local)
    if precision is Precision.DAY:
        return f"{day.isoformat()} ({abbr})"
    if precision is Precision.PART_OF_DAY:
        return f"{day.isoformat()} {expr.daypart} ({abbr})"
    prefix = "~" if precision is Precision.APPROXIMATE else ""
    return f"{prefix}{_minute_text(best)} {abbr}"


def _minute_text(when: datetime) -> str:
    """``when`` as "%Y-%m-%d %H:%M", without strftime (which costs more than the rest of a
    reading's text, and is asked for every reading of every time)."""
    if when.year < 1000 or when.tzinfo is not None:
        return f"{when:%Y-%m-%d %H:%M}"  # strftime's year is not padded there; isoformat adds an offset
    return when.isoformat(" ", "minutes")


def _widening(expr: Expression) -> tuple[tuple[int, int, int], str | None]:
    if not expr.hedges and not expr.suffix_hedge:
        return _NO_WIDENING, None
    table = load("hedges")
    total = [0, 0, 0]
    role = None
    entries = [table["before"][h] for h in expr.hedges if h in table["before"]]
    if expr.suffix_hedge:
        entries.append(table["after"][expr.suffix_hedge])
    for entry in entries:
        total = [t + w for t, w in zip(total, entry["widen"], strict=True)]
        role = entry.get("role", role)
    return (total[0], total[1], total[2]), role


_NO_WIDENING = (0, 0, 0)


def _date(expr: Expression, ctx: Context, context_date: date | None) -> tuple[date, list[Flag]]:
    flags: list[Flag] = []
    anchor = context_date or ctx.reference
    if expr.month and expr.day:
        if expr.year:
            year = expr.year
        elif anchor is None:
            raise Unresolvable("no year, and no publication date or other date to take it from (give one with --year)")
        else:
            year = infer_year(expr.month, expr.day, ctx.reference or anchor, expr.weekday)
            if ctx.reference_rule == "other-sources" or ctx.year_borrowed:
                flags.append(Flag(FlagCode.YEAR_ASSUMED, f"{year} taken from the other sources' dates"))
        try:
            day = date(year, expr.month, expr.day)
        except ValueError:
            raise Unresolvable(f"{expr.text!r} is not a real date") from None
    elif expr.numeric:
        day = _numeric(expr, ctx, anchor, flags)
    elif expr.day:
        if anchor is None:
            raise Unresolvable("a day of the month with no date to take the month from")
        day = _nearest_day_of_month(expr.day, anchor, ahead=2 if context_date is None else None)
    elif expr.weekday is not None:
        if anchor is None:
            raise Unresolvable("a weekday with no publication date or other date to place it")
        # Counted from the publication date, news tells of what happened: "Tuesday's outage" in a
        # Saturday story is the Tuesday before, and only the next day is read ahead. Counted from a
        # date the story is telling about, the story moves on: the nearest such weekday.
        ahead = 2 if context_date is None else 7
        offsets = sorted(range(-6, ahead), key=lambda d: (abs(d), d > 0))
        published = context_date is None and ctx.reference_rule == "published"
        if expr.weekday_past or (expr.week is not None and expr.week < 0):
            # "last Friday" in a Friday story is a week ago; counted from a date that is not the
            # source's own publication (another source's, the story's own), it may be that day.
            offsets = range(-1, -8, -1) if published else range(0, -7, -1)
        if expr.week is not None and published:
            # "上周五" in a Saturday story is eight days before it: the Friday of the week before
            day = anchor + timedelta(days=7 * expr.week - anchor.weekday() + expr.weekday)
        else:
            day = next(anchor + timedelta(days=d) for d in offsets if (anchor + timedelta(days=d)).weekday() == expr.weekday)
    elif expr.relday:
        # "yesterday" counts from the publication date; "the next day" from the date told of
        base = (context_date or ctx.reference) if expr.relday_told else (ctx.reference or context_date)
        if base is None:
            raise Unresolvable(f"{expr.relday!r} with no publication date to count from")
        shift = expr.days or 0
        # "2 a.m. last night" is early this morning; "1 a.m. tonight" is after midnight.
        if expr.has_time and expr.daypart == "last night" and clock_hour(expr) < 12:
            shift = 0
        elif expr.has_time and expr.daypart == "tonight" and clock_hour(expr) < 6:
            shift += 1
        day = base + timedelta(days=shift)
        if expr.relday_told and context_date is None:
            flags.append(Flag(FlagCode.DATE_ASSUMED, f"{expr.relday!r} counted from {base.isoformat()} ({ctx.reference_rule}); "
                              "no date it follows is stated before it"))
        elif not (expr.relday_told and context_date) and (ctx.reference_rule != "published" or ctx.reference is None):
            flags.append(Flag(FlagCode.DATE_ASSUMED, f"{expr.relday!r} counted from {base.isoformat()} ({ctx.reference_rule}), "
                              "the source gives no publication date"))
    else:
        if anchor is None:
            raise Unresolvable("a time with no date stated before it and no publication date (give one with --year or the manifest's published)")
        day = anchor
        if context_date is None and ctx.reference_rule != "published":
            flags.append(Flag(FlagCode.DATE_ASSUMED, f"{day.isoformat()} ({ctx.reference_rule}); no date is stated before this time"))
    if expr.weekday is not None and (expr.month or expr.numeric) and day.weekday() != expr.weekday:
        flags.append(Flag(FlagCode.WEEKDAY_MISMATCH, f"{day:%A %Y-%m-%d} is not the weekday written in {expr.text!r}"))
    if expr.has_date and not expr.relday:
        day += timedelta(days=_part_day_shift(expr))
    return day, flags


def _part_day_shift(expr: Expression) -> int:
    """A time in the part of a named day that runs past its midnight: "dans la nuit de jeudi, vers
    2h" and "Thursday night at 2 a.m." are early on Friday; "in der Nacht zum Freitag um 23 Uhr"
    (a night that begins the evening before) is late on Thursday."""
    part = load("dayparts")["parts"].get(expr.daypart) if expr.has_time and expr.daypart else None
    if not part:
        return 0
    start, end = part
    hour = clock_hour(expr)
    if start <= hour < end:
        return 0
    if start <= hour + 24 < end:
        return 1
    if start <= hour - 24 < end:
        return -1
    return 0


def _nearest_day_of_month(day_of_month: int, anchor: date, ahead: int | None = None) -> date:
    """"On the 3rd": that day in the anchor's month, or the month before or after, whichever is
    nearest. Counted from the publication date (``ahead`` days), news tells of what happened: "3日"
    in a story of 19 July is 3 July, not 3 August, and only a day or two ahead is read ahead."""
    candidates = []
    for shift in (-1, 0, 1):
        month0 = anchor.month - 1 + shift
        year, month = anchor.year + month0 // 12, month0 % 12 + 1
        try:
            candidates.append(date(year, month, day_of_month))
        except ValueError:
            continue
    if not candidates:
        raise Unresolvable(f"no month near {anchor.isoformat()} has a day {day_of_month}")
    return min(candidates, key=lambda d: (ahead is not None and (d - anchor).days > ahead, abs((d - anchor).days), d > anchor))


def _numeric(expr: Expression, ctx: Context, anchor: date | None, flags: list[Flag]) -> date:
    a, b = expr.numeric
    readings = []
    for month_first in (ctx.month_first, not ctx.month_first):
        month, day_ = (a, b) if month_first else (b, a)
        if not 1 <= month <= 12:
            continue
        year = expr.year or (infer_year(month, day_, anchor) if anchor else None)
        if year is None:
            raise Unresolvable("a numeric date with no year and no date to take one from")
        try:
            readings.append((date(year, month, day_), month_first))
        except ValueError:
            continue
    if not readings:
        raise Unresolvable(f"{expr.text!r} is not a date in either order")
    chosen = readings[0]
    if len(readings) == 2 and anchor is not None:
        near = [abs((r[0] - anchor).days) for r in readings]
        if near[0] > 60 and near[1] <= 7:
            chosen = readings[1]
        if near[1] <= 31 or chosen is readings[1]:
            other = readings[1] if chosen is readings[0] else readings[0]
            flags.append(Flag(
                FlagCode.DATE_AMBIGUOUS, f"{a}/{b} read as {chosen[0]:%B %-d} "
                f"({'month/day' if chosen[1] else 'day/month'}); {other[0]:%B %-d} is also plausible"
            ))
    return chosen[0]
