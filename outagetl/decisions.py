"""The ``decisions`` stage: what an analyst decided in a case file, applied on every build.

A postmortem is corrected over days: this story is from a Rome outlet, those two events are one
statement, that "start" is a withdrawn report. Each such decision is a small value made by someone,
at some time, for a reason. Source-level decisions change how a source is read, so they apply before
parsing (``pin-zone``, ``set-published``, ``set-role``); event-level decisions change what the timeline
says, so they apply after merge (``merge`` and ``split`` first, then ``reject``, then ``set-kind``,
``confirm`` and ``note``, each group in the order the decisions were made).

A decision names what it is about by what survives a re-read: a source by its path (or, if it was
moved, its content digest), an event by the stable key of a citation (``outagetl.keys``) and, should
that source's text change, by the citation's quote and time text. A decision that finds nothing is
kept and reported as orphaned, never dropped.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import ClassVar

from . import merge as merge_stage
from .model import (
    KINDS,
    ROLES,
    Action,
    Correction,
    Event,
    ParsedSource,
    Skip,
    SourceDoc,
    Status,
    TimeSpan,
    ZoneRule,
)

PINNED_RULE = ZoneRule.PINNED_CASE


@dataclass(frozen=True)
class Made:
    """Who made a decision, when (aware UTC) and why; ``number`` is its place in the case file (D1, D2…)."""

    number: int
    at: datetime
    by: str
    why: str | None = None


@dataclass(frozen=True)
class SourceRef:
    """A source as the case knew it when the decision was made."""

    path: str
    digest: str | None = None


@dataclass(frozen=True)
class EventRef:
    """An event as it was when the decision was made: the key to find it by, and what to re-identify
    it by if its source's text changed (the primary citation's source, time text and quote)."""

    key: str
    id: str = ""
    source: str = ""
    local_text: str = ""
    quote: str = ""
    summary: str = ""

    @classmethod
    def to(cls, event: Event, key: str | None = None) -> EventRef:
        """A reference to ``event``, anchored to the citation with ``key`` (else its primary citation)."""
        claim = next((c for c in event.claims if c.key == key), event.claims[0])
        return cls(claim.key, event.id, claim.source, claim.local_text, claim.quote, event.summary)

    def label(self) -> str:
        return f"{self.id} ({self.key})" if self.id else self.key


@dataclass(frozen=True)
class PinZone:
    """The source's bare times are in ``zone`` (for one author of a posts export, when ``author`` is given)."""

    ACTION: ClassVar[Action] = Action.PIN_ZONE
    made: Made
    source: SourceRef
    zone: str
    author: str | None = None

    def detail(self) -> str:
        who = f" for posts by {self.author}" if self.author else ""
        return f"zone pinned to {self.zone}{who}"


@dataclass(frozen=True)
class SetPublished:
    """The source was published at ``published`` (ISO 8601), which dates its times."""

    ACTION: ClassVar[Action] = Action.SET_PUBLISHED
    made: Made
    source: SourceRef
    published: str

    def detail(self) -> str:
        return f"publication time set to {self.published}"


@dataclass(frozen=True)
class SetRole:
    """The source is official, press, public or system (``official`` outranks the others for an event's time)."""

    ACTION: ClassVar[Action] = Action.SET_ROLE
    made: Made
    source: SourceRef
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")

    def detail(self) -> str:
        return f"role set to {self.role}"


@dataclass(frozen=True)
class Reject:
    """The event is not part of the incident (a withdrawn report, another outage)."""

    ACTION: ClassVar[Action] = Action.REJECT
    made: Made
    event: EventRef

    def detail(self) -> str:
        return "rejected: not part of the incident"


@dataclass(frozen=True)
class Merge:
    """The two events are one statement."""

    ACTION: ClassVar[Action] = Action.MERGE
    made: Made
    event: EventRef
    other: EventRef

    def detail(self) -> str:
        return f"merged with {self.other.label()}"


