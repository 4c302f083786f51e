"""Records → time mentions: find expressions in each record's language, choose each one's zone
(and say why), anchor their dates; the stage that ``pipeline`` runs per source."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from ..model import (
    Flag,
    FlagCode,
    Mention,
    ParsedSource,
    Precision,
    Reading,
    Record,
    Skip,
    Source,
    SourceDoc,
    TimeSpan,
    ZoneRule,
    has_flag,
)
from . import zones
from .anchor import Context, Unresolvable, infer_year, resolve, shifted
from .context import STAMPS, context, published_from_byline, source_zone
from .extract import Expression, find_kept
from .relative import relative_mention
from .rollover import follow


def parse_source(doc: SourceDoc, default_tz: str | None = None, fallback: date | None = None,
                 year: int | None = None) -> ParsedSource:
    """All mentions of one source; ``fallback`` is the date other sources were published on, and
    ``year`` the incident's year as the user gives it (``--year``) for sources that never say."""
    found = [(record, find_kept(record.text, record.language or doc.source.language)) for record in doc.records]
    doc = replace(doc, source=published_from_byline(doc.source, found, fallback))
    source = source_zone(doc, found, default_tz)
    ctx = context(source, found, fallback, year)
    walk = _Walk(source, ctx, _written_dates(found, ctx, year))
    authors = _author_contexts(doc, found, source, default_tz, fallback, year)
    for record, expressions in found:
        walk.record(record, expressions, authors.get(record.author))
    return ParsedSource(source, doc.records, tuple(walk.mentions), tuple(list(doc.skipped) + walk.skipped))


MAX_DATE_STEP = timedelta(days=1)
"""A date written more than a day away from the date the source is telling about (a year-old
outage, a report published days later) dates only its own paragraph."""
POST_SLACK = timedelta(minutes=5)
ALTERNATIVE_DATES = 4


class _Walk:
    """Reads a source's records in order, keeping what carries from one time to the next: the
    date the source is telling about (``main``), the date and the zone written in the current
    paragraph, the previous time (for ranges and midnight), the times stated so far (for
    "two hours later")."""

    def __init__(self, source: Source, ctx: Context, written: list[tuple[int, date]]):
        self.source, self.ctx, self.written = source, ctx, written
        self.mentions: list[Mention] = []
        self.skipped: list[Skip] = []
        self.main: date | None = None
        self.local: date | None = None
        self.zone: str | None = None
        self.paragraph: object = None
        self.previous = None
        self.absolute: list[Mention] = []

    def record(self, record: Record, expressions, ctx: Context | None = None) -> None:
        ctx = ctx or self.ctx
        if record.timestamp is None and record.timestamp_text and has_flag(record.flags, FlagCode.NO_ZONE):
            record = _placed_in_source_zone(record, self.source, ctx)
        paragraph = ("record", record.index) if record.timestamp is not None or record.paragraph is None and \
            record.author else ("paragraph", record.paragraph)
        if paragraph != self.paragraph:
            self.paragraph, self.local, self.zone = paragraph, None, None
        if record.timestamp is not None:
            self.mentions.append(_own_time(record, self.source))
            local_day = record.timestamp.astimezone(zones.zone(self.source.zone or "UTC")).date()
            ctx = replace(ctx, reference=local_day, reference_rule="published")
            self.main = self.local = None
            self.previous = None
        for expr in expressions:
            self.expression(record, expr, expressions, ctx)

    def expression(self, record: Record, expr: Expression, expressions, ctx: Context) -> None:
        path = self.source.path
        if expr.coarse:
            self.skipped.append(Skip(path, f"{expr.text!r}", "coarser than a day (a month or a year): not a point on the timeline", record.line))
            return
        if expr.relative is not None:
            if expr.relative_to == "first" and any(
                    e.has_time and not re.search(r"[.!?]\s", record.text[min(e.end, expr.end):max(e.start, expr.start)])
                    for e in expressions):
                self.skipped.append(Skip(path, f"{expr.text!r}", "says how long after the start a time stated in the same sentence was", record.line))
                return
            mention = relative_mention(expr, self.absolute, path, record.index)
            if mention is None:
                self.skipped.append(Skip(path, f"{expr.text!r}", "counted from a time, but the source states none before it", record.line))
            else:
                self.mentions.append(mention)
            return
        if expr.has_time and expr.zone:
            if expr.follows != "apposition":  # "10 p.m. Sunday (1 p.m. GMT)": a conversion, not the story's zone
                self.zone = expr.zone
        elif expr.has_time and self.zone and expr.follows != "apposition":
            expr = replace(expr, zone=self.zone, zone_carried=True)
        carried = self.local or self.main
        try:
            resolved = resolve(expr, ctx, carried)
            resolved = follow(expr, resolved, self.previous, ctx, carried)
        except Unresolvable as exc:
            self.skipped.append(Skip(path, f"{expr.text!r}", str(exc), record.line))
            return
        if record.label in STAMPS:
            pass  # the page's own stamp dates the page, not the times it tells of
        elif expr.has_date or resolved.date != (carried or resolved.date):
            self.local = resolved.date
            if self.main is None or abs(resolved.date - self.main) <= MAX_DATE_STEP:
                self.main = resolved.date
        self.previous = (expr, resolved) if expr.has_time else self.previous
        soft = not expr.has_date and self.local is None or bool(expr.relday)
        alternatives = self._alternatives(expr, resolved, ctx, record, soft) if expr.has_time else ()
        span, local = resolved.span, resolved.local
        if record.timestamp is not None and span.earliest > record.timestamp + POST_SLACK:
            span, local, alternatives = _before_post(record, resolved, alternatives)
        self.mentions.append(Mention(
            source=path, record=record.index, start=expr.start, end=expr.end,
            text=expr.text, span=span, local=local,
            hedge=" ".join(expr.hedges) or None, role=resolved.role, alternatives=alternatives,
            apposed=expr.follows == "apposition",
        ))
        if expr.has_time and span.precision in (Precision.MINUTE, Precision.APPROXIMATE):
            self.absolute.append(self.mentions[-1])

    def _alternatives(self, expr: Expression, resolved, ctx: Context, record: Record, soft: bool) -> tuple[Reading, ...]:
        """The other readings of a time whose date was not written beside it (the day before or
        after, the other dates the source writes) or whose half of the day was not written."""
        dates = [resolved.date]
        if soft and not expr.month and not expr.numeric:
            near = sorted(self.written, key=lambda w: (abs(w[0] - record.index), w[1]))
            dates += [resolved.date - MAX_DATE_STEP, resolved.date + MAX_DATE_STEP]
            dates += [d for _, d in near][:ALTERNATIVE_DATES]
        # "6:03" read as 6:03 can also be 18:03; "12:30" read as 12:30 can also be 00:30
        halves = [0] + ([12 if expr.hour < 12 else -12] if expr.half_unknown else [])
        out, seen = [], {resolved.span.best}
        for hours in halves:
            for day in dict.fromkeys(dates):
                if not hours and day == resolved.date:
                    continue
                other = shifted(resolved, expr, (day - resolved.date).days, hours)
                if other.span.best in seen:
                    continue
                seen.add(other.span.best)
                out.append(Reading(other.span, other.local, other_date=day != resolved.date, other_half=bool(hours)))
        return tuple(out)


