"""Why one event says what it says: every citation's derivation, and why it was merged or kept apart.

For fact-checkers: each step (quote → local text → zone and the rule that chose it → UTC interval →
widening → flags) can be checked against the source by hand.
"""
from __future__ import annotations

from datetime import datetime

from .keys import event_label, find_event
from .merge import QUOTE_SCORE, TOLERANCE_MINUTES, same_words
from .model import Claim, Event, Timeline
from .render.common import conflicts_by_event, flags_text, rule_text, span_text, widening
from .timeparse.zones import zone as zone_info

NEIGHBOURS = 3


class UnknownEvent(LookupError):
    """The timeline has no event with that id."""


def _at(when: datetime, zone: str) -> str:
    local = when.astimezone(zone_info(zone))
    return f"{when:%Y-%m-%d %H:%M} UTC = {local:%Y-%m-%d %H:%M %Z} ({zone})"


def _citation(n: int, total: int, c: Claim) -> list[str]:
    span = c.span
    head = f"Citation {n} of {total}: {c.source} ({c.role}{f', line {c.line}' if c.line else ''})"
    return [
        head + (" — primary, the event's time is this one" if n == 1 else "")
        + (f" [key {c.key}]" if c.key else ""),
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


def explain(timeline: Timeline, event_id: str) -> str:
    event = find_event(timeline.events, event_id) or find_event(timeline.rejected, event_id)
    if event is None:
        known = ", ".join(event_label(e) for e in timeline.events) or "none"
        raise UnknownEvent(f"no event {event_id!r} in this timeline (events: {known})")
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
    others = sorted((e for e in timeline.events if e.kind == event.kind and e.id != event.id),
                    key=lambda e: (abs((e.span.best - event.span.best).total_seconds()), e.id))[:NEIGHBOURS]
    lines.append("")
    if others:
        lines.append(f"Kept apart from the nearest other {event.kind} events:")
        for other in others:
            sources = ", ".join(dict.fromkeys(c.source for c in other.claims))
            lines.append(f"  - {other.id} at {span_text(other.span)} UTC ({sources}): {why_apart(event, other)}")
    else:
        lines.append(f"No other {event.kind} event in this timeline.")
    for c in conflicts_by_event(timeline).get(event.id, []):
        rest = ", ".join(e for e in c.events if e != event.id)
        official = f"; official: {c.official}" if c.official else ""
        lines += ["", f"In conflict {c.id}: the sources place the {c.kind} {c.spread_minutes} min apart "
                      f"(with {rest}{official})."]
    return "\n".join(lines) + "\n"
