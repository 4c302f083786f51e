"""Records → time mentions: find expressions, choose each one's zone (and say why), anchor dates."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

from ..model import (
    Flag,
    FlagCode,
    Mention,
    ParsedSource,
    Precision,
    Skip,
    Source,
    SourceDoc,
    TimeSpan,
    ZoneRule,
    has_flag,
)
from ..tables import load
from . import zones
from .anchor import Context, Unresolvable, infer_year, region_for_token, resolve
from .extract import Expression, all_times_zone, find

__all__ = ["parse_source", "parse_published", "publication_from_byline", "find", "resolve", "Context"]


def parse_published(value: str | None) -> datetime | date | None:
    """A publication time as given (ISO date or datetime with offset); None when unreadable."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00") if value.strip().endswith("Z") else value.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed


def parse_source(doc: SourceDoc, default_tz: str | None = None, fallback: date | None = None,
                 year: int | None = None) -> ParsedSource:
    """All mentions of one source; ``fallback`` is the date other sources were published on, and
    ``year`` the incident's year as the user gives it (``--year``) for sources that never say."""
    found = [(record, find(record.text)) for record in doc.records]
    doc = replace(doc, source=_published_from_byline(doc.source, found, fallback))
    source = _source_zone(doc, found, default_tz)
    ctx = _context(source, found, fallback, year)
    mentions: list[Mention] = []
    skipped: list[Skip] = list(doc.skipped)
    context_date: date | None = None
    previous = None
    absolute: list[Mention] = []
    for record, expressions in found:
        record_ctx = ctx
        if record.timestamp is None and record.timestamp_text and has_flag(record.flags, FlagCode.NO_ZONE):
            record = _placed_in_source_zone(record, source, ctx)
        if record.timestamp is not None:
            own = _own_time(record, source)
            mentions.append(own)
            local_day = record.timestamp.astimezone(zones.zone(source.zone or "UTC")).date()
            record_ctx = replace(ctx, reference=local_day, reference_rule="published")
            context_date = None
            previous = None
        for expr in expressions:
            if expr.coarse:
                skipped.append(Skip(source.path, f"{expr.text!r}", "coarser than a day (a month or a year): not a point on the timeline", record.line))
                continue
            if expr.relative is not None:
                if expr.relative_to == "first" and any(
                        e.has_time and not re.search(r"[.!?]\s", record.text[min(e.end, expr.end):max(e.start, expr.start)])
                        for e in expressions):
                    skipped.append(Skip(source.path, f"{expr.text!r}", "says how long after the start a time stated in the same sentence was", record.line))
                    continue
                mention = _relative(expr, absolute, source.path, record.index)
                if mention is None:
                    skipped.append(Skip(source.path, f"{expr.text!r}", "counted from a time, but the source states none before it", record.line))
                else:
                    mentions.append(mention)
                continue
            try:
                resolved = resolve(expr, record_ctx, context_date)
                resolved = _follow(expr, resolved, previous, record_ctx, context_date)
            except Unresolvable as exc:
                skipped.append(Skip(source.path, f"{expr.text!r}", str(exc), record.line))
                continue
            if expr.has_date or resolved.date != (context_date or resolved.date):
                context_date = resolved.date
            previous = (expr, resolved) if expr.has_time else previous
            mentions.append(Mention(
                source=source.path, record=record.index, start=expr.start, end=expr.end,
                text=expr.text, span=resolved.span, local=resolved.local,
                hedge=" ".join(expr.hedges) or None, role=resolved.role,
            ))
            if expr.has_time and resolved.span.precision in (Precision.MINUTE, Precision.APPROXIMATE):
                absolute.append(mentions[-1])
    return ParsedSource(source, doc.records, tuple(mentions), tuple(skipped))


LATE_HOUR, SMALL_HOURS = 20, 4
VAGUE_HEDGES = ("about", "around", "roughly", "approximately", "approx.", "some time around", "sometime around")


