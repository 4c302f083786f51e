"""What a source tells about reading its bare times: its zone (and the rule that chose it), its
publication date (from metadata or its own dateline), how it writes numeric dates.

Computed once per source and shared: the pipeline asks ``publication_from_byline`` for the date
other sources fall back on.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime

from ..model import Flag, FlagCode, Furniture, Source, SourceDoc, ZoneRule
from ..tables import load
from . import zones
from .anchor import Context, Unresolvable, infer_year, region_for_token, resolve
from .extract import all_times_zone, find_kept


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


def source_zone(doc: SourceDoc, found, default_tz: str | None) -> Source:
    source = doc.source
    if source.zone:
        return source
    published = parse_published(source.published)
    on = published.date() if isinstance(published, datetime) else (published or date.today())
    declared = all_times_zone(doc.text or " ".join(r.text for r in doc.records), source.language)
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


STAMPS = (Furniture.PUBLISHED, Furniture.UPDATED)
"""Page furniture that dates the page, in the order it is trusted for the publication time."""


def publication_from_byline(doc: SourceDoc) -> str | None:
    """The publication time a story's own dateline gives, when its metadata gives none."""
    if doc.source.published:
        return doc.source.published
    found = [(r, find_kept(r.text, doc.source.language)) for r in doc.records if r.label in STAMPS]
    return published_from_byline(doc.source, found, None).published


def published_from_byline(source: Source, found, fallback: date | None) -> Source:
    """A story saved as text keeps its dateline ("Mon 28 Aug 2023 19.21 BST") and its stamps: when
    no metadata gives the publication time, the first dated publication stamp does, else the first
    update stamp ("Aktualisiert am 19.07.2024, 15:57 Uhr"), with its zone if written."""
    if source.published:
        return source
    stamps = [(record, expressions) for kind in STAMPS for record, expressions in found if record.label == kind]
    for _record, expressions in stamps:
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
    A language read from the text says nothing of the region ("en" is the US and the UK alike),
    but a language that no month-first locale speaks is day-first wherever it is written (a
    Brazilian story is day-first though its zone is in the Americas)."""
    month_first = load("locales")["month_first"]["locales"]
    declared = source.language if source.language_rule is None or source.language_rule.declared else None
    locale = (source.locale or declared or "").replace("_", "-")
    if locale:
        return locale in month_first
    if source.language and not any(m.replace("_", "-").split("-")[0] == source.language for m in month_first):
        return False
    return None


def _locale_zone(source: Source) -> str | None:
    table = load("locales")["zones"]
    for key in (source.locale, source.language):
        if key:
            key = key.replace("_", "-")
            if key in table:
                return table[key]
    return None


def context(source: Source, found, fallback: date | None, year: int | None = None) -> Context:
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
