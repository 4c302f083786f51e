"""The small immutable values passed between pipeline stages.

Every stage takes and returns these, so any stage can be used (and tested) on its own:
Source/Record come out of ``sources``, Mention out of ``timeparse``, Claim out of ``events``
(and ``logs.claims``), Event/Conflict/Timeline out of ``merge``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from operator import attrgetter
from typing import TYPE_CHECKING

from .terms import (  # noqa: F401  (re-exported: the model is where stages take them from)
    KINDS,
    ONCE_KINDS,
    PRECISIONS,
    ROLES,
    STRONG_KINDS,
    Action,
    Basis,
    Bound,
    FlagCode,
    Furniture,
    Kind,
    LanguageRule,
    Origin,
    Precision,
    Role,
    Status,
    Taken,
    ZoneRule,
)

if TYPE_CHECKING:
    from .logs.series import LogSeries


@dataclass(frozen=True, slots=True)
class Flag:
    """A warning about how a time was read: a code to decide on, a detail for the reader.

    ``str(flag)`` is the text every output has always printed (``"zone-season: …"``)."""

    code: FlagCode
    detail: str = ""
    sep: str = ": "
    literal_shift: timedelta | None = None
    """For a zone-season flag: how far the abbreviation taken as written moves the time ("EST" in
    July read as EDT; as written, UTC-05:00 puts it an hour later). A reader may take that reading,
    so a conflict lists it beside the one chosen."""

    def __str__(self) -> str:
        return f"{self.code}{self.sep}{self.detail}" if self.detail else str(self.code)


def has_flag(flags, code: FlagCode) -> bool:
    return any(f.code is code for f in flags)




@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file, or one export inside a file. ``zone`` is the source-wide zone, if known."""

    path: str
    type: str = "article"
    role: Role = Role.PRESS
    title: str | None = None
    published: str | None = None
    language: str | None = None
    """The language its text is written in (a bare code: ``de``, ``ja``), which the grammar reads it in."""
    locale: str | None = None
    """The locale the page or the user declared (``de-CH``, ``en_US``): it may say the outlet's region."""
    zone: str | None = None
    zone_rule: ZoneRule | None = None
    reader: str = "article"
    encoding: str | None = None
    """The encoding the file was decoded from (``utf-8``, ``utf-16-le (no BOM)``, ``cp1252``…)."""
    digest: str | None = None
    """SHA-256 of the file's bytes (``#id`` appended for one export of several in a file): what event keys derive from."""
    language_rule: LanguageRule | None = None

    def __post_init__(self) -> None:
        _coerce(self, "role", Role)
        _coerce(self, "zone_rule", ZoneRule)
        _coerce(self, "language_rule", LanguageRule)


@dataclass(frozen=True, slots=True)
class Record:
    """A unit of text with its position: a sentence, a post, a status update, a notable log line.

    ``timestamp`` is the unit's own time when the source carries one (a post's created_at),
    already aware; ``label`` is a source-given status (Statuspage "resolved", a log level), or a
    ``Furniture`` value for a page's own publication or update stamp.
    """

    source: str
    index: int
    text: str
    offset: int = 0
    line: int | None = None
    timestamp: datetime | None = None
    timestamp_text: str | None = None
    label: str | None = None
    author: str | None = None
    url: str | None = None
    flags: tuple[Flag, ...] = ()
    language: str | None = None
    """Set only when the unit is in another language than its source (an English post quoted in a
    Chinese blog): the grammar then reads it in this one."""
    paragraph: int | None = None
    """Which paragraph (blank-line block, or one timeline list) of its text it is in: a zone or a
    date written in a paragraph carries to the times after it in that paragraph."""


@dataclass(frozen=True, slots=True)
class Skip:
    """A unit that was not used, and why: nothing is dropped without one of these."""

    source: str
    what: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """What a reader returns for one input: the source, its records, and what it could not use."""

    source: Source
    records: tuple[Record, ...]
    skipped: tuple[Skip, ...] = ()
    text: str = ""
    series: LogSeries | None = field(default=None, compare=False, hash=False)
    """For logs and metrics: the per-minute counts and how they were read (``logs.series``)."""


