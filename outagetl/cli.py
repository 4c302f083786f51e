"""Command line: options in, library calls, renderer out. Everything here is callable from Python."""
from __future__ import annotations

import functools
import os
import sys
from datetime import datetime, timezone
from pathlib import PurePath

import click

from . import __version__
from .render import CITATIONS, FORMATS
from .sources.limits import Limits, SourceError
from .terms import KINDS, ROLES

# The pipeline, the renderers and what they need (pandas, Arrow, rich) are imported by the command
# that runs them, so `outagetl --help` and a text-only build start fast.
# Nothing here multiplies matrices: numpy's OpenBLAS need not start a thread per core on import
# (half of numpy's 0.13 s import time). A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _zone(ctx, param, value):
    if value is None:
        return None
    from .sources.manifest import check_zone  # zoneinfo and tomllib: not for --help

    try:
        return check_zone(value, param.opts[0])
    except SourceError as exc:
        raise click.BadParameter(exc.reason) from None


def _zones(ctx, param, value):
    if value is None:
        return None
    return [_zone(ctx, param, z.strip()) for z in value.split(",") if z.strip()]


def _words(allowed):
    """A comma-separated list of words from ``allowed`` ("start,resolved")."""
    def check(ctx, param, value):
        if value is None:
            return None
        words = [w.strip().lower() for w in value.split(",") if w.strip()]
        wrong = [w for w in words if w not in allowed]
        if wrong or not words:
            raise click.BadParameter(f"{', '.join(map(repr, wrong)) or 'nothing'} given; choose from {', '.join(allowed)}")
        return tuple(dict.fromkeys(words))
    return check


def _instant(ctx, param, value):
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time like 2019-07-03T12:00Z") from None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def _reading_options() -> list:
    """The options that decide how sources are read, shared by every command that builds a timeline."""
    return [
        click.option("--tz", callback=_zone, default=None, help="Zone for sources that say nothing about theirs (IANA name)."),
        click.option("--source-tz", multiple=True, metavar="GLOB=ZONE", help="Pin the zone of matching sources; repeatable."),
        click.option("--since", callback=_instant, default=None, help="Start of the incident window (ISO 8601, UTC if no offset)."),
        click.option("--until", callback=_instant, default=None, help="End of the incident window."),
        click.option("--log-tz", callback=_zone, default=None, help="Zone of log timestamps that carry no offset."),
        click.option("--year", type=click.IntRange(1970, 2100), default=None, help="The incident's year, for logs and stories that never state one."),
        click.option("--jobs", type=click.IntRange(1), default=None,
                     help="Processes that read the stories at once (default: one per free core when there are 64 or more)."),
    ]


def _limit_options() -> list:
    """How much one input may ask for (each limit is named in the message that refuses an input)."""
    return [
        click.option("--max-bytes", type=click.IntRange(1), default=Limits.max_bytes, show_default=True,
                     help="Largest non-log file read whole (bytes, decompressed)."),
        click.option("--max-line-bytes", type=click.IntRange(1), default=Limits.max_line_bytes, show_default=True,
                     help="Longest line accepted (bytes); a longer log line is skipped and reported."),
        click.option("--max-json-depth", type=click.IntRange(1), default=Limits.max_json_depth, show_default=True,
                     help="Deepest JSON nesting accepted."),
        click.option("--max-html-depth", type=click.IntRange(1), default=Limits.max_html_depth, show_default=True,
                     help="Deepest HTML/XML element nesting accepted."),
        click.option("--max-gzip-ratio", type=click.IntRange(1), default=Limits.max_gzip_ratio, show_default=True,
                     help="Largest expansion of a .gz over its size (beyond 10 MB)."),
        click.option("--max-gzip-bytes", type=click.IntRange(1), default=Limits.max_gzip_bytes, show_default=True,
                     help="Largest decompressed size of a .gz (bytes)."),
        click.option("--max-manifest-chars", type=click.IntRange(1), default=Limits.max_manifest_chars, show_default=True,
                     help="Longest value a sources.toml key may hold (characters)."),
        click.option("--max-csv-columns", type=click.IntRange(1), default=Limits.max_csv_columns, show_default=True,
                     help="Widest CSV header of a metrics or post export (columns)."),
    ]