def _relative(expr: Expression, absolute: list[Mention], path: str, record: int) -> Mention | None:
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
        vague = any(h.lower() in VAGUE_HEDGES for h in expr.hedges)
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


def _follow(expr: Expression, resolved, previous, ctx: Context, context_date: date | None):
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
    if not rolled and prev_expr.hour is not None and prev_expr.hour >= LATE_HOUR and expr.hour < SMALL_HOURS \
            and prev.date == base and resolved.span.best < prev.span.best:
        rolled = True
    if not rolled:
        return resolved
    nxt = resolve(expr, ctx, base + timedelta(days=1))
    flag = Flag(FlagCode.DATE_ROLLED, f"placed on {nxt.date.isoformat()}, after {prev_expr.text!r} the evening before")
    return replace(nxt, span=replace(nxt.span, flags=nxt.span.flags + (flag,)))


def _placed_in_source_zone(record, source: Source, ctx: Context):
    """A post time written without an offset ("2019-07-03 09:18") is local to the source's zone."""
    try:
        local = datetime.fromisoformat(record.timestamp_text.strip().replace("T", " ").replace("Z", ""))
    except ValueError:
        return record
    if local.tzinfo is not None:
        return replace(record, timestamp=local.astimezone(zones.UTC))
    when, flags = zones.localize(local.replace(tzinfo=None), source.zone or "UTC")
    note = Flag(FlagCode.ZONE_FROM_SOURCE, f"{record.timestamp_text!r} has no offset; read in {source.zone} ({source.zone_rule})")
    kept = tuple(f for f in record.flags if f.code is not FlagCode.NO_ZONE)
    return replace(record, timestamp=when, flags=kept + tuple(flags) + (note,) + ctx.zone_flags)


def _own_time(record, source: Source) -> Mention:
    when = record.timestamp.astimezone(zones.UTC)
    region = source.zone or "UTC"
    local_only = has_flag(record.flags, FlagCode.ZONE_FROM_SOURCE)
    rule = (source.zone_rule or ZoneRule.ASSUMED) if local_only else ZoneRule.EXPLICIT_TIMESTAMP
    span = TimeSpan(when, when, when, Precision.MINUTE, region, rule, tuple(record.flags))
    local = when.astimezone(zones.zone(region))
    return Mention(
        source=source.path, record=record.index, start=0, end=0,
        text=record.timestamp_text or when.isoformat(), span=span,
        local=f"{local:%Y-%m-%d %H:%M} {zones.tzname(region, when)}", own_time=True,
    )


