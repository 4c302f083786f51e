"""The whole job as one library call: files → Timeline. ``cli.py`` only wires options to this."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from . import events as events_stage
from .merge import incident_window, merge
from .metrics import compute as compute_metrics
from .model import Claim, ParsedSource, Skip, SourceDoc, SourceReport, Timeline, ZoneRule
from .sources.base import Limits, SourceError, unit_counts
from .sources.manifest import Hint, apply, load_manifest, source_tz_hints
from .sources.registry import collect, read_path
from .timeparse import parse_published, parse_source, publication_from_byline

LOG_TYPES = ("log", "metrics")


@dataclass(frozen=True)
class Options:
    tz: str | None = None
    source_tz: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    log_tz: str | None = None
    year: int | None = None
    limits: Limits = Limits()


@dataclass
class Build:
    """A timeline plus the inputs that could not be used at all, each with its one-line reason."""

    timeline: Timeline
    errors: list[SourceError] = field(default_factory=list)


def read_all(paths: list[str], options: Options) -> tuple[list[SourceDoc], list[SourceError]]:
    docs, errors = [], []
    cli_hints = source_tz_hints(options.source_tz)
    manifests: dict[Path, list[Hint]] = {}
    try:
        files = collect(paths)
    except SourceError as exc:
        return [], [exc]
    for path, display, folder in files:
        hints = []
        if folder is not None:
            if folder not in manifests:
                try:
                    manifests[folder] = load_manifest(folder)
                except SourceError as exc:
                    errors.append(exc)
                    manifests[folder] = []
            hints = manifests[folder]
        relative = str(path.relative_to(folder)) if folder else path.name
        try:
            for doc in read_path(path, display, options.limits):
                docs.append(replace(doc, source=apply(doc.source, relative, hints + cli_hints)))
        except SourceError as exc:
            errors.append(exc)
    return docs, errors


def reference_date(docs: list[SourceDoc]) -> date | None:
    """The date the sources were published, for those that do not say (the median, so one outlier can't move it)."""
    days = []
    for doc in docs:
        published = parse_published(doc.source.published or publication_from_byline(doc))
        if isinstance(published, datetime):
            days.append(published.date())
        elif isinstance(published, date):
            days.append(published)
    if not days:
        return None
    days.sort()
    return days[(len(days) - 1) // 2]


def build(paths: list[str], options: Options = Options()) -> Build:
    docs, errors = read_all(paths, options)
    docs.sort(key=lambda d: d.source.path)
    fallback = reference_date(docs)
    claims: list[Claim] = []
    reports = []
    parsed_all = []
    for doc in (d for d in docs if d.source.type not in LOG_TYPES):
        try:
            parsed = parse_source(doc, options.tz, fallback, options.year)
            found, skipped = events_stage.claims(parsed)
        except Exception as exc:  # noqa: BLE001 - one source's defect must not cost the others
            errors.append(SourceError(doc.source.path, f"could not be processed ({type(exc).__name__}: {exc})"))
            continue
        claims.extend(found)
        parsed_all.append((parsed, found, list(parsed.skipped) + skipped, len(parsed.mentions), doc))
    window = incident_window(claims, options.since, options.until)
    for doc in (d for d in docs if d.source.type in LOG_TYPES):
        from .logs.claims import log_claims  # pandas: only when there is a log to count


        source = doc.source
        if not source.zone and options.log_tz:
            source = replace(source, zone=options.log_tz, zone_rule=ZoneRule.PINNED_LOG_TZ)
        try:
            found, skipped = log_claims(doc, source.zone, source.zone_rule, options.year, window)
        except Exception as exc:  # noqa: BLE001 - one source's defect must not cost the others
            errors.append(SourceError(source.path, f"could not be processed ({type(exc).__name__}: {exc})"))
            continue
        claims.extend(found)
        lines = doc.series.parsed if doc.series is not None else 0
        parsed_all.append((ParsedSource(source, doc.records, (), ()), found, list(doc.skipped) + skipped, lines, doc))
    merged = merge(claims, options.since, options.until)
    late = {}
    for skip in merged.skipped:
        late.setdefault(skip.source, []).append(skip)
    used_claims, used_records = {}, {}
    for event in merged.events:
        for claim in event.claims:
            used_claims[claim.source] = used_claims.get(claim.source, 0) + 1
            used_records.setdefault(claim.source, set()).add(claim.record)
    for parsed, _found, skipped, mentions, doc in parsed_all:
        path = parsed.source.path
        all_skips = tuple(sorted(skipped + late.get(path, []), key=lambda s: (s.line or 0, s.what, s.reason)))
        reports.append(SourceReport(parsed.source, mentions, used_claims.get(path, 0), all_skips,
                                    unit_counts(doc, len(used_records.get(path, ())))))
    unreadable = tuple(sorted((Skip(e.path, e.path, e.reason, e.line) for e in errors),
                              key=lambda s: (s.source, s.line or 0, s.reason)))
    timeline = Timeline(merged.events, merged.conflicts, tuple(reports), merged.window,
                        compute_metrics(merged.events), merged.notes, unreadable)
    return Build(timeline, errors)
