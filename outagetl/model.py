"""The small immutable values passed between pipeline stages.

Every stage takes and returns these, so any stage can be used (and tested) on its own:
Source/Record come out of ``sources``, Mention out of ``timeparse``, Claim out of ``events``
(and ``logs.claims``), Event/Conflict/Timeline out of ``merge``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .logs.series import LogSeries


class Kind(StrEnum):
    """The milestone a claim reports. A ``StrEnum``: it serialises as today's word."""

    START = "start"
    DETECTED = "detected"
    ACKNOWLEDGED = "acknowledged"
    UPDATE = "update"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    OTHER = "other"

    @property
    def strong(self) -> bool:
        """A milestone proper (not a plain update or an unclassified statement)."""
        return self in STRONG_KINDS

    @property
    def once(self) -> bool:
        """A milestone an incident has once, so that readings that disagree are a conflict."""
        return self in ONCE_KINDS


STRONG_KINDS = (Kind.START, Kind.DETECTED, Kind.ACKNOWLEDGED, Kind.MITIGATED, Kind.RESOLVED)
ONCE_KINDS = (Kind.START, Kind.DETECTED, Kind.ACKNOWLEDGED, Kind.RESOLVED)


class Precision(StrEnum):
    """How exactly a time is known, finest first (the order ranks claims)."""

    MINUTE = "minute"
    APPROXIMATE = "approximate"
    HOUR = "hour"
    PART_OF_DAY = "part-of-day"
    DAY = "day"

    @property
    def rank(self) -> int:
        return _PRECISION_ORDER.index(self)


_PRECISION_ORDER = tuple(Precision)


class Role(StrEnum):
    """Who speaks: the company itself, the press, the public, or a machine (logs, metrics)."""

    OFFICIAL = "official"
    PRESS = "press"
    PUBLIC = "public"
    SYSTEM = "system"


class ZoneRule(StrEnum):
    """Why a time was read in its zone; the design's order: written, carried, pinned, inferred,
    default, assumed. The value is what the JSON contract prints; ``text`` explains it to a reader."""

    EXPLICIT = "explicit"
    EXPLICIT_RANGE = "explicit:range"
    EXPLICIT_TIMESTAMP = "explicit:timestamp"
    CARRIED = "carried"
    PINNED = "pinned"
    PINNED_MANIFEST = "pinned:manifest"
    PINNED_MANIFEST_DEFAULTS = "pinned:manifest defaults"
    PINNED_SOURCE_TZ = "pinned:--source-tz"
    PINNED_LOG_TZ = "pinned:--log-tz"
    PINNED_CASE = "pinned:case"
    INFERRED_ALL_TIMES = "inferred:all-times-statement"
    INFERRED_PUBLICATION_OFFSET = "inferred:publication-offset"
    INFERRED_ZONE_IN_SOURCE = "inferred:zone-in-source"
    INFERRED_LOCALE = "inferred:locale"
    INFERRED_PAGE_TIME_ZONE = "inferred:page-time-zone"
    DEFAULT_TZ = "default:--tz"
    ASSUMED = "assumed"

    @property
    def explicit(self) -> bool:
        """The zone is written next to the time (or carried by the source's own timestamp)."""
        return self in (ZoneRule.EXPLICIT, ZoneRule.EXPLICIT_RANGE, ZoneRule.EXPLICIT_TIMESTAMP)

    @property
    def text(self) -> str:
        return _ZONE_RULE_TEXT[self]


_ZONE_RULE_TEXT = {
    ZoneRule.EXPLICIT: "the zone is written in the expression",
    ZoneRule.EXPLICIT_RANGE: "the zone is written once for both ends of the range",
    ZoneRule.EXPLICIT_TIMESTAMP: "the source's own machine timestamp carries its offset",
    ZoneRule.CARRIED: "the zone written for an earlier time in the same paragraph carries to this one",
    ZoneRule.PINNED: "pinned by the user",
    ZoneRule.PINNED_MANIFEST: "pinned for this source by sources.toml",
    ZoneRule.PINNED_MANIFEST_DEFAULTS: "pinned for the folder by sources.toml [defaults]",
    ZoneRule.PINNED_SOURCE_TZ: "pinned on the command line (--source-tz)",
    ZoneRule.PINNED_LOG_TZ: "pinned for logs on the command line (--log-tz)",
    ZoneRule.PINNED_CASE: "pinned by a decision in the case file (case pin-zone)",
    ZoneRule.INFERRED_ALL_TIMES: "the source says which zone all its times are in",
    ZoneRule.INFERRED_PUBLICATION_OFFSET: "inferred from the offset of the source's publication time",
    ZoneRule.INFERRED_ZONE_IN_SOURCE: "inferred from another time in the same source that names its zone",
    ZoneRule.INFERRED_LOCALE: "inferred from the source's language or locale",
    ZoneRule.INFERRED_PAGE_TIME_ZONE: "the status page's own configured time zone",
    ZoneRule.DEFAULT_TZ: "nothing in the source says; the --tz default",
    ZoneRule.ASSUMED: "nothing says; UTC assumed",
}