@dataclass(frozen=True)
class Split:
    """The citations from ``source`` are another statement than the rest of the event."""

    ACTION: ClassVar[Action] = Action.SPLIT
    made: Made
    event: EventRef
    source: SourceRef

    def detail(self) -> str:
        return f"citations from {self.source.path} split off"


@dataclass(frozen=True)
class SetKind:
    """The event is this milestone (start, detected, acknowledged, update, mitigated, resolved, other)."""

    ACTION: ClassVar[Action] = Action.SET_KIND
    made: Made
    event: EventRef
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")

    def detail(self) -> str:
        return f"kind set to {self.kind}"


@dataclass(frozen=True)
class Confirm:
    """An analyst checked the event's time; with ``time`` (aware UTC), that is its time from now on."""

    ACTION: ClassVar[Action] = Action.CONFIRM
    made: Made
    event: EventRef
    time: datetime | None = None

    def detail(self) -> str:
        return f"time confirmed as {self.time:%Y-%m-%d %H:%M} UTC" if self.time else "time confirmed as read"


@dataclass(frozen=True)
class Note:
    """A remark on the event, shown with it."""

    ACTION: ClassVar[Action] = Action.NOTE
    made: Made
    event: EventRef
    text: str

    def detail(self) -> str:
        return f"note: {self.text}"


Decision = PinZone | SetPublished | SetRole | Reject | Merge | Split | SetKind | Confirm | Note
TYPES: dict[Action, type] = {t.ACTION: t for t in (PinZone, SetPublished, SetRole, Reject, Merge, Split, SetKind,
                                                     Confirm, Note)}
SOURCE_TYPES = (PinZone, SetPublished, SetRole)


def _correction(decision: Decision, target: str, status: Status = Status.APPLIED, reason: str = "",
                source: str | None = None, detail: str | None = None) -> Correction:
    made = decision.made
    return Correction(made.number, decision.ACTION, target, detail or decision.detail(), made.by, made.at,
                      made.why, status, reason, source)


def handle(author: str | None) -> str:
    """'@Facebook', 'facebook' and ' @facebook ' are one author."""
    return (author or "").strip().lstrip("@").lower()


# -- before parsing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceDecisions:
    """The sources with their decisions applied, and what each decision did."""

    docs: list[SourceDoc]
    author_zones: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per source path, the zone pinned for each author's posts (by normalised handle)."""
    corrections: list[Correction] = field(default_factory=list)


def _matching(docs: list[SourceDoc], ref: SourceRef) -> list[int]:
    by_path = [i for i, d in enumerate(docs) if d.source.path == ref.path or d.source.path.startswith(ref.path + "#")]
    if by_path or not ref.digest:
        return by_path
    return [i for i, d in enumerate(docs) if (d.source.digest or "").split("#")[0] == ref.digest]


def apply_to_sources(docs: Iterable[SourceDoc], decisions: Iterable[Decision]) -> SourceDecisions:
    """Zone pins, publication times and roles, later decisions over earlier ones and over the manifest."""
    docs = list(docs)
    author_zones: dict[str, dict[str, str]] = {}
    corrections = []
    for decision in sorted((d for d in decisions if isinstance(d, SOURCE_TYPES)), key=lambda d: d.made.number):
        hits = _matching(docs, decision.source)
        if not hits:
            corrections.append(_correction(decision, decision.source.path, Status.ORPHANED,
                                           "no source at that path or with that content in this build",
                                           decision.source.path))
            continue
        for i in hits:
            source = docs[i].source
            if isinstance(decision, PinZone) and decision.author:
                who = handle(decision.author)
                if not any(handle(r.author) == who for r in docs[i].records):
                    corrections.append(_correction(decision, source.path, Status.ORPHANED,
                                                   f"no post by {decision.author} in this source", source.path))
                    continue
                author_zones.setdefault(source.path, {})[who] = decision.zone
            elif isinstance(decision, PinZone):
                docs[i] = replace(docs[i], source=replace(source, zone=decision.zone, zone_rule=PINNED_RULE))
            elif isinstance(decision, SetPublished):
                docs[i] = replace(docs[i], source=replace(source, published=decision.published))
            else:
                docs[i] = replace(docs[i], source=replace(source, role=decision.role))
            corrections.append(_correction(decision, source.path, source=source.path))
    return SourceDecisions(docs, author_zones, corrections)