def _source_zone(doc: SourceDoc, found, default_tz: str | None) -> Source:
    source = doc.source
    if source.zone:
        return source
    published = parse_published(source.published)
    on = published.date() if isinstance(published, datetime) else (published or date.today())
    declared = all_times_zone(doc.text or " ".join(r.text for r in doc.records))
    if declared:
        try:
            region, _ = region_for_token(declared, on)
            return replace(source, zone=region, zone_rule=ZoneRule.INFERRED_ALL_TIMES)
        except Unresolvable:
            pass
    locale_zone = _locale_zone(source)
    if isinstance(published, datetime) and published.utcoffset():
        minutes = int(published.utcoffset().total_seconds() // 60)
        region = zones.zone_for_offset(minutes, on, prefer=locale_zone)
        return replace(source, zone=region, zone_rule=ZoneRule.INFERRED_PUBLICATION_OFFSET)
    written = Counter()
    for _, expressions in found:
        for expr in expressions:
            if expr.zone and not expr.coarse:
                try:
                    written[region_for_token(expr.zone, on)[0]] += 1
                except Unresolvable:
                    continue
    if written:
        region = sorted(written.items(), key=lambda kv: -kv[1])[0][0]
        return replace(source, zone=region, zone_rule=ZoneRule.INFERRED_ZONE_IN_SOURCE)
    if locale_zone:
        return replace(source, zone=locale_zone, zone_rule=ZoneRule.INFERRED_LOCALE)
    if default_tz:
        return replace(source, zone=default_tz, zone_rule=ZoneRule.DEFAULT_TZ)
    return replace(source, zone="UTC", zone_rule=ZoneRule.ASSUMED)


def publication_from_byline(doc: SourceDoc) -> str | None:
    """The publication time a story's own dateline gives, when its metadata gives none."""
    if doc.source.published:
        return doc.source.published
    found = [(r, find(r.text)) for r in doc.records if r.label == "byline"]
    return _published_from_byline(doc.source, found, None).published


def _published_from_byline(source: Source, found, fallback: date | None) -> Source:
    """A story saved as text keeps its dateline ("Mon 28 Aug 2023 19.21 BST"): when no metadata
    gives the publication time, the first dated publication line does, with its zone if written."""
    if source.published:
        return source
    for record, expressions in found:
        if record.label != "byline":
            continue
        for expr in expressions:
            if expr.coarse or not expr.has_date:
                continue
            by_locale = _locale_month_first(source)
            ctx = Context("UTC", ZoneRule.EXPLICIT, fallback, "other-sources", True if by_locale is None else by_locale)
            try:
                resolved = resolve(expr, ctx, None)
            except Unresolvable:
                continue
            if expr.year is None and fallback is None:
                continue
            if expr.zone:
                when = resolved.span.best.astimezone(zones.zone(resolved.span.zone))
                return replace(source, published=when.isoformat(timespec="minutes"))
            if expr.has_time:
                return replace(source, published=resolved.span.best.replace(tzinfo=None).isoformat(timespec="minutes"))
            return replace(source, published=resolved.date.isoformat())
    return source


def _locale_month_first(source: Source) -> bool | None:
    """Whether the source's locale writes numeric dates month first (7/3 = July 3); None without one.
    A language read from the text says nothing of the region ("en" is the US and the UK alike)."""
    declared = source.language if source.language_rule is None or source.language_rule.declared else None
    locale = (source.locale or declared or "").replace("_", "-")
    return locale in load("locales")["month_first"]["locales"] if locale else None


def _locale_zone(source: Source) -> str | None:
    table = load("locales")["zones"]
    for key in (source.locale, source.language):
        if key:
            key = key.replace("_", "-")
            if key in table:
                return table[key]
    return None


def _context(source: Source, found, fallback: date | None, year: int | None = None) -> Context:
    flags = ()
    if source.zone_rule is ZoneRule.ASSUMED:
        flags = (Flag(FlagCode.ZONE_ASSUMED, "no zone written in the expression or known for the source; read as UTC"),)
    month_first = _locale_month_first(source)
    if month_first is None:
        month_first = not source.zone or source.zone.startswith("America/") or source.zone == "UTC"
    published = parse_published(source.published)
    if isinstance(published, datetime):
        if published.tzinfo is not None and not published.utcoffset():
            # A UTC stamp is the CMS's clock, not the writer's: their calendar is the source zone's.
            reference = published.astimezone(zones.zone(source.zone)).date()
        else:
            reference = published.date()
        rule = "published"
    elif isinstance(published, date):
        reference, rule = published, "published"
    else:
        reference, rule = _first_date(found, fallback, year), "first-date-in-source"
        if reference is None and fallback is not None:
            reference, rule = fallback, "other-sources"
    borrowed = rule == "first-date-in-source" and not year and not any(
        e.year for _, exprs in found for e in exprs if not e.coarse and e.month and e.day)
    return Context(source.zone, source.zone_rule, reference, rule, month_first, flags, borrowed)


def _first_date(found, fallback: date | None, year_given: int | None = None) -> date | None:
    for _, expressions in found:
        for expr in expressions:
            if expr.coarse or not (expr.month and expr.day):
                continue
            year = expr.year or year_given or (infer_year(expr.month, expr.day, fallback) if fallback else None)
            if year is None:
                continue
            try:
                return date(year, expr.month, expr.day)
            except ValueError:
                continue
    return None