def _decorated(command, decorators):
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def _with(decorators):
    return lambda command: _decorated(command, decorators)


_LIMIT_NAMES = ("max_bytes", "max_line_bytes", "max_json_depth", "max_html_depth", "max_gzip_ratio", "max_gzip_bytes",
                "max_manifest_chars", "max_csv_columns")


def _limits(**limits) -> Limits:
    return Limits(**limits)


def _options(tz, source_tz, since, until, log_tz, year, jobs=None, limits: Limits | None = None):
    from .pipeline import Options

    if since and until and since >= until:
        raise click.UsageError(f"--since ({since:%Y-%m-%dT%H:%MZ}) must be before --until ({until:%Y-%m-%dT%H:%MZ})")
    return Options(tz=tz, source_tz=tuple(source_tz), since=since, until=until, log_tz=log_tz, year=year,
                   jobs=jobs, limits=limits or Limits())


def input_options(command):
    """PATHS and the options that decide how they are read, shared by every command that builds a timeline."""
    command = _decorated(command, [click.argument("paths", nargs=-1, required=True,
                                                  type=click.Path(exists=True, allow_dash=True)),
                                   *_reading_options(), *_limit_options()])

    @functools.wraps(command)
    def wrapper(*args, paths, tz, source_tz, since, until, log_tz, year, jobs, **kwargs):
        limits = _limits(**{name: kwargs.pop(name) for name in _LIMIT_NAMES})
        options = _options(tz, source_tz, since, until, log_tz, year, jobs, limits)
        return command(*args, built=_timeline(paths, options), **kwargs)

    return wrapper


def _timeline(paths, options):
    from .pipeline import STDIN
    from .pipeline import build as build_timeline
    from .sources.manifest import ManifestError

    stdin = getattr(sys.stdin, "buffer", sys.stdin) if STDIN in paths else None
    try:
        result = build_timeline(list(paths), options, stdin=stdin)
    except ManifestError as exc:  # the user's own file to fix: one line that names it, the line and the key
        click.echo(f"outagetl: {exc}", err=True)
        sys.exit(2)
    except (ValueError, SourceError) as exc:
        raise click.UsageError(str(exc)) from None
    return _reported(result)


def _reported(result):
    for error in result.errors:
        click.echo(f"outagetl: {error}", err=True)
    if not result.timeline.sources:
        click.echo("outagetl: no source could be read", err=True)
        sys.exit(1)
    return result


def output_options(command):
    """How a timeline is written: format, file, local zones, strictness (``build`` and ``case build``)."""
    return _decorated(command, [
        click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
                     help="Output format (default: table on a terminal, markdown otherwise)."),
        click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                     help="Write to this file instead of standard output."),
        click.option("--show-tz", callback=_zones, default=None, metavar="ZONE,...",
                     help="Local zones for markdown and html (default: the zones the sources were read in)."),
        click.option("--kinds", callback=_words(KINDS), default=None, metavar="KIND,...",
                     help=f"Show only events of these kinds ({', '.join(KINDS)})."),
        click.option("--role", "roles", callback=_words(ROLES), default=None, metavar="ROLE,...",
                     help=f"Show only events that cite a source of this role ({', '.join(ROLES)})."),
        click.option("--title", default=None,
                     help="Title that heads the html page (and the table, markdown and timelinejs)."),
        click.option("--citations", type=click.Choice(CITATIONS), default=CITATIONS[0], show_default=True,
                     help="Markdown: quotes as footnotes, or inline in the row (for Confluence, Notion, Google Docs)."),
        click.option("--strict", is_flag=True,
                     help="Exit 1 if any input is unreadable, any unit (sentence, post, update, log line) was "
                          "skipped or a case decision is orphaned. Mentions left out with a reason (outside the "
                          "incident, like 'last month', or coarser than a day) do not count. The output is still "
                          "written."),
    ])


