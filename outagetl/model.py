"""The small immutable values passed between pipeline stages.

Every stage takes and returns these, so any stage can be used (and tested) on its own:
Source/Record come out of ``sources``, Mention out of ``timeparse``, Claim out of ``events``
(and ``logevents``), Event/Conflict/Timeline out of ``merge``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

PRECISIONS = ("minute", "approximate", "hour", "part-of-day", "day")
KINDS = ("start", "detected", "acknowledged", "update", "mitigated", "resolved", "other")
ROLES = ("official", "press", "public", "system")


@dataclass(frozen=True)
class Source:
    """One input: a file, or one export inside a file. ``zone`` is the source-wide zone, if known."""

    path: str
    type: str = "article"
    role: str = "press"
    title: str | None = None
    published: str | None = None
    language: str | None = None
    locale: str | None = None
    zone: str | None = None
    zone_rule: str | None = None
    reader: str = "article"
    encoding: str | None = None
    """The encoding the file was decoded from (``utf-8``, ``utf-16-le (no BOM)``, ``cp1252``…)."""


@dataclass(frozen=True)
class Record:
    """A unit of text with its position: a sentence, a post, a status update, a notable log line.

    ``timestamp`` is the unit's own time when the source carries one (a post's created_at),
    already aware; ``label`` is a source-given status (Statuspage "resolved", a log level).
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
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skip:
    """A unit that was not used, and why: nothing is dropped without one of these."""

    source: str
    what: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class SourceDoc:
    """What a reader returns for one input: the source, its records, and what it could not use."""

    source: Source
    records: tuple[Record, ...]
    skipped: tuple[Skip, ...] = ()
    text: str = ""
    series: object = field(default=None, compare=False, hash=False)
    """For logs and metrics: a pandas DataFrame of per-minute counts (see ``logevents``)."""


@dataclass(frozen=True)
class TimeSpan:
    """An interval in UTC with how precise it is and where its zone came from."""

    earliest: datetime
    best: datetime
    latest: datetime
    precision: str
    zone: str
    zone_rule: str
    flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("earliest", "best", "latest"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() != timezone.utc.utcoffset(None):
                raise ValueError(f"TimeSpan.{name} must be aware UTC, got {value!r}")
        if not self.earliest <= self.best <= self.latest:
            raise ValueError("TimeSpan needs earliest <= best <= latest")
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")

    def overlaps(self, other: TimeSpan, tolerance_minutes: float = 0) -> bool:
        slack = tolerance_minutes * 60
        return (self.earliest - other.latest).total_seconds() <= slack and (
            other.earliest - self.latest
        ).total_seconds() <= slack

    @property
    def width_minutes(self) -> float:
        return (self.latest - self.earliest).total_seconds() / 60


@dataclass(frozen=True)
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
    role: str | None = None
    own_time: bool = False
    """True for a post's or update's own timestamp rather than a time written in its text."""


@dataclass(frozen=True)
class Claim:
    """What one source says happened at one time."""

    source: str
    role: str
    kind: str
    span: TimeSpan
    summary: str
    quote: str
    local_text: str
    local: str
    record: int
    primary: bool = False
    line: int | None = None
    lines: tuple[int, ...] = ()
    counts: tuple[tuple[str, float], ...] = ()
    evidence: bool = False


@dataclass(frozen=True)
class Event:
    """One statement, however many sources carry it; its time is its primary claim's."""

    id: str
    kind: str
    span: TimeSpan
    summary: str
    claims: tuple[Claim, ...]
    flags: tuple[str, ...] = ()
    merged_because: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """A once-per-incident milestone that sources place at times that do not overlap."""

    id: str
    kind: str
    events: tuple[str, ...]
    spread_minutes: int
    official: str | None = None
    evidence: tuple[str, ...] = ()
    """Log- or metrics-derived events of the same milestone: what the machines saw."""


@dataclass(frozen=True)
class Timeline:
    events: tuple[Event, ...]
    conflicts: tuple[Conflict, ...]
    sources: tuple[SourceReport, ...]
    window: tuple[datetime, datetime] | None = None
    metrics: dict = field(default_factory=dict, compare=False, hash=False)
    notes: tuple[str, ...] = ()
    unreadable: tuple[Skip, ...] = ()
    """Inputs that could not be used at all (``what`` is the path), so no input goes unaccounted."""


@dataclass(frozen=True)
class SourceReport:
    """Per-source accounting shown in every output: how it was read and what was left out."""

    source: Source
    mentions: int
    used: int
    skipped: tuple[Skip, ...]
    units: dict = field(default_factory=dict, compare=False, hash=False)
    """Units (sentences, posts, updates, log lines) ``read``/``used``/``skipped``, and their ``kind``."""


@dataclass(frozen=True)
class ParsedSource:
    """A source after ``timeparse``: its records, the mentions found in them, what was left out."""

    source: Source
    records: tuple[Record, ...]
    mentions: tuple[Mention, ...]
    skipped: tuple[Skip, ...] = ()
