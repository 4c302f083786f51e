"""Why one event says what it says: every citation's derivation, and why it was merged or kept apart.

For fact-checkers: each step (quote → local text → zone and the rule that chose it → UTC interval →
widening → flags) can be checked against the source by hand. ``explanation`` gives it as data (the
``--format json`` of ``outagetl explain``), ``explain`` as text.
"""
from __future__ import annotations

import json
from datetime import datetime

from rapidfuzz import fuzz

from .invisible import json_visible
from .keys import event_label, find_event
from .merge import QUOTE_SCORE, TOLERANCE_MINUTES, normalise, same_words
from .model import Claim, Event, Timeline
from .render.common import (
    citation_meta,
    conflict_others,
    conflicts_by_event,
    flags_text,
    iso,
    post_id,
    rule_text,
    safe_url,
    span_text,
    visible_timeline,
    widening,
)
from .timeparse.zones import zone as zone_info

NEIGHBOURS = 3
SIMILAR_MINUTES = 30
"""Events of another kind this close in time, with words this alike, are named as near-identical:
a status update and the tweet a minute later saying the same are easy to take for one statement."""
SIMILAR_SCORE = 60
SCHEMA = "outagetl/explain@1"


class UnknownEvent(LookupError):
    """The timeline has no event with that id."""


def _at(when: datetime, zone: str) -> str:
    local = when.astimezone(zone_info(zone))
    return f"{when:%Y-%m-%d %H:%M} UTC = {local:%Y-%m-%d %H:%M %Z} ({zone})"


def _citation(n: int, total: int, c: Claim) -> list[str]:
    span = c.span
    head = f"Citation {n} of {total}: {c.source} ({c.role}{f', line {c.line}' if c.line else ''})"
    meta = citation_meta(c)
    return [
        head + (" — primary, the event's time is this one" if n == 1 else "")
        + (f" [key {c.key}]" if c.key else ""),
        *([f"  posted by:  {', '.join(meta)}"] if meta else []),
        f"  quote:      “{c.quote}”",
        f"  local text: “{c.local_text}”, read as {c.local}",
        f"  zone:       {span.zone}, rule {span.zone_rule}: {rule_text(span.zone_rule)}",
        f"  earliest:   {_at(span.earliest, span.zone)}",
        f"  best:       {_at(span.best, span.zone)}",
        f"  latest:     {_at(span.latest, span.zone)}",
        f"  precision:  {span.precision}",
        f"  widening:   {widening(span, c.local_text)}",
        f"  flags:      {flags_text(span.flags) if span.flags else 'none'}",
    ]


def _gap_minutes(a: Event, b: Event) -> float:
    gap = max((a.span.earliest - b.span.latest).total_seconds(), (b.span.earliest - a.span.latest).total_seconds(), 0)
    return gap / 60


def why_apart(a: Event, b: Event) -> str:
    """The merge rule that did not hold between two events of the same kind."""
    gap = _gap_minutes(a, b)
    if gap > TOLERANCE_MINUTES:
        return f"time gap of {gap:.0f} min between their intervals, beyond the {TOLERANCE_MINUTES}-min tolerance"
    if any(c.evidence for c in a.claims + b.claims):
        return "one is log or metrics evidence, which is never merged with a statement"
    pairs = [(x, y) for x in a.claims for y in b.claims]
    if all(x.source == y.source for x, y in pairs):
        return ("the same source states them separately, and one of them is given to the minute "
                "(a source's repeated milestone is merged only when neither is minute-precise)")
    score = max((same_words(x, y) for x, y in pairs if x.source != y.source), default=0)
    return f"times are compatible but the words don't match (best match {score:.0f}%, {QUOTE_SCORE}% needed)"


def likeness(a: Event, b: Event) -> float:
    """How alike two events' words are (0–100): the best token-set match between any of their quotes."""
    return max((fuzz.token_set_ratio(normalise(x.quote), normalise(y.quote)) for x in a.claims for y in b.claims
                if not (x.evidence or y.evidence)), default=0.0)


def same_unit(a: Event, b: Event) -> bool:
    """Both cite the same post, update or sentence: a post's own time and a time its text gives."""
    return bool({(c.source, c.record) for c in a.claims if c.record >= 0}
                & {(c.source, c.record) for c in b.claims if c.record >= 0})


def similar_other_kinds(timeline: Timeline, event: Event) -> list[tuple[Event, float, float]]:
    """Events of other kinds within ``SIMILAR_MINUTES`` whose words match ``SIMILAR_SCORE``% or more:
    (event, minutes apart, match), nearest first."""
    found = []
    for other in timeline.events:
        if other.kind == event.kind or other.id == event.id:
            continue
        gap = _gap_minutes(event, other)
        if gap > SIMILAR_MINUTES:
            continue
        score = likeness(event, other)
        if score >= SIMILAR_SCORE:
            found.append((other, gap, score))
    found.sort(key=lambda t: (t[1], -t[2], t[0].id))
    return found[:NEIGHBOURS]


def apart_other_kind(a: Event, b: Event) -> str:
    """Why two alike events of different kinds are two: the same post read twice, or the merge rule that failed."""
    if same_unit(a, b):
        return "the same unit of the same source: its own time and a time written in it, each a claim"
    return f"kept apart: {why_apart(a, b)}"