class FlagCode(StrEnum):
    """What a flag warns about. Stages decide on the code, never on a flag's text."""

    ZONE_SEASON = "zone-season"
    ZONE_ASSUMED = "zone-assumed"
    ZONE_AMBIGUOUS = "zone-ambiguous"
    ZONE_FROM_SOURCE = "zone-from-source"
    NO_ZONE = "no-zone"
    DST_GAP = "dst-gap"
    DST_REPEATED = "dst-repeated"
    CLOCK_12H = "clock-12h"
    DATE_ROLLED = "date-rolled"
    DATE_ASSUMED = "date-assumed"
    DATE_AMBIGUOUS = "date-ambiguous"
    WEEKDAY_MISMATCH = "weekday-mismatch"
    YEAR_ASSUMED = "year-assumed"
    RELATIVE = "relative"
    STATUSPAGE_DISPLAY = "statuspage-display"
    BLUESKY_CLOCK = "bluesky-clock"
    # Log lines and log-derived claims.
    YEAR_MISSING = "year-missing"
    YEAR_INFERRED = "year-inferred"
    LEAP_DAY = "leap-day"
    ZONE_MISSING = "zone-missing"
    DST_AMBIGUOUS = "dst-ambiguous"
    RECONSIDERED = "reconsidered"
    FAR_FROM_INCIDENT = "far-from-incident"
    AFTER_POST = "after-post"
    FIRST_ERROR = "first-error"
    LAST_ERROR = "last-error"
    CHANGE = "change"


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


class Bound(StrEnum):
    """Which end of an interval of impact a time is said to be: "since 8:00", the start of
    "12:02–13:45" (START); "until 8 p.m.", the end of a range (END)."""

    START = "start"
    END = "end"


class Origin(StrEnum):
    """Where a claim comes from: words in a text, a post's or update's own timestamp, or a log."""

    TEXT = "text"
    TIMESTAMP = "timestamp"
    LOG = "log"


class Furniture(StrEnum):
    """A record that is page furniture, as its reader labels it (``Record.label``): the page's own
    publication or update stamp ("Aktualisiert am 19.07.2024, 15:57 Uhr"). It dates the page and is
    never an event; a publication stamp is preferred over an update stamp for the page's date."""

    PUBLISHED = "byline"
    UPDATED = "update-stamp"


class LanguageRule(StrEnum):
    """How a source's language was chosen: declared by the page or the user first, else read from
    the text (``sources/language.py``). The value is what the JSON contract prints."""

    DECLARED_MANIFEST = "declared:manifest"
    DECLARED_HTML_LANG = "declared:html-lang"
    DECLARED_OG_LOCALE = "declared:og-locale"
    DECLARED_POSTS = "declared:posts"
    """The posts of an export give their own language (Twitter ``lang``, Mastodon ``language``,
    Bluesky ``langs``): the source's is the one most of them give. It says nothing of a region."""
    DETECTED_SCRIPT = "detected:script"
    DETECTED_WORDS = "detected:words"
    DETECTED_TEXT = "detected:text"
    DETECTED_OVER_DECLARED = "detected:text-over-declared"
    DEFAULT = "default"

    @property
    def declared(self) -> bool:
        """Said by the page or the user (so it may also say where the outlet is, not only its language)."""
        return self in (LanguageRule.DECLARED_MANIFEST, LanguageRule.DECLARED_HTML_LANG, LanguageRule.DECLARED_OG_LOCALE)


# Kept for readers of the old tuples (and ordering): the enum members in their order.
PRECISIONS = tuple(Precision)
KINDS = tuple(Kind)
ROLES = tuple(Role)


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
        for name in ("earliest", "best", "latest"):
            value = getattr(self, name)
            if value.tzinfo is not timezone.utc and (value.tzinfo is None or value.utcoffset() != _NO_OFFSET):
                raise ValueError(f"TimeSpan.{name} must be aware UTC, got {value!r}")
        if not self.earliest <= self.best <= self.latest:
            raise ValueError("TimeSpan needs earliest <= best <= latest")
        _coerce(self, "precision", Precision)
        _coerce(self, "zone_rule", ZoneRule)
        if not all(isinstance(f, Flag) for f in self.flags):
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


class Action(StrEnum):
    """What an analyst's decision in a case file does (``outagetl case ACTION``)."""

    PIN_ZONE = "pin-zone"
    SET_PUBLISHED = "set-published"
    SET_ROLE = "set-role"
    REJECT = "reject"
    MERGE = "merge"
    SPLIT = "split"
    SET_KIND = "set-kind"
    CONFIRM = "confirm"
    NOTE = "note"


class Status(StrEnum):
    """Whether a decision found what it is about in this build."""

    APPLIED = "applied"
    ORPHANED = "orphaned"


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


class Basis(StrEnum):
    """Why a set of readings is one conflict."""

    MILESTONE = "milestone"
    """The sources place a milestone the incident has once (start, detection, first
    acknowledgement, full resolution) at times that cannot all be true."""
    TWO_ZONES = "two-zones"
    """One source writes one time in two zones that do not agree ("10:05 a.m. ET, or 15:05 GMT" in July)."""
    SAME_WORDS = "same-words"
    """Sources give the same statement, word for word, different times (a retelling that pairs a
    timeline entry with the wrong heading)."""
    SAME_FIGURE = "same-figure"
    """Sources give the same count of the same thing at different times ("more than 73,000
    reports by 9:30" beside "73,000 reports as of 8"): a figure is reached once."""


class Taken(StrEnum):
    """How a reading takes its citation's time: as outagetl read it, or with the zone abbreviation
    taken as written when it names the other season (what a reader going by the letters gets)."""

    AS_READ = "as-read"
    ZONE_AS_WRITTEN = "zone-as-written"


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
