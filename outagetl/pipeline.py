"""The whole job as one library call: files → Timeline. ``cli.py`` only wires options to this."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from .collector import seldom
from .decisions import Decision, apply_to_events, apply_to_sources, parse_by_author, rejected_skips
from .keys import Digests, file_digest, source_digest
from .keys import assign as assign_keys
from .merge import clock_skew, incident_window, merge, numbered
from .merge import conflicts as find_conflicts
from .metrics import compute as compute_metrics
from .model import Claim, Skip, SourceDoc, SourceReport, Timeline, ZoneRule
from .reconcile import reconcile
from .sources.base import Limits, SourceError, units
from .sources.manifest import Hint, apply, load_manifest, source_tz_hints, wanted_type
from .sources.registry import collect, read_path

# The text stages (timeparse, events) compile hundreds of patterns when imported: a build of logs
# alone never imports them.

LOG_TYPES = ("log", "metrics")
STDIN = "-"
STDIN_NAME = "<stdin>"
"""``-`` among the paths reads one source from standard input; outputs name it ``<stdin>``."""


@dataclass(frozen=True)
class Options:
    tz: str | None = None
    source_tz: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    log_tz: str | None = None
    year: int | None = None
    limits: Limits = Limits()
    jobs: int | None = None
    """Processes that read the stories (``parallel``); None: one per free core when there are many."""


@dataclass
class Build:
    """A timeline plus the inputs that could not be used at all, each with its one-line reason."""

    timeline: Timeline
    errors: list[SourceError] = field(default_factory=list)


@dataclass(frozen=True)
class Input:
    """One file to read: where it is, the name outputs give it, its name inside the folder it came
    from (what ``sources.toml`` and ``--source-tz`` globs match), and that folder's manifest hints."""

    path: Path
    display: str
    relative: str
    hints: tuple[Hint, ...] = ()


def inputs(paths: list[str], limits: Limits | None = None) -> tuple[list[Input], list[SourceError]]:
    """Every file the paths name (a folder means its files), each with its folder's manifest.
    A manifest the user must fix raises ManifestError (a usage error) rather than being dropped."""
    errors: list[SourceError] = []
    manifests: dict[Path, tuple[Hint, ...]] = {}
    try:
        files = collect(paths, errors)
    except SourceError as exc:
        return [], [exc]
    out = []
    for path, display, folder in files:
        hints: tuple[Hint, ...] = ()
        if folder is not None:
            if folder not in manifests:
                manifests[folder] = tuple(load_manifest(folder, limits or Limits()))
            hints = manifests[folder]
        relative = str(path.relative_to(folder)) if folder else path.name
        out.append(Input(path, display, relative, hints))
    return out, errors


def read_input(item: Input, limits: Limits, extra: list[Hint] | tuple[Hint, ...] = (),
               digest: str | None = None) -> list[SourceDoc]:
    """Read one file: its sources, with the manifest's and then ``extra`` (``--source-tz``) hints
    applied, the file's digest recorded (what event keys derive from) and its language chosen."""
    wanted = wanted_type(item.relative, list(item.hints) + list(extra))
    return hinted(read_path(item.path, item.display, limits, wanted), item, extra, digest)


def hinted(docs: list[SourceDoc], item: Input, extra: list[Hint] | tuple[Hint, ...] = (),
           digest: str | None = None) -> list[SourceDoc]:
    """A file's sources as read, with the manifest's and then ``extra`` hints, the file's digest and
    each one's language (a case file's stored sources go through here as files do)."""
    hints = list(item.hints) + list(extra)
    return [_language(replace(doc, source=replace(apply(doc.source, item.relative, hints),
                                                  digest=source_digest(digest, item.display, doc.source.path))))
            for doc in docs]


def _language(doc: SourceDoc) -> SourceDoc:
    """The doc with its language chosen; a log's or a metrics export's lines are not read for one
    (``sources.language.NOT_READ``), so a build of logs alone never imports the language stage."""
    if doc.source.type in LOG_TYPES:
        return doc
    from .sources.language import assign

    return assign(doc)