def _before_post(record: Record, resolved, alternatives: tuple[Reading, ...]):
    """A post cannot tell of a time after it was written ("since about 3pm" in a post at 2pm):
    the latest other reading before the post is taken, or the reading is flagged."""
    fits = [a for a in alternatives if a.span.earliest <= record.timestamp + POST_SLACK]
    if fits:
        chosen = max(fits, key=lambda a: a.span.best)
        flag = Flag(FlagCode.AFTER_POST, f"{resolved.local} would be after the post ({record.timestamp_text}); read as {chosen.local}")
        rest = tuple(a for a in alternatives if a is not chosen)
        return replace(chosen.span, flags=chosen.span.flags + (flag,)), chosen.local, rest
    flag = Flag(FlagCode.AFTER_POST, f"{resolved.local} is after the post itself ({record.timestamp_text})")
    return replace(resolved.span, flags=resolved.span.flags + (flag,)), resolved.local, alternatives


def _author_contexts(doc: SourceDoc, found, source: Source, default_tz, fallback, year) -> dict:
    """In an export holding posts by many authors, a zone one author writes never sets the zone of
    another's posts: when the source's zone was inferred from the zones written in it, each author's
    bare times are read in the zone that author writes (or, when they write none, in what the export
    itself gives: its publication offset, locale, --tz, else UTC)."""
    authors = {r.author for r in doc.records if r.author}
    if len(authors) < 2 or source.zone_rule is not ZoneRule.INFERRED_ZONE_IN_SOURCE:
        return {}
    out = {}
    for author in sorted(authors):
        own = [(r, e) for r, e in found if r.author == author]
        mine = source_zone(replace(doc, source=replace(source, zone=None, zone_rule=None), text="",
                                   records=tuple(r for r, _ in own)), own, default_tz)
        out[author] = context(mine, own, fallback, year)
    return out


def _written_dates(found, ctx: Context, year: int | None) -> list[tuple[int, date]]:
    """(record index, date) of every full date the source writes, as candidates for its undated times."""
    out = []
    reference = ctx.reference
    for record, expressions in found:
        for expr in expressions:
            if expr.coarse or not (expr.month and expr.day):
                continue
            y = expr.year or year or (infer_year(expr.month, expr.day, reference) if reference else None)
            if y is None:
                continue
            try:
                out.append((record.index, date(y, expr.month, expr.day)))
            except ValueError:
                continue
    return out


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