def _find(timeline: Timeline, event_id: str) -> Event:
    event = find_event(timeline.events, event_id) or find_event(timeline.rejected, event_id)
    if event is None:
        known = ", ".join(event_label(e) for e in timeline.events) or "none"
        raise UnknownEvent(f"no event {event_id!r} in this timeline (events: {known})")
    return event


def _nearest_same_kind(timeline: Timeline, event: Event) -> list[Event]:
    return sorted((e for e in timeline.events if e.kind == event.kind and e.id != event.id),
                  key=lambda e: (abs((e.span.best - event.span.best).total_seconds()), e.id))[:NEIGHBOURS]


def _sources(event: Event) -> list[str]:
    return list(dict.fromkeys(c.source for c in event.claims))


def explain(timeline: Timeline, event_id: str) -> str:
    timeline = visible_timeline(timeline)  # printed to a terminal: no escapes, nothing invisible
    event = _find(timeline, event_id)
    name = event_label(event) if event.id else f"Rejected event {event.key}"
    lines = [f"{name}: {event.kind} at {span_text(event.span)} UTC ({event.span.precision})",
             f"  “{event.summary}”", ""]
    if event.corrections:
        lines += ["Decisions in the case file:"] + [f"  - {c.text()}" for c in event.corrections] + [""]
    if len(event.claims) > 1:
        lines += ["Its time is its primary citation's: a post's own timestamp first, then official over system, "
                  "press and public sources, then the most precise reading.", ""]
    for n, claim in enumerate(event.claims, 1):
        lines += _citation(n, len(event.claims), claim) + [""]
    if event.merged_because:
        lines.append("Merged into one event because:")
        lines += [f"  - {why}" for why in event.merged_because]
    else:
        lines.append("Merged with nothing: no other claim carried the same statement at a compatible time.")
    others = _nearest_same_kind(timeline, event)
    lines.append("")
    if others:
        lines.append(f"Kept apart from the nearest other {event.kind} events:")
        for other in others:
            lines.append(f"  - {other.id} at {span_text(other.span)} UTC ({', '.join(_sources(other))}): "
                         f"{why_apart(event, other)}")
    else:
        lines.append(f"No other {event.kind} event in this timeline.")
    similar = similar_other_kinds(timeline, event)
    if similar:
        lines += ["", "Near-identical events of other kinds (much the same words, close in time):"]
        for other, _gap, score in similar:
            lines.append(f"  - {other.id} {other.kind} at {span_text(other.span)} UTC ({', '.join(_sources(other))}): "
                         f"words match {score:.0f}%; {apart_other_kind(event, other)}")
    for c in conflicts_by_event(timeline).get(event.id, []):
        rest = conflict_others(c, event.id)
        official = f"; official: {c.official}" if c.official else ""
        lines += ["", f"In conflict {c.id}: the sources place the {c.kind} {c.spread_minutes} min apart "
                      f"({rest}{official})."]
    return "\n".join(lines) + "\n"


def _claim_data(c: Claim) -> dict:
    span = c.span
    url = safe_url(c.url)
    return {
        "source": c.source, "role": c.role, "line": c.line, "key": c.key or None, "author": c.author,
        "post_id": post_id(url), "url": url, "primary": c.primary, "evidence": c.evidence, "quote": c.quote,
        "local_text": c.local_text, "local": c.local, "zone": span.zone, "zone_rule": span.zone_rule,
        "zone_rule_text": rule_text(span.zone_rule), "earliest": iso(span.earliest), "time": iso(span.best),
        "latest": iso(span.latest), "precision": span.precision, "widening": widening(span, c.local_text),
        "flags": [str(f) for f in span.flags],
    }


def _event_ref(e: Event) -> dict:
    return {"id": e.id, "key": e.key or None, "kind": e.kind, "time": iso(e.span.best),
            "reading": f"{span_text(e.span)} UTC", "sources": _sources(e)}


def explanation(timeline: Timeline, event_id: str) -> dict:
    """The same derivation as :func:`explain`, as data."""
    event = _find(timeline, event_id)
    return {
        "schema": SCHEMA,
        "event": {**_event_ref(event), "earliest": iso(event.span.earliest), "latest": iso(event.span.latest),
                  "precision": event.span.precision, "summary": event.summary,
                  "decisions": [c.text() for c in event.corrections]},
        "citations": [_claim_data(c) for c in event.claims],
        "merged_because": list(event.merged_because),
        "kept_apart": [{**_event_ref(o), "why": why_apart(event, o)} for o in _nearest_same_kind(timeline, event)],
        "similar_other_kinds": [{**_event_ref(o), "minutes_apart": round(gap), "match": round(score),
                                 "same_unit": same_unit(event, o), "why": apart_other_kind(event, o)}
                                for o, gap, score in similar_other_kinds(timeline, event)],
        "conflicts": [{"id": c.id, "kind": c.kind, "events": list(c.events), "spread_minutes": c.spread_minutes,
                       "official": c.official} for c in conflicts_by_event(timeline).get(event.id, [])],
    }


def explain_json(timeline: Timeline, event_id: str) -> str:
    return json_visible(json.dumps(explanation(timeline, event_id), indent=2, ensure_ascii=False) + "\n")