def _emit(built, fmt, output, show_tz, strict, kinds=None, roles=None, title=None, citations=CITATIONS[0]):
    """Render the view asked for, write it, and give the totals on stderr."""
    from .render import chunks
    from .render.common import elsewhere, elsewhere_text
    from .render.select import select

    timeline = select(built.timeline, kinds, roles)
    fmt = fmt or ("table" if output is None and sys.stdout.isatty() else "markdown")
    terminal = {}
    if fmt == "table":  # rich is imported for the table only
        from .render.table import terminal_options

        terminal = terminal_options(sys.stdout) if output is None else {"color": False, "width": 120}
    _write(chunks(fmt, timeline, zones=show_tz, title=title, citations=citations, **terminal), output)
    skipped = sum(len(r.skipped) for r in timeline.sources)
    units = sum(r.units.get("skipped", 0) for r in timeline.sources)
    read = sum(r.units.get("read", 0) for r in timeline.sources)
    decided = ""
    orphaned = sum(1 for c in timeline.decisions if c.status == "orphaned")
    if timeline.decisions:
        decided = f", {len({c.number for c in timeline.decisions})} decisions ({orphaned} orphaned)"
    other = elsewhere(timeline)
    for report in other:
        click.echo(f"outagetl: {elsewhere_text(report, timeline)}", err=True)
    names = ", ".join(PurePath(r.source.path).name for r in other)
    outside = (f"; {len(other)} source{'s' if len(other) > 1 else ''} with none of its times inside the incident "
               f"window, which may describe another incident ({names}): choose with --since/--until") if other else ""
    click.echo(
        f"outagetl: {len(timeline.sources)} sources read, {len(built.errors)} unreadable, "
        f"{len(timeline.events)} events, {len(timeline.conflicts)} conflicts{decided}, "
        f"{skipped} mentions or units left out with a reason, {units} of {read} units skipped "
        f"(see the sources section){outside}", err=True)
    if strict and (built.errors or units or orphaned):
        click.echo("outagetl: --strict: inputs were unreadable or units were skipped"
                   + (", or decisions orphaned" if orphaned else ""), err=True)
        sys.exit(1)


def _write(text, output: str | None) -> None:
    """``text`` (a string, or a renderer's pieces) to ``output`` (atomically) or standard output;
    a failure is one line and exit 1."""
    from .output import OutputError, write_file, write_stdout

    try:
        write_file(output, text) if output else write_stdout(text)
    except OutputError as exc:
        click.echo(f"outagetl: {exc}", err=True)
        sys.exit(1)


@click.group()
@click.version_option(__version__, prog_name="outagetl")
def main():
    """Reconstruct the UTC timeline of an outage from stories, posts, status pages and logs."""


@main.command()
@input_options
@output_options
def build(built, fmt, output, show_tz, kinds, roles, title, citations, strict):
    """Read PATHS (files or folders; - for standard input) and print one timeline in UTC."""
    _emit(built, fmt, output, show_tz, strict, kinds, roles, title, citations)


_EXPLAIN_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                               show_default=True, help="Text for reading, or JSON (only JSON on standard output).")


def _explained(timeline, event_id, fmt):
    from .explain import UnknownEvent, explain_json
    from .explain import explain as explain_event

    try:
        _write((explain_json if fmt == "json" else explain_event)(timeline, event_id), None)
    except UnknownEvent as exc:
        raise click.UsageError(str(exc.args[0])) from None


@main.command()
@click.argument("event_id", metavar="ID")
@input_options
@_EXPLAIN_FORMAT
def explain(event_id, built, fmt):
    """Show how event ID (E1, E2, … or a key, as in build's output) was derived from PATHS: quotes, zones, rules, merges."""
    _explained(built.timeline, event_id, fmt)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Metrics CSV to write (minute,[service,]total,errors).")
@click.option("--engine", type=click.Choice(["pandas", "spark"]), default="pandas", show_default=True,
              help="Run locally with pandas, or as a Spark job.")