def read_stdin(stdin: BinaryIO | None, limits: Limits, extra: list[Hint] | tuple[Hint, ...] = ()) -> list[SourceDoc]:
    """Standard input, spooled to a private temporary file so that every reader (the streaming log
    readers too) reads it as it reads a file; ``--source-tz '<stdin>=ZONE'`` pins its zone."""
    if stdin is None:
        raise SourceError(STDIN_NAME, "'-' was given but there is no standard input to read")
    with tempfile.TemporaryDirectory(prefix="outagetl-") as folder:
        spool = Path(folder) / "stdin"
        with open(spool, "wb") as out:
            shutil.copyfileobj(stdin, out, 1 << 20)
        return read_input(Input(spool, STDIN_NAME, STDIN_NAME), limits, extra, file_digest(spool))


def read_all(paths: list[str], options: Options,
             stdin: BinaryIO | None = None) -> tuple[list[SourceDoc], list[SourceError]]:
    items, errors = inputs([p for p in paths if p != STDIN], options.limits)
    docs = []
    if STDIN in paths:
        try:
            docs += read_stdin(stdin, options.limits, source_tz_hints(options.source_tz))
        except SourceError as exc:
            errors.append(exc)
    read, errors = read_items(items, errors, options)
    return docs + read, errors


def read_items(items: list[Input], errors: list[SourceError], options: Options,
               let_go: bool = True) -> tuple[list[SourceDoc], list[SourceError]]:
    """The files read in this process, in turn, their digests hashed beside on a thread; ``errors``
    (what ``inputs`` could not list) first among the errors. What reading held is let go after
    (``_let_go``), unless the caller reads more (the crew's logs, read between its stages)."""
    cli_hints = source_tz_hints(options.source_tz)
    errors = list(errors)
    digests = Digests(item.path for item in items)
    docs = []
    try:
        for item in items:
            try:
                read = read_path(item.path, item.display, options.limits,
                                 wanted_type(item.relative, list(item.hints) + list(cli_hints)))
            except SourceError as exc:
                digests.skip(item.path)
                errors.append(exc)
                continue
            docs += hinted(read, item, cli_hints, digests.get(item.path))
    finally:
        digests.close()
        if let_go:
            _let_go()
    return docs, errors


def _let_go() -> None:
    """The sources are read: what reading held for every file is let go, if it was loaded: the
    language model (their languages are told) and the process that read big logs' second halves."""
    import sys

    for name in ("sources.language", "logs.reader"):
        module = sys.modules.get(f"{__package__}.{name}")
        if module is not None:
            module.release()


def _compile_for(docs: list[SourceDoc]) -> None:
    """Compile the grammar and milestone words of every language the stories are in, here, so
    that worker processes forked next start with them instead of each compiling its own."""
    from .events import vocabulary
    from .timeparse.grammar import grammar

    langs = {d.source.language for d in docs} | {r.language for d in docs for r in d.records}
    for lang in sorted(langs - {None}):
        grammar(lang)
        vocabulary(lang)


def _map_sources(fn, items: list, jobs: int | None) -> list:
    """``parallel.map_sources``, imported (with ``multiprocessing``) only when there are stories."""
    if not items:
        return []
    from .parallel import map_sources

    return map_sources(fn, items, jobs)


def _read_claims(doc: SourceDoc, author_zones: dict, options: Options, fallback: date | None):
    """One story through timeparse and events: (its source as parsed, what was skipped, how many
    mentions, its claims), or the SourceError that says why it could not be. Only what the later
    stages use is returned, since a worker process sends it back (``parallel``)."""
    from . import events as events_stage
    from .timeparse import parse_source

    try:
        parsed = parse_by_author(doc, author_zones.get(doc.source.path),
                                 lambda d: parse_source(d, options.tz, fallback, options.year))
        found, skipped = events_stage.claims(parsed)
    except Exception as exc:  # noqa: BLE001 - one source's defect must not cost the others
        return SourceError(doc.source.path, f"could not be processed ({type(exc).__name__}: {exc})")
    return parsed.source, list(parsed.skipped) + skipped, len(parsed.mentions), found