_NO_OFFSET = timedelta(0)


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """An interval in UTC with how precise it is and where its zone came from."""

    earliest: datetime
    best: datetime
    latest: datetime
    precision: Precision
    zone: str
    zone_rule: ZoneRule
    flags: tuple[Flag, ...] = ()

    def __post_init__(self) -> None:
        # Checked inline for the common case (every time the grammar reads makes a few spans):
        # all three in timezone.utc, the enums already enums.
        utc = timezone.utc
        if self.earliest.tzinfo is not utc or self.best.tzinfo is not utc or self.latest.tzinfo is not utc:
            for name in ("earliest", "best", "latest"):
                value = getattr(self, name)
                if value.tzinfo is not utc and (value.tzinfo is None or value.utcoffset() != _NO_OFFSET):
                    raise ValueError(f"TimeSpan.{name} must be aware UTC, got {value!r}")
        if not self.earliest <= self.best <= self.latest:
            raise ValueError("TimeSpan needs earliest <= best <= latest")
        if self.precision.__class__ is not Precision:
            _coerce(self, "precision", Precision)
        if self.zone_rule.__class__ is not ZoneRule:
            _coerce(self, "zone_rule", ZoneRule)
        if self.flags and not all(isinstance(f, Flag) for f in self.flags):
            raise TypeError(f"TimeSpan.flags must be Flag values, got {self.flags!r}")

    def overlaps(self, other: TimeSpan, tolerance_minutes: float = 0) -> bool:
        slack = tolerance_minutes * 60
        return (self.earliest - other.latest).total_seconds() <= slack and (
            other.earliest - self.latest
        ).total_seconds() <= slack

    @property
    def width_minutes(self) -> float:
        return (self.latest - self.earliest).total_seconds() / 60


@dataclass(frozen=True, slots=True)
class Reading:
    """Another way the same words could be read: another date (a time whose date was carried or
    taken from the publication date), or the other half of the day ("6:03 EST" with no a.m./p.m.).
    Kept beside the chosen reading so that a later stage, which sees the other sources, can
    reconsider it; ``why`` says what is uncertain."""

    span: TimeSpan
    local: str
    other_date: bool = False
    """The date is another than the chosen reading's (the date was not written beside the time)."""
    other_half: bool = False
    """The other half of the day (no a.m./p.m. written)."""

    @property
    def why(self) -> str:
        parts = (["the other half of the day"] if self.other_half else []) + (["another date"] if self.other_date else [])
        return " on ".join(parts) or "another reading"


@dataclass(frozen=True, slots=True)
class Mention:
    """A time expression found in a record: where it is, what it says, and when that is."""

    source: str
    record: int
    start: int
    end: int
    text: str
    span: TimeSpan
    local: str
    hedge: str | None = None
    role: Bound | None = None
    """What the words around it say it bounds ("since" a start, "until" an end), if anything."""
    own_time: bool = False
    """True for a post's or update's own timestamp rather than a time written in its text."""
    apposed: bool = False
    """Written beside the time before it as that time in another zone ("10:05 a.m. ET, or 15:05
    GMT", "9 p.m. JST (1 p.m. GMT)"): one statement, so a disagreement between the two is the
    source's own."""

    alternatives: tuple[Reading, ...] = ()
    """Other readings of the same words, when the date or the half of the day is not written."""

    def __post_init__(self) -> None:
        _coerce(self, "role", Bound)