@click.option("--master", default=None, help="Spark master URL (default local[2]).")
@click.option("--by-file", is_flag=True, help="One row per minute per input, named in a service column.")
@click.option("--year", type=click.IntRange(1970, 2100), default=None, help="Year for log timestamps that carry none.")
def aggregate(paths, output, engine, master, by_file, year):
    """Count lines and errors per minute in log PATHS (files, globs, or URLs Spark reads) into a metrics CSV."""
    from .aggregate import AggregateError
    from .aggregate import aggregate as run_aggregate

    try:
        rows = run_aggregate(list(paths), output, engine=engine, master=master, by_service=by_file, year=year)
    except AggregateError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"outagetl: {len(rows)} rows, {int(rows['total'].sum()) if len(rows) else 0} lines -> {output}",
               err=True)


# -- case files: sources and decisions kept in SQLite (outagetl.case); every command is a library call --

def _case_errors(command):
    """A case file that cannot be used is one line and exit 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        import sqlite3

        from .case import CaseError
        from .case.schema import explain_sqlite

        try:
            return command(*args, **kwargs)
        except CaseError as exc:
            click.echo(f"outagetl: {exc}", err=True)
        except sqlite3.Error as exc:  # one that no library call turned into a CaseError
            click.echo(f"outagetl: {explain_sqlite(kwargs.get('case_file', ''), exc)}", err=True)
        sys.exit(1)

    return wrapper


def _open_case(path):
    from .case import Case

    return Case.open(path)


def _case_build(case, options):
    try:
        result = case.build(options)
    except (ValueError, SourceError) as exc:
        raise click.UsageError(str(exc)) from None
    if not result.timeline.sources and not result.errors:
        click.echo(f"outagetl: {case.path}: the case has no sources yet (add some: outagetl case add FILE PATHS...)",
                   err=True)
        sys.exit(1)
    return _reported(result)


_CASE_FILE = click.argument("case_file", metavar="FILE", type=click.Path())
_BY = click.option("--by", default=None, help="Who makes this change (default: $USER).")
_WHY = click.option("-m", "--why", default=None, help="Why: shown with the decision in every output.")


@main.group()
def case():
    """Keep an incident's sources and corrections in an SQLite case file, and build it again and again."""


@case.command("init")
@_CASE_FILE
@click.option("--title", default=None, help="The incident's name, kept in the case file.")
@_BY
@_case_errors
def case_init(case_file, title, by):
    """Make a new, empty case file FILE."""
    from .case import Case

    with Case.create(case_file, title=title, by=by) as made:
        click.echo(f"outagetl: {made.path}: new case{f' “{title}”' if title else ''}", err=True)


@case.command("add")
@_CASE_FILE
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@_BY
@_with(_limit_options())
@_case_errors
def case_add(case_file, paths, by, **limits):
    """Store PATHS (files or folders) in FILE once: unchanged files add nothing, changed ones replace theirs."""
    with _open_case(case_file) as opened:
        done, errors = opened.add(paths, _limits(**limits), by=by)
    for added in done:
        extra = {"duplicate": f" (same content as {added.other}; not stored twice)",
                 "replaced": f" (its content changed; was {(added.other or '')[:12]})"}.get(added.status, "")
        click.echo(f"{added.status:<9}  {added.digest[:12]}  {added.type:<7}  {added.path}{extra}")
    for error in errors:
        click.echo(f"outagetl: {error}", err=True)
    new = sum(1 for a in done if a.status in ("added", "replaced"))
    click.echo(f"outagetl: {case_file}: {new} sources added or replaced, {len(done) - new} already there, "
               f"{len(errors)} unreadable", err=True)
    if not done:
        sys.exit(1)



