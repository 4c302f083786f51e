"""Command line: options in, library calls, renderer out. Everything here is callable from Python."""
from __future__ import annotations

import functools
import sys
from datetime import datetime, timezone

import click

from . import __version__
from .render import FORMATS
from .sources.base import Limits, SourceError
from .sources.manifest import check_zone

# The pipeline, the renderers and what they need (pandas, Arrow, rich) are imported by the command
# that runs them, so `outagetl --help` and a text-only build start fast.


def _zone(ctx, param, value):
    if value is None:
        return None
    try:
        return check_zone(value, param.opts[0])
    except SourceError as exc:
        raise click.BadParameter(exc.reason) from None


def _zones(ctx, param, value):
    if value is None:
        return None
    return [_zone(ctx, param, z.strip()) for z in value.split(",") if z.strip()]


def _instant(ctx, param, value):
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time like 2019-07-03T12:00Z") from None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def input_options(command):
    """PATHS and the options that decide how they are read, shared by every command that builds a timeline."""
    decorators = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True)),
        click.option("--tz", callback=_zone, default=None, help="Zone for sources that say nothing about theirs (IANA name)."),
        click.option("--source-tz", multiple=True, metavar="GLOB=ZONE", help="Pin the zone of matching sources; repeatable."),
        click.option("--since", callback=_instant, default=None, help="Start of the incident window (ISO 8601, UTC if no offset)."),
        click.option("--until", callback=_instant, default=None, help="End of the incident window."),
        click.option("--log-tz", callback=_zone, default=None, help="Zone of log timestamps that carry no offset."),
        click.option("--year", type=click.IntRange(1970, 2100), default=None, help="The incident's year, for logs and stories that never state one."),
        click.option("--max-bytes", type=click.IntRange(1), default=Limits.max_bytes, show_default=True,
                     help="Largest non-log file read whole (bytes, decompressed)."),
        click.option("--max-line-bytes", type=click.IntRange(1), default=Limits.max_line_bytes, show_default=True,
                     help="Longest line accepted (bytes)."),
        click.option("--max-json-depth", type=click.IntRange(1), default=Limits.max_json_depth, show_default=True,
                     help="Deepest JSON nesting accepted."),
        click.option("--max-html-depth", type=click.IntRange(1), default=Limits.max_html_depth, show_default=True,
                     help="Deepest HTML/XML element nesting accepted."),
        click.option("--max-gzip-ratio", type=click.IntRange(1), default=Limits.max_gzip_ratio, show_default=True,
                     help="Largest expansion of a .gz over its size (beyond 10 MB)."),
        click.option("--max-gzip-bytes", type=click.IntRange(1), default=Limits.max_gzip_bytes, show_default=True,
                     help="Largest decompressed size of a .gz (bytes)."),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)

    @functools.wraps(command)
    def wrapper(*args, paths, tz, source_tz, since, until, log_tz, year, max_bytes, max_line_bytes,
                max_json_depth, max_html_depth, max_gzip_ratio, max_gzip_bytes, **kwargs):
        limits = Limits(max_bytes=max_bytes, max_line_bytes=max_line_bytes, max_json_depth=max_json_depth,
                        max_html_depth=max_html_depth, max_gzip_ratio=max_gzip_ratio, max_gzip_bytes=max_gzip_bytes)
        from .pipeline import Options

        options = Options(tz=tz, source_tz=tuple(source_tz), since=since, until=until, log_tz=log_tz, year=year,
                          limits=limits)
        return command(*args, built=_timeline(paths, options), **kwargs)

    return wrapper


def _timeline(paths, options):
    from .pipeline import build as build_timeline

    try:
        result = build_timeline(list(paths), options)
    except (ValueError, SourceError) as exc:
        raise click.UsageError(str(exc)) from None
    for error in result.errors:
        click.echo(f"outagetl: {error}", err=True)
    if not result.timeline.sources:
        click.echo("outagetl: no source could be read", err=True)
        sys.exit(1)
    return result


@click.group()
@click.version_option(__version__, prog_name="outagetl")
def main():
    """Reconstruct the UTC timeline of an outage from stories, posts, status pages and logs."""


@main.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Output format (default: table on a terminal, markdown otherwise).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--show-tz", callback=_zones, default=None, metavar="ZONE,...",
              help="Local zones for markdown and html (default: the zones the sources were read in).")
@click.option("--strict", is_flag=True, help="Exit 1 if any input is unreadable or anything was skipped (output is still written).")
def build(built, fmt, output, show_tz, strict):
    """Read PATHS (files or folders) and print one timeline in UTC."""
    from .render import render

    timeline = built.timeline
    fmt = fmt or ("table" if output is None and sys.stdout.isatty() else "markdown")
    terminal = {}
    if fmt == "table":  # rich is imported for the table only
        from .render.table import terminal_options

        terminal = terminal_options(sys.stdout) if output is None else {"color": False, "width": 120}
    text = render(fmt, timeline, zones=show_tz, **terminal)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)
    skipped = sum(len(r.skipped) for r in timeline.sources)
    units = sum(r.units.get("skipped", 0) for r in timeline.sources)
    read = sum(r.units.get("read", 0) for r in timeline.sources)
    click.echo(
        f"outagetl: {len(timeline.sources)} sources read, {len(built.errors)} unreadable, "
        f"{len(timeline.events)} events, {len(timeline.conflicts)} conflicts, "
        f"{skipped} mentions or units left out with a reason, {units} of {read} units skipped "
        f"(see the sources section)", err=True)
    if strict and (built.errors or skipped or units):
        click.echo("outagetl: --strict: inputs were unreadable or skipped", err=True)
        sys.exit(1)


@main.command()
@click.argument("event_id", metavar="ID")
@input_options
def explain(event_id, built):
    """Show how event ID (E1, E2, … as in build's output) was derived from PATHS: quotes, zones, rules, merges."""
    from .explain import UnknownEvent
    from .explain import explain as explain_event

    try:
        click.echo(explain_event(built.timeline, event_id), nl=False)
    except UnknownEvent as exc:
        raise click.UsageError(str(exc.args[0])) from None


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
