"""CSV, one row per event × source, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..model import Timeline
from .common import flags_text, iso, post_id, safe_url

COLUMNS = ("event", "kind", "time", "earliest", "latest", "precision", "summary", "source", "role",
           "quote", "local_text", "local", "zone", "zone_rule", "flags", "conflict", "key", "decisions",
           "author", "post_id", "url")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value) -> str:
    """Neutralise cells a spreadsheet would run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(timeline: Timeline) -> str:
    return "".join(chunks(timeline))


ROWS = 512
"""Rows per piece of ``chunks``."""


def chunks(timeline: Timeline) -> Iterator[str]:
    """``render``'s text a few hundred rows at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    in_conflict = {}
    for conflict in timeline.conflicts:
        for event_id in conflict.events:
            in_conflict.setdefault(event_id, []).append(conflict.id)
    rows = 0
    for e in timeline.events:
        for c in e.claims:
            writer.writerow(safe(v) for v in (
                e.id, e.kind, iso(e.span.best), iso(e.span.earliest), iso(e.span.latest), e.span.precision,
                e.summary, c.source, c.role, c.quote, c.local_text, c.local, c.span.zone, c.span.zone_rule,
                flags_text(c.span.flags), " ".join(in_conflict.get(e.id, [])), e.key,
                " ".join(d.label for d in e.corrections),
                c.author, post_id(safe_url(c.url)), safe_url(c.url),
            ))
            rows += 1
            if rows % ROWS == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
    yield buf.getvalue()