@case.command("build")
@_CASE_FILE
@output_options
@_with(_reading_options())
@_case_errors
def case_build(case_file, fmt, output, show_tz, kinds, roles, title, citations, strict, **reading):
    """Build FILE's timeline with its decisions applied: the same formats and options as build.
    The case's title heads the output unless --title gives another."""
    with _open_case(case_file) as opened:
        built = _case_build(opened, _options(**reading))
        title = title or opened.title or None
    _emit(built, fmt, output, show_tz, strict, kinds, roles, title, citations)



@case.command("explain")
@_CASE_FILE
@click.argument("event_id", metavar="ID")
@_with(_reading_options())
@_EXPLAIN_FORMAT
@_case_errors
def case_explain(case_file, event_id, fmt, **reading):
    """Show how event ID (an id like E2, or its key) of FILE's timeline was derived."""
    with _open_case(case_file) as opened:
        built = _case_build(opened, _options(**reading))
    _explained(built.timeline, event_id, fmt)



@case.command("log")
@_CASE_FILE
@_case_errors
def case_log(case_file):
    """List FILE's decisions, oldest first, each with who, when, why and whether this build applies it."""
    from .case.report import decision_lines

    with _open_case(case_file) as opened:
        decisions = opened.decisions()
        timeline = opened.build().timeline
    for line in decision_lines(decisions, timeline) or ["no decisions yet"]:
        click.echo(line)


@case.command("undo")
@_CASE_FILE
@_case_errors
def case_undo(case_file):
    """Remove the last decision made in FILE."""
    with _open_case(case_file) as opened:
        gone = opened.undo()
    if gone is None:
        click.echo(f"outagetl: {case_file}: no decision to undo", err=True)
        sys.exit(1)
    click.echo(f"removed D{gone.made.number} ({gone.ACTION}, by {gone.made.by}): {gone.detail()}")


@case.command("sources")
@_CASE_FILE
@_case_errors
def case_sources(case_file):
    """List FILE's sources: digest, type, the zone each is read in and the rule that chose it."""
    from .case.report import source_lines

    with _open_case(case_file) as opened:
        stored = opened.stored()
        timeline = opened.build().timeline
    for line in source_lines(stored, timeline):
        click.echo(line)


def _decide(case_file, make):
    """Record the decision ``make(case, timeline)`` returns, and say what it is."""
    from .case import NotInCase
    from .decisions import Made

    with _open_case(case_file) as opened:
        timeline = opened.build().timeline
        try:
            decision = make(opened, timeline)
        except (NotInCase, ValueError) as exc:
            raise click.UsageError(str(exc.args[0] if exc.args else exc)) from None
        decision = opened.record(decision)
    made: Made = decision.made
    click.echo(f"D{made.number} ({decision.ACTION}, by {made.by}): {decision.detail()}")


def _made(by, why):
    from .case import who
    from .decisions import Made

    return Made(0, datetime.now(timezone.utc).replace(microsecond=0), who(by), why)


def _decision_command(name, help_text):
    """A decision command: FILE, its own arguments, --by and -m."""
    def register(function):
        return case.command(name, help=help_text)(_CASE_FILE(_BY(_WHY(_case_errors(function)))))
    return register


@_decision_command("pin-zone", "Read SOURCE's bare times (SOURCE@handle: one author's) in ZONE.")
@click.argument("source_ref", metavar="SOURCE")
@click.argument("zone", callback=_zone, metavar="ZONE")
def case_pin_zone(case_file, source_ref, zone, by, why):
    from .decisions import PinZone

    def make(opened, _timeline):
        source, author = opened.source_ref(source_ref, authors=True)
        return PinZone(_made(by, why), source, zone, author)
    _decide(case_file, make)