def parse_by_author(doc: SourceDoc, zones: dict[str, str] | None,
                    parse: Callable[[SourceDoc], ParsedSource]) -> ParsedSource:
    """Parse a posts export whose authors have pinned zones: each pinned author's posts are read as a
    source of their own in that zone (one author's words never set another's zone), the rest as the
    export, and the readings are put back together as one source, in the export's order."""
    if not zones:
        return parse(doc)
    groups: dict[str | None, list] = {}
    for record in doc.records:
        who = handle(record.author)
        groups.setdefault(who if who in zones else None, []).append(record)
    if None not in groups:
        pinned = next(iter(groups))
        if len(groups) == 1:
            return parse(replace(doc, source=replace(doc.source, zone=zones[pinned], zone_rule=PINNED_RULE)))
    parts = []
    for who, records in groups.items():
        if who is None:
            parts.append(parse(replace(doc, records=tuple(records), text="")))
        else:
            source = replace(doc.source, zone=zones[who], zone_rule=PINNED_RULE)
            parts.append(parse(replace(doc, source=source, records=tuple(records), skipped=(), text="")))
    order = {r.index: n for n, r in enumerate(doc.records)}
    mentions = sorted((m for p in parts for m in p.mentions), key=lambda m: order.get(m.record, -1))
    skipped = tuple(s for p in parts for s in p.skipped)
    main = next((p for p, who in zip(parts, groups, strict=True) if who is None), parts[0])
    return ParsedSource(main.source, doc.records, tuple(mentions), skipped)


# -- after merge ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventDecisions:
    events: tuple[Event, ...]
    rejected: tuple[Event, ...]
    corrections: tuple[Correction, ...]
    changed: bool
    """Whether the timeline changed (then ids, conflicts and notes are recomputed)."""


def _normal(text: str) -> str:
    return merge_stage.normalise(text or "")


def _locate(events: list[Event], ref: EventRef) -> tuple[int | None, str]:
    """The index of the event holding the citation ``ref`` points at, and how it was found."""
    for i, event in enumerate(events):
        if any(c.key == ref.key for c in event.claims):
            return i, ""
    if ref.source and ref.local_text:
        quote = _normal(ref.quote)
        for i, event in enumerate(events):
            if any(c.source == ref.source and c.local_text == ref.local_text and _normal(c.quote) == quote
                   for c in event.claims):
                return i, "found by its quote and time text: its source was re-read and its key changed"
    return None, ""


def _orphan(decision: Decision, ref: EventRef, rejected: list[Event], corrections: list[Correction]) -> None:
    gone = next((e for e in rejected if any(c.key == ref.key for c in e.claims)), None)
    if gone is not None:
        why = "that event is rejected by " + ", ".join(c.label for c in gone.corrections
                                                      if c.action == Action.REJECT)
    else:
        what = f"“{ref.local_text}” in {ref.source}" if ref.source else "it"
        why = f"no event cites {what} any more"
    corrections.append(_correction(decision, ref.label(), Status.ORPHANED, why))


def _annotate(event: Event, correction: Correction) -> Event:
    return replace(event, corrections=event.corrections + (correction,))


def _rekey(event: Event) -> Event:
    return replace(event, key=event.claims[0].key if event.claims else "")


