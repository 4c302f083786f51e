"""Records → time mentions: find expressions in each record's language, choose each one's zone
(and say why), anchor their dates; the stage that ``pipeline`` runs per source."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

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
from . import zones
from .anchor import Context, Unresolvable, resolve
from .context import context, published_from_byline, source_zone
from .extract import find
from .relative import relative_mention
from .rollover import follow


def parse_source(doc: SourceDoc, default_tz: str | None = None, fallback: date | None = None,
                 year: int | None = None) -> ParsedSource:
    """All mentions of one source; ``fallback`` is the date other sources were published on, and
    ``year`` the incident's year as the user gives it (``--year``) for sources that never say."""
    found = [(record, find(record.text, record.language or doc.source.language)) for record in doc.records]
    doc = replace(doc, source=published_from_byline(doc.source, found, fallback))
    source = source_zone(doc, found, default_tz)
    ctx = context(source, found, fallback, year)
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
                mention = relative_mention(expr, absolute, source.path, record.index)
                if mention is None:
                    skipped.append(Skip(source.path, f"{expr.text!r}", "counted from a time, but the source states none before it", record.line))
                else:
                    mentions.append(mention)
                continue
            try:
                resolved = resolve(expr, record_ctx, context_date)
                resolved = follow(expr, resolved, previous, record_ctx, context_date)
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