@_decision_command("set-published", "SOURCE was published at TIME (ISO 8601; with an offset, or local to the source).")
@click.argument("source_ref", metavar="SOURCE")
@click.argument("when", metavar="TIME")
def case_set_published(case_file, source_ref, when, by, why):
    from .decisions import SetPublished

    try:
        published = datetime.fromisoformat(when.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise click.BadParameter(f"{when!r} is not an ISO 8601 date or time like 2019-07-03T09:30-04:00",
                                 param_hint="TIME") from None

    def make(opened, _timeline):
        return SetPublished(_made(by, why), opened.source_ref(source_ref)[0], published)
    _decide(case_file, make)


@_decision_command("set-role", "SOURCE is official, press, public or system.")
@click.argument("source_ref", metavar="SOURCE")
@click.argument("role", type=click.Choice([str(r) for r in ROLES]))
def case_set_role(case_file, source_ref, role, by, why):
    from .decisions import SetRole

    _decide(case_file, lambda opened, _t: SetRole(_made(by, why), opened.source_ref(source_ref)[0], role))


@_decision_command("reject", "EVENT (an id like E4, or its key) is not part of the incident.")
@click.argument("event_ref", metavar="EVENT")
def case_reject(case_file, event_ref, by, why):
    from .decisions import Reject

    _decide(case_file, lambda opened, t: Reject(_made(by, why), opened.event_ref(event_ref, t)))


@_decision_command("merge", "EVENT and OTHER are one statement.")
@click.argument("event_ref", metavar="EVENT")
@click.argument("other_ref", metavar="OTHER")
def case_merge(case_file, event_ref, other_ref, by, why):
    from .decisions import Merge

    _decide(case_file, lambda opened, t: Merge(_made(by, why), opened.event_ref(event_ref, t),
                                               opened.event_ref(other_ref, t)))


@_decision_command("split", "The citations of EVENT from SOURCE are a statement of their own.")
@click.argument("event_ref", metavar="EVENT")
@click.argument("source_ref", metavar="SOURCE")
def case_split(case_file, event_ref, source_ref, by, why):
    from .decisions import Split

    _decide(case_file, lambda opened, t: Split(_made(by, why), opened.event_ref(event_ref, t),
                                               opened.source_ref(source_ref)[0]))


@_decision_command("set-kind", "EVENT is milestone KIND.")
@click.argument("event_ref", metavar="EVENT")
@click.argument("kind", type=click.Choice([str(k) for k in KINDS]))
def case_set_kind(case_file, event_ref, kind, by, why):
    from .decisions import SetKind

    _decide(case_file, lambda opened, t: SetKind(_made(by, why), opened.event_ref(event_ref, t), kind))


@_decision_command("confirm", "An analyst checked EVENT's time; with TIME (ISO 8601, UTC if no offset), that is its time.")
@click.argument("event_ref", metavar="EVENT")
@click.argument("when", metavar="[TIME]", required=False, callback=_instant)
def case_confirm(case_file, event_ref, when, by, why):
    from .decisions import Confirm

    _decide(case_file, lambda opened, t: Confirm(_made(by, why), opened.event_ref(event_ref, t), when))


@_decision_command("note", "Attach TEXT to EVENT.")
@click.argument("event_ref", metavar="EVENT")
@click.argument("text", metavar="TEXT")
def case_note(case_file, event_ref, text, by, why):
    from .decisions import Note

    _decide(case_file, lambda opened, t: Note(_made(by, why), opened.event_ref(event_ref, t), text))


def run() -> None:
    """The ``outagetl`` command (the console script and ``python -m outagetl``): ``main``, then an
    exit that does not take the interpreter apart. Freeing every object one by one (a build's
    claims, events and sources, numpy's and Arrow's modules) took 0.05 s after a 1 M-line log
    and 0.08 s after 2,000 stories, once the output was written. What an ordinary exit does
    besides is done first: the exit functions (the kept patterns saved, the crew's and the log
    reader's processes ended) and the flush of both streams. Where anything is left that an
    exit must wait for (a thread still running, a stream that cannot be flushed) the ordinary
    exit is taken, with what it prints. The whole command runs with the cycle collector's
    passes made seldom (``collector.seldom``), its imports and output included."""
    import atexit
    import threading

    from .collector import seldom

    try:
        with seldom():
            main()
    except SystemExit as exc:
        code = exc.code
    else:  # main always exits; as a library call it may not
        code = 0
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr, flush=True)
        code = 1
    os._exit(code & 0xFF)