def apply_to_events(events: Iterable[Event], decisions: Iterable[Decision]) -> EventDecisions:
    current = list(events)
    wanted = sorted((d for d in decisions if not isinstance(d, SOURCE_TYPES)), key=lambda d: d.made.number)
    if not wanted:
        return EventDecisions(tuple(current), (), (), False)
    rejected: list[Event] = []
    corrections: list[Correction] = []
    phases = ((Merge, Split), (Reject,), (SetKind, Confirm, Note))
    for phase in phases:
        for decision in (d for d in wanted if isinstance(d, phase)):
            i, how = _locate(current, decision.event)
            if i is None:
                _orphan(decision, decision.event, rejected, corrections)
                continue
            event = current[i]
            if isinstance(decision, Merge):
                j, how_other = _locate(current, decision.other)
                if j is None:
                    _orphan(decision, decision.other, rejected, corrections)
                    continue
                if j == i:
                    done = _correction(decision, event.key, reason="already one event",
                                       detail=f"merged with {decision.other.key} (already one event)")
                    current[i] = _annotate(event, done)
                    corrections.append(done)
                    continue
                other = current[j]
                why = (*event.merged_because, *other.merged_because,
                       f"merged by {decision.made.by} (D{decision.made.number})")
                joined = _rekey(merge_stage.event_of(event.claims + other.claims, why))
                done = _correction(decision, joined.key, reason=how or how_other,
                                   detail=f"events {event.key} and {other.key} merged into one")
                joined = replace(joined, corrections=event.corrections + other.corrections + (done,))
                current[min(i, j)] = joined
                del current[max(i, j)]
                corrections.append(done)
            elif isinstance(decision, Split):
                ref = decision.source
                mine = [c for c in event.claims if c.source == ref.path or c.source.startswith(ref.path + "#")]
                rest = [c for c in event.claims if c not in mine]
                if not mine or not rest:
                    why = (f"event {event.key} has no citation from {ref.path}" if not mine else
                           f"every citation of event {event.key} is from {ref.path}: nothing to split")
                    corrections.append(_correction(decision, event.key, Status.ORPHANED, why))
                    continue
                keep = tuple(r for r in event.merged_because if ref.path not in r)
                own = tuple(r for r in event.merged_because if ref.path in r
                            and not any(c.source in r for c in rest))
                left = _rekey(merge_stage.event_of(rest, keep))
                right = _rekey(merge_stage.event_of(mine, own))
                done = _correction(decision, left.key, reason=how, source=ref.path,
                                   detail=f"citations from {ref.path} split off into event {right.key}")
                current[i] = replace(left, corrections=event.corrections + (done,))
                current.insert(i + 1, replace(right, corrections=(done,)))
                corrections.append(done)
            elif isinstance(decision, Reject):
                done = _correction(decision, event.key, reason=how)
                rejected.append(replace(_annotate(event, done), id=""))  # an id is a place in the timeline
                del current[i]
                corrections.append(done)
            else:
                changed = event
                detail = None
                if isinstance(decision, SetKind):
                    changed = replace(event, kind=decision.kind)
                    detail = f"kind set to {decision.kind} (read as {event.kind})"
                elif isinstance(decision, Confirm):
                    changed = replace(event, confirmed=True)
                    if decision.time is not None:
                        s = event.span
                        t = decision.time
                        changed = replace(changed, span=TimeSpan(t, t, t, "minute", s.zone, s.zone_rule, s.flags))
                        detail = (f"time confirmed as {t:%Y-%m-%d %H:%M} UTC (the sources read "
                                  f"{s.best:%Y-%m-%d %H:%M} UTC, {s.precision})")
                done = _correction(decision, event.key, reason=how, detail=detail)
                current[i] = _annotate(changed, done)
                corrections.append(done)
    corrections.sort(key=lambda c: c.number)
    return EventDecisions(tuple(current), tuple(rejected), tuple(corrections), True)


def rejected_skips(rejected: Iterable[Event]) -> list[Skip]:
    """A rejected event's citations are accounted for in their sources like any other time left out."""
    out = []
    for event in rejected:
        why = "; ".join(f"rejected by {c.by} ({c.label})" + (f": {c.why}" if c.why else "")
                        for c in event.corrections if c.action == Action.REJECT)
        out += [Skip(c.source, repr(c.local_text), why, c.line) for c in event.claims]
    return out
