"""TimelineJS3 JSON (https://timeline.knightlab.com/docs/json-format.html), dates in UTC.

TimelineJS renders ``text`` fields as HTML, so every piece of source text is escaped here.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from html import escape as _escape

from ..model import Timeline
from .common import conflict_others, conflicts_by_event, iso, post_id, safe_url, span_text
from .json import Items, stream


def escape(text: str) -> str:
    return _escape(text, quote=False)


def _date(when: datetime) -> dict:
    return {"year": when.year, "month": when.month, "day": when.day, "hour": when.hour, "minute": when.minute}


def _slide(event, conflicts) -> dict:
    primary = event.claims[0]
    paragraphs = [f"<p><b>{escape(event.id)}</b>, {escape(span_text(event.span))} UTC ({escape(event.span.precision)})</p>"]
    for c in conflicts:
        paragraphs.append(f"<p>Conflict {escape(c.id)}: the sources place the {escape(c.kind)} {c.spread_minutes} min apart "
                          f"({escape(conflict_others(c, event.id, 'see'))}).</p>")
    for claim in event.claims:
        url = safe_url(claim.url)
        ident = post_id(url)
        meta = "".join(f", {escape(m)}" for m in (claim.author, f"post {ident}" if ident else None) if m)
        link = f' <a href="{_escape(url)}">{escape(url)}</a>' if url else ""
        paragraphs.append(
            f"<p>“{escape(claim.quote)}” — {escape(claim.source)} ({escape(claim.role)}{meta}){link}; "
            f"read “{escape(claim.local_text)}” as {escape(claim.local)}, zone {escape(claim.span.zone)} "
            f"({escape(claim.span.zone_rule)})</p>")
    slide = {"start_date": _date(event.span.best if event.span.precision == "minute" else event.span.earliest)}
    if event.span.precision != "minute" and event.span.latest > event.span.earliest:
        slide["end_date"] = _date(event.span.latest)
    slide.update({
        "display_date": primary.local if primary.span.zone == "UTC" else f"{primary.local} ({span_text(event.span)} UTC)",
        "text": {"headline": escape(f"{event.id} {event.kind}: {event.summary}"), "text": "".join(paragraphs)},
        "group": event.kind,
        "unique_id": event.id.lower(),
        "autolink": False,
    })
    return slide


def _parts(timeline: Timeline, title: str | None = None) -> list[tuple[str, object]]:
    window = f"Incident window {iso(timeline.window[0])} – {iso(timeline.window[1])}. " if timeline.window else ""
    in_conflict = conflicts_by_event(timeline)
    return [
        ("title", {"text": {
            "headline": escape(title) if title else "Outage timeline (UTC)",
            "text": escape(f"{window}{len(timeline.events)} events from {len(timeline.sources)} sources, "
                           f"{len(timeline.conflicts)} conflicts. Dates are UTC."),
        }}),
        ("events", Items(_slide(e, in_conflict.get(e.id, [])) for e in timeline.events)),
    ]


def as_dict(timeline: Timeline, title: str | None = None) -> dict:
    return {key: list(value.items) if isinstance(value, Items) else value for key, value in _parts(timeline, title)}


def render(timeline: Timeline, title: str | None = None) -> str:
    return "".join(chunks(timeline, title))


def chunks(timeline: Timeline, title: str | None = None) -> Iterator[str]:
    """``render``'s text a few hundred slides at a time."""
    return stream(_parts(timeline, title))