@dataclass(frozen=True, slots=True)
class Claim:
    """What one source says happened at one time."""

    source: str
    role: Role
    kind: Kind
    span: TimeSpan
    summary: str
    quote: str
    local_text: str
    local: str
    record: int
    origin: Origin = Origin.TEXT
    line: int | None = None
    lines: tuple[int, ...] = ()
    counts: tuple[tuple[str, float], ...] = ()
    alternatives: tuple[Reading, ...] = field(default=(), compare=False)
    """The mention's other readings (see ``Reading``); ``reconcile`` may choose one of them."""
    start: int = 0
    end: int = 0
    """Where the time is written in the record (``record.text[start:end]``); 0, 0 for a record's own time."""
    key: str = ""
    """Stable key of this citation, from its source's digest and span (``outagetl.keys``)."""
    author: str | None = None
    """The post's author ("@larkspurstatus") or the status page's name, when the export gives it."""
    url: str | None = None
    """The post's or incident's own address, when the export gives it: what a reader follows."""
    apposed: bool = False
    """Its time is written beside the one before it in the record as the same time in another
    zone (``Mention.apposed``); the two readings disagree, or there would be one claim."""

    def __post_init__(self) -> None:
        if self.role.__class__ is not Role or self.kind.__class__ is not Kind or self.origin.__class__ is not Origin:
            _coerce(self, "role", Role)
            _coerce(self, "kind", Kind)
            _coerce(self, "origin", Origin)

    @property
    def primary(self) -> bool:
        """The source's own timestamp for what it says (a post, a status update): when it was said."""
        return self.origin is Origin.TIMESTAMP

    @property
    def evidence(self) -> bool:
        """Derived from a log or metrics: what the machines saw, beside what people wrote."""
        return self.origin is Origin.LOG


@dataclass(frozen=True, slots=True)
class Event:
    """One statement, however many sources carry it; its time is its primary claim's."""

    id: str
    kind: Kind
    span: TimeSpan
    summary: str
    claims: tuple[Claim, ...]
    flags: tuple[Flag, ...] = ()
    merged_because: tuple[str, ...] = ()
    key: str = ""
    """Stable key: its primary citation's, so it survives sources being added (the id is a position)."""
    confirmed: bool = False
    """An analyst checked this event's time (a case file's ``confirm``); metrics use confirmed events first."""
    corrections: tuple[Correction, ...] = ()
    """The case-file decisions that changed or annotated this event."""

    def __post_init__(self) -> None:
        _coerce(self, "kind", Kind)


@dataclass(frozen=True, slots=True)
class Correction:
    """One decision as this build applied it: who made it, when and why, what it did, or why it could not."""

    number: int
    action: Action
    target: str
    """The event key or source path it bears on; for an orphaned event decision, the event as named when made."""
    detail: str
    by: str
    at: datetime
    why: str | None = None
    status: Status = Status.APPLIED
    reason: str = ""
    """Why nothing matched (orphaned), or how the target was found again (applied)."""
    source: str | None = None
    """For a source-level decision (and ``split``), the source path it bears on."""

    @property
    def label(self) -> str:
        return f"D{self.number}"

    def text(self) -> str:
        """'corrected by alice on 2024-05-02 (D3): kind set to resolved — the story misread the update'."""
        why = f" — {self.why}" if self.why else ""
        return f"corrected by {self.by} on {self.at:%Y-%m-%d} ({self.label}): {self.detail}{why}"


