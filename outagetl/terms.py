"""The model's closed sets of terms: the milestone kinds, precisions, roles, zone and language
rules, flag codes, bounds, origins, page furniture, case actions and conflict bases.

They live apart from the value classes of ``model`` (which re-exports every one) because a command
that only names them, ``outagetl --help`` listing its choices, should not pay for building every
dataclass: start-up is what a user feels on each usage error."""
from __future__ import annotations

from enum import StrEnum


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


# Kept for readers of the old tuples (and ordering): the enum members in their order.
PRECISIONS = tuple(Precision)
KINDS = tuple(Kind)
ROLES = tuple(Role)
