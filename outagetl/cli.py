"""Command line: options in, library calls, renderer out. Everything here is callable from Python."""
from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

import click

from . import __version__
from .pipeline import Options, build as build_timeline
from .render import FORMATS
from .sources.base import SourceError
from .sources.manifest import check_zone


def _zone(ctx, param, value):
    if value is None:
        return None
    try:
        return check_zone(value, param.opts[0])
    except SourceError as exc:
        raise click.BadParameter(exc.reason) from None


def _instant(ctx, param, value):
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time like 2019-07-03T12:00Z") from None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


@click.group()
@click.version_option(__version__, prog_name="outagetl")
def main():
    """Reconstruct the UTC timeline of an outage from stories, posts, status pages and logs."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Output format (default: table on a terminal, markdown otherwise).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--tz", callback=_zone, default=None, help="Zone for sources that say nothing about theirs (IANA name).")
@click.option("--source-tz", multiple=True, metavar="GLOB=ZONE", help="Pin the zone of matching sources; repeatable.")
@click.option("--since", callback=_instant, default=None, help="Start of the incident window (ISO 8601, UTC if no offset).")
@click.option("--until", callback=_instant, default=None, help="End of the incident window.")
def build(paths, fmt, output, tz, source_tz, since, until):
    """Read PATHS (files or folders) and print one timeline in UTC."""
    try:
        options = Options(tz=tz, source_tz=tuple(source_tz), since=since, until=until)
        result = build_timeline(list(paths), options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except SourceError as exc:
        raise click.UsageError(str(exc)) from None
    for error in result.errors:
        click.echo(f"outagetl: {error}", err=True)
    timeline = result.timeline
    if not timeline.sources:
        click.echo("outagetl: no source could be read", err=True)
        sys.exit(1)
    fmt = fmt or ("table" if output is None and sys.stdout.isatty() else "markdown")
    if fmt == "table":
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        width = click.get_terminal_size()[0] if color else 120
        text = FORMATS["table"](timeline, color=color, width=width)
    else:
        text = FORMATS[fmt](timeline)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)
    skipped = sum(len(r.skipped) for r in timeline.sources)
    click.echo(
        f"outagetl: {len(timeline.sources)} sources, {len(timeline.events)} events, "
        f"{len(timeline.conflicts)} conflicts, {skipped} mentions left out (see the sources section), "
        f"{len(result.errors)} inputs unreadable", err=True)