@dataclass(frozen=True, slots=True)
class ConflictReading:
    """One reading of a disputed instant: the event and citation it comes from, and the time it gives."""

    event: str
    claim: Claim
    span: TimeSpan
    taken: Taken = Taken.AS_READ
    local: str = ""
    """The local wall time this reading gives (the citation's own, or with the zone taken as written)."""
    context: bool = False
    """A reading of the milestone before: a source that gives no reading of the milestone gives
    this one as its end (its last mitigation, for a resolution), labelled with its own kind."""
    earlier: bool = False
    """One of a source's earlier readings of the milestone, listed beside its last one ("all
    services operational" a day before "fully resolved"): never a cause of the conflict."""

    def __post_init__(self) -> None:
        _coerce(self, "taken", Taken)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Readings of one instant that cannot all be true: a once-per-incident milestone the sources
    place at different times, one time written in two zones that disagree, or one statement dated
    differently. ``events`` are the events the readings come from, in time order."""

    id: str
    kind: Kind
    events: tuple[str, ...]
    spread_minutes: int
    official: str | None = None
    evidence: tuple[str, ...] = ()
    """Log- or metrics-derived events of the same milestone: what the machines saw."""
    readings: tuple[ConflictReading, ...] = ()
    """Every reading compared, in time order, each with its citation (source, quote, role)."""
    basis: Basis = Basis.MILESTONE

    def __post_init__(self) -> None:
        _coerce(self, "kind", Kind)
        _coerce(self, "basis", Basis)


@dataclass(frozen=True, slots=True)
class Timeline:
    events: tuple[Event, ...]
    conflicts: tuple[Conflict, ...]
    sources: tuple[SourceReport, ...]
    window: tuple[datetime, datetime] | None = None
    metrics: dict = field(default_factory=dict, compare=False, hash=False)
    notes: tuple[str, ...] = ()
    unreadable: tuple[Skip, ...] = ()
    """Inputs that could not be used at all (``what`` is the path), so no input goes unaccounted."""
    decisions: tuple[Correction, ...] = ()
    """Every decision of the case file, applied or orphaned, in the order they were made."""
    rejected: tuple[Event, ...] = ()
    """Events a decision says are not part of the incident: out of the timeline, still shown with who and why."""


@dataclass(frozen=True, slots=True)
class ErrorRate:
    """A log's or metric's errors per minute over its span, in UTC: what the machines saw, drawn
    beside the stated times (the HTML lane). ``times[i]`` (aware UTC) starts a bucket of
    ``step`` minutes whose mean is ``errors[i]``; it is a picture, never read for a claim."""

    times: tuple[datetime, ...]
    errors: tuple[float, ...]
    step: int = 1


@dataclass(frozen=True, slots=True)
class SourceReport:
    """Per-source accounting shown in every output: how it was read and what was left out."""

    source: Source
    mentions: int
    used: int
    skipped: tuple[Skip, ...]
    units: dict = field(default_factory=dict, compare=False, hash=False)
    """Units (sentences, posts, updates, log lines) ``read``/``used``/``skipped``, and their ``kind``."""
    outside: int = 0
    """Claims this source made that fall outside the incident window: all of them, with ``used == 0``,
    means the source may describe another incident."""
    rate: ErrorRate | None = field(default=None, compare=False, hash=False)
    """For a log or metrics export, its error rate to draw (``logs.claims.error_rate``)."""


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """A source after ``timeparse``: its records, the mentions found in them, what was left out."""

    source: Source
    records: tuple[Record, ...]
    mentions: tuple[Mention, ...]
    skipped: tuple[Skip, ...] = ()


def _coerce(obj, name: str, enum) -> None:
    """Check a typed field at construction: a plain string is accepted only when it is a member's value."""
    value = getattr(obj, name)
    if value is not None and not isinstance(value, enum):
        try:
            object.__setattr__(obj, name, enum(value))
        except ValueError:
            raise ValueError(f"{type(obj).__name__}.{name}: unknown {enum.__name__} {value!r}") from None


def quick_state(*classes: type) -> None:
    """Give frozen slotted dataclasses a pickled state that is a plain tuple of their fields,
    read and restored by names worked out once. What ``dataclasses`` gives them looks the fields
    up (``fields()``) for every object: a story worker's claims (7,500 claims, 18,000 time spans)
    took a quarter of a second more to take in than the same state by names."""
    for cls in classes:
        names = tuple(f.name for f in fields(cls))
        cls.__getstate__ = _getter(names)
        cls.__setstate__ = _setter(names)


def _getter(names: tuple[str, ...]):
    get = attrgetter(*names)
    return (lambda self: (get(self),)) if len(names) == 1 else (lambda self: get(self))


def _setter(names: tuple[str, ...]):
    put = object.__setattr__

    def setstate(self, state) -> None:
        for name, value in zip(names, state, strict=True):
            put(self, name, value)

    return setstate


quick_state(Flag, Source, Record, Skip, SourceDoc, TimeSpan, Reading, Mention, Claim, Event, Correction,
            ConflictReading, Conflict, Timeline, ErrorRate, SourceReport, ParsedSource)