def reference_date(docs: list[SourceDoc]) -> date | None:
    """The date the sources were published, for those that do not say (the median, so one outlier can't move it)."""
    return _median_day([published_day(doc) for doc in docs])


def published_day(doc: SourceDoc) -> date | None:
    """The day a source was published, by its metadata or its own dateline; None when it does not say."""
    if doc.source.type in LOG_TYPES and not doc.source.published:
        return None  # no byline to read
    from .timeparse import parse_published, publication_from_byline

    published = parse_published(doc.source.published or publication_from_byline(doc))
    if isinstance(published, datetime):
        return published.date()
    return published if isinstance(published, date) else None


def _median_day(days: list[date | None]) -> date | None:
    days = sorted(day for day in days if day is not None)
    return days[(len(days) - 1) // 2] if days else None


def build(paths: list[str], options: Options = Options(), decisions: tuple[Decision, ...] = (),
          stdin: BinaryIO | None = None) -> Build:
    """Read ``paths`` (``-`` is ``stdin``) and build their timeline (``decisions`` as a case file
    would supply them); a window that ends before it starts is a ValueError (the CLI's usage error)."""
    if options.since and options.until and options.since >= options.until:
        raise ValueError(f"--since {options.since:%Y-%m-%dT%H:%MZ} is not before --until {options.until:%Y-%m-%dT%H:%MZ}")
    with seldom():
        # what is read is held only while the claims are made: the records go before merge
        if not decisions and STDIN not in paths:
            items, errors = inputs(paths, options.limits)
            claimed = _crewed(items, errors, options)
            if claimed is None:
                claimed = _claimed(*read_items(items, errors, options), options, decisions)
        else:
            claimed = _claimed(*read_all(paths, options, stdin), options, decisions)
        return _timeline(claimed, options, decisions)


def build_docs(docs: list[SourceDoc], errors: list[SourceError], options: Options = Options(),
               decisions: tuple[Decision, ...] = ()) -> Build:
    """The pipeline after reading: sources → decisions → timeparse → events → merge → keys → decisions → metrics.

    ``build`` reads files; a case file supplies its stored sources and its decisions; both end here."""
    with seldom():
        return _timeline(_claimed(docs, errors, options, decisions), options, decisions)


@dataclass(frozen=True, slots=True)
class _Claimed:
    """What the stages after the claims need of the sources: not their records (200,000 posts'
    records are some 100 MB that merge, the largest stage, need not hold)."""

    claims: list[Claim]
    parsed: list[tuple]
    """Per source: the source, its claims, its skips, its mention count and its ``Units``."""
    errors: list[SourceError]
    digests: dict
    corrections: list
    rates: dict


def _claimed(docs: list[SourceDoc], errors: list[SourceError], options: Options,
             decisions: tuple[Decision, ...]) -> _Claimed:
    """sources → decisions → timeparse → events → reconcile, and each log's claims."""
    sourced = apply_to_sources(docs, decisions)
    docs = sorted(sourced.docs, key=lambda d: d.source.path)
    fallback = reference_date(docs)
    texts = [d for d in docs if d.source.type not in LOG_TYPES]
    if len(texts) >= 2:
        _compile_for(texts)
    read = partial(_read_claims, author_zones=sourced.author_zones, options=options, fallback=fallback)
    stories = [(doc.source, result, units(doc)) for doc, result in zip(texts, _map_sources(read, texts, options.jobs),
                                                                       strict=True)]
    return _gathered(stories, [d for d in docs if d.source.type in LOG_TYPES], errors, options, sourced.corrections)


def _crewed(items: list[Input], errors: list[SourceError], options: Options) -> _Claimed | None:
    """Reading, timeparse and events on every core at once (``parallel.map_phased``): each process
    reads its run of the files and tells the days they were published; here the median of those
    days (``reference_date``) is taken and the logs are read; then each process reads the times and
    claims of the stories it holds. The stories never travel between processes, only their claims.
    None when one process would do it all (few files, one free core): ``read_items`` then does."""
    if len(items) < 2:
        return None
    from .parallel import map_phased, workers

    processes = workers(len(items), options.jobs)
    if processes <= 1:
        return None
    cli_hints = source_tz_hints(options.source_tz)
    logs: list[SourceDoc] = []
    read_errors: list[SourceError] = list(errors)

    def first(item: Input):
        try:
            read = read_path(item.path, item.display, options.limits,
                             wanted_type(item.relative, list(item.hints) + list(cli_hints)), leave=LOG_TYPES)
        except SourceError as exc:
            return None, exc
        if read is None:  # a log: read here, by the process that has the log reader's helper
            return None, None
        digest = file_digest(item.path)
        docs = hinted(read, item, cli_hints, digest)
        return docs, (digest, [published_day(doc) for doc in docs])

    def again(item: Input, told):
        """A story of another process's run, read here again for the second stage, when its bytes
        are those that were read first (a file changed or removed in between is not used, and says so)."""
        if not isinstance(told, tuple):  # a log (read in combine) or a file that could not be read
            return None
        docs, now = first(item)
        if isinstance(now, tuple) and now[0] == told[0]:
            return docs
        why = f"could not be read a second time ({now.reason})" if isinstance(now, SourceError) else \
            "changed while it was read"
        return SourceError(item.display, f"{why}: not used (build again once it stays as it is)")

    def combine(told: list) -> date | None:
        deferred = [item for item, said in zip(items, told, strict=True) if said is None]
        # the logs, digests on a thread; the language model is kept for the stories this process
        # may read in the second stage (let go after it)
        read, failed = read_items(deferred, [], options, let_go=False) if deferred else ([], [])
        logs.extend(read)
        refused: dict[str, list[SourceError]] = {}
        for error in failed:
            refused.setdefault(error.path, []).append(error)
        days = [published_day(doc) for doc in read]
        for item, said in zip(items, told, strict=True):  # the errors in the files' order, as read_items gives them
            if isinstance(said, SourceError):
                read_errors.append(said)
            elif said is None:
                if refused.get(item.display):
                    read_errors.append(refused[item.display].pop(0))
            else:
                days.extend(said[1])
        read_errors.extend(error for left in refused.values() for error in left)
        return _median_day(days)

    def second(docs: list[SourceDoc] | SourceError | None, fallback: date | None) -> list | SourceError:
        if isinstance(docs, SourceError):
            return docs
        read = partial(_read_claims, author_zones={}, options=options, fallback=fallback)
        return [(doc.source, read(doc), units(doc)) for doc in docs or ()]

    weights = [_size(item.path) for item in items]
    _, results = map_phased(first, combine, second, items, options.jobs, weights, processes, again)
    _let_go()  # not before: this process may read a story of another's run in the second stage
    read_errors.extend(part for part in results if isinstance(part, SourceError))
    stories = sorted((story for part in results if not isinstance(part, SourceError) for story in part),
                     key=lambda story: story[0].path)
    logs.sort(key=lambda d: d.source.path)
    return _gathered(stories, logs, read_errors, options, [])


WEIGHT_CAP = 65536
"""A file weighs its size up to this in the crew's runs: a story's cost grows with its text, while
a big file is most likely a log, which the members leave to this process (13 MB of log counted
whole took a run of its own, and one member read every story)."""


def _size(path: Path) -> int:
    try:
        return min(path.stat().st_size, WEIGHT_CAP)
    except OSError:
        return 0


def _gathered(stories: list[tuple], logs: list[SourceDoc], errors: list[SourceError], options: Options,
              corrections: list) -> _Claimed:
    """The stories' claims (each story as (its source, what ``_read_claims`` gave, its ``Units``),
    in the order of their paths) reconciled, then each log's claims inside the window they give."""
    errors = list(errors)
    claims: list[Claim] = []
    parsed_all = []
    for _source, result, tally in stories:
        if isinstance(result, SourceError):
            errors.append(result)
            continue
        parsed, skips, mentions, found = result
        claims.extend(found)
        parsed_all.append((parsed, found, skips, mentions, tally))
    claims = reconcile(claims)
    # the window the logs are counted in (their year-less stamps placed by it); no log, no window
    window = incident_window(claims, options.since, options.until) if logs else None
    rates = {}
    for doc in logs:
        from .logs.claims import error_rate, log_claims  # only when there is a log to count

        source = doc.source
        if not source.zone and options.log_tz:
            source = replace(source, zone=options.log_tz, zone_rule=ZoneRule.PINNED_LOG_TZ)
        try:
            found, skipped = log_claims(doc, source.zone, source.zone_rule, options.year, window)
            rates[source.path] = error_rate(doc, source.zone, source.zone_rule, options.year, window)
        except Exception as exc:  # noqa: BLE001 - one source's defect must not cost the others
            errors.append(SourceError(source.path, f"could not be processed ({type(exc).__name__}: {exc})"))
            continue
        claims.extend(found)
        if not source.zone:  # read as UTC by the log stage, flagged zone-assumed: say so, not "zone None"
            source = replace(source, zone="UTC", zone_rule=ZoneRule.ASSUMED)
        lines = doc.series.parsed if doc.series is not None else 0
        parsed_all.append((source, found, list(doc.skipped) + skipped, lines, units(doc)))
    digests = {source.path: source.digest for source, _, _ in stories} | {d.source.path: d.source.digest for d in logs}
    return _Claimed(claims, parsed_all, errors, digests, corrections, rates)


def _timeline(claimed: _Claimed, options: Options, decisions: tuple[Decision, ...]) -> Build:
    """merge → keys → decisions → metrics, and each source's report."""
    claims, parsed_all, errors, rates = claimed.claims, claimed.parsed, claimed.errors, claimed.rates
    digests, claimed_corrections = claimed.digests, claimed.corrections
    reports = []
    merged = merge(claims, options.since, options.until)
    events = assign_keys(merged.events, digests)
    decided = apply_to_events(events, decisions)
    conflicts, notes = merged.conflicts, merged.notes
    if decided.changed:
        events = tuple(numbered(decided.events))
        conflicts, notes = tuple(find_conflicts(list(events))), tuple(clock_skew(list(events)))
    late = {}
    for skip in (*merged.skipped, *rejected_skips(decided.rejected)):
        late.setdefault(skip.source, []).append(skip)
    used_claims, used_records = {}, {}
    for event in events:
        for claim in event.claims:
            used_claims[claim.source] = used_claims.get(claim.source, 0) + 1
            used_records.setdefault(claim.source, set()).add(claim.record)
    lo, hi = merged.window or (None, None)
    for source, found, skipped, mentions, tally in parsed_all:
        path = source.path
        all_skips = tuple(sorted(skipped + late.get(path, []), key=lambda s: (s.line or 0, s.what, s.reason)))
        outside = sum(1 for c in found if lo is not None and not lo <= c.span.best <= hi)
        reports.append(SourceReport(source, mentions, used_claims.get(path, 0), all_skips,
                                    tally.counts(len(used_records.get(path, ()))), outside, rates.get(path)))
    unreadable = tuple(sorted((Skip(e.path, e.path, e.reason, e.line) for e in errors),
                              key=lambda s: (s.source, s.line or 0, s.reason)))
    applied = tuple(sorted(claimed_corrections + list(decided.corrections), key=lambda c: c.number))
    timeline = Timeline(events, conflicts, tuple(reports), merged.window, compute_metrics(events), notes,
                        unreadable, applied, decided.rejected)
    return Build(timeline, errors)
