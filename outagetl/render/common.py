"""Formatting shared by the renderers: how a TimeSpan reads to a person, in UTC and in local zones."""
from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache

from ..invisible import visible
from ..keys import event_label, label_in
from ..lexicon import longest_first
from ..metrics import describe
from ..model import (
    Basis,
    Claim,
    Conflict,
    ConflictReading,
    Correction,
    Event,
    Flag,
    Role,
    Status,
    Taken,
    Timeline,
    TimeSpan,
    ZoneRule,
)
from ..tables import load


def rule_text(rule: ZoneRule | None) -> str:
    return rule.text if rule is not None else ""


_POST_URL = re.compile(r"/(?:status|statuses|post)/([A-Za-z0-9]+)/?$|/@[^/]+/(\d+)/?$")


def safe_url(url: str | None) -> str | None:
    """A source's link only when it is plain http(s) with no space or control character in it:
    a reader may follow it, so a ``javascript:`` or broken address is never offered as a link."""
    if not url or not re.fullmatch(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+", url):
        return None
    return url


def post_id(url: str | None) -> str | None:
    """The post id a platform puts at the end of a post's address: Twitter/X ``/status/<id>``,
    Mastodon ``/@user/<id>`` or ``/statuses/<id>``, Bluesky ``/post/<rkey>``."""
    m = _POST_URL.search(url or "")
    return (m.group(1) or m.group(2)) if m else None


def citation_meta(claim: Claim) -> list[str]:
    """Who said it and where to find it: the author handle, the post id and the address, when known."""
    url = safe_url(claim.url)
    ident = post_id(url)
    return [part for part in (claim.author, f"post {ident}" if ident else None, url) if part]


def zone_text(zone: str | None, rule: ZoneRule | None) -> str:
    """"zone Europe/Rome (pinned:manifest: pinned for this source by sources.toml)"; a source no
    zone was found for is read in UTC, and says so, rather than printing "None"."""
    if not zone:
        zone = "UTC"
    rule = rule or ZoneRule.ASSUMED
    return f"zone {zone} ({rule}: {rule_text(rule)})"


def elsewhere(timeline: Timeline) -> list:
    """Sources none of whose times fall inside the incident window: they may describe another incident."""
    return [r for r in timeline.sources if r.outside and not r.used]


def elsewhere_text(report, timeline: Timeline) -> str:
    n = report.outside
    window = (f" ({timeline.window[0]:%Y-%m-%d %H:%M} – {timeline.window[1]:%Y-%m-%d %H:%M} UTC)"
              if timeline.window else "")
    return (f"{report.source.path}: none of its {n} time{'s' if n != 1 else ''} is inside the incident "
            f"window{window}, so it may describe another incident; to build that one instead, "
            f"choose its window with --since/--until")




def is_explicit(rule: ZoneRule | None) -> bool:
    return rule is not None and rule.explicit


def flags_text(flags: tuple[Flag, ...], sep: str = "; ") -> str:
    """Flags as every output prints them (``zone-season: …``)."""
    return sep.join(str(f) for f in flags)


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def span_text(span: TimeSpan) -> str:
    """'2019-07-03 13:18', '2019-07-03 ~12:00 (11:45–12:15)', '2019-07-03 22:00–07-04 02:00'."""
    best, lo, hi = span.best, span.earliest, span.latest
    if span.precision == "minute":
        return f"{best:%Y-%m-%d %H:%M}"
    if span.precision == "approximate":
        return f"{best:%Y-%m-%d} ~{best:%H:%M} ({_range(lo, hi)})"
    if _whole_days(span):
        return f"{lo:%Y-%m-%d} (day)"
    return f"{lo:%Y-%m-%d} {_range(lo, hi)}"


def _whole_days(span: TimeSpan) -> bool:
    lo, hi = span.earliest, span.latest
    return span.precision == "day" and hi.date() != lo.date() and lo.hour == hi.hour == 0 and lo.minute == 0


def _range(lo: datetime, hi: datetime) -> str:
    if lo.date() == hi.date():
        return f"{lo:%H:%M}–{hi:%H:%M}"
    return f"{lo:%H:%M}–{hi:%m-%d %H:%M}"


def anchor(span: TimeSpan) -> datetime:
    """The instant a compact reading starts with: the best time, or the start of an interval."""
    return span.best if span.precision in ("minute", "approximate") else span.earliest


def clock(span: TimeSpan, zone: str = "UTC", day: bool = True) -> str:
    """Compact: '13:18', '~12:00', '22:00–07-04 02:00'; in ``zone`` with its abbreviation unless UTC.

    With ``day`` the date leads ('2019-07-03 ~12:00'); without it, only a date that differs from
    the UTC reading's ('07-04 01:00 CEST').
    """
    from ..timeparse.zones import zone as zone_info  # here: importing timeparse compiles the text grammar

    tz = zone_info(zone)  # an IANA region, or a fixed offset such as UTC+05:30
    lo, best, hi = (t.astimezone(tz) for t in (span.earliest, span.best, span.latest))
    start = best if span.precision in ("minute", "approximate") else lo
    if day:
        lead = f"{start:%Y-%m-%d} "
    else:
        lead = "" if start.date() == anchor(span).date() else f"{start:%m-%d} "
    if span.precision == "minute":
        text = f"{best:%H:%M}"
    elif span.precision == "approximate":
        text = f"~{best:%H:%M}"
    elif _whole_days(span):
        text = "(day)"
    else:
        text = _range(lo, hi)
    suffix = "" if zone == "UTC" else f" {start:%Z}"
    return f"{lead}{text}{suffix}"


def show_zones(timeline: Timeline, zones: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """The local zones to show: those asked for, else every zone a citation was read in, but UTC."""
    if zones is not None:
        return list(zones)
    found = {c.span.zone for e in timeline.events for c in e.claims}
    return sorted(z for z in found if z not in ("UTC", "Etc/UTC"))


def conflicts_by_event(timeline: Timeline) -> dict[str, list[Conflict]]:
    out: dict[str, list[Conflict]] = {}
    for conflict in timeline.conflicts:
        for event_id in conflict.events:
            out.setdefault(event_id, []).append(conflict)
    return out



_BASIS_TEXT = {
    Basis.MILESTONE: "",
    Basis.TWO_ZONES: "one time written in two zones that disagree",
    Basis.SAME_WORDS: "the same words, dated differently",
    Basis.SAME_FIGURE: "the same figure, dated differently",
}


def conflict_heading(c: Conflict) -> str:
    """'C1: start, 3 readings 90 min apart; the official source is status.json (E3)'."""
    basis = _BASIS_TEXT.get(c.basis, "")
    what = f"{c.kind} ({basis})" if basis else str(c.kind)
    official = ""
    if c.official:
        names = sorted({r.claim.source for r in c.readings if r.event == c.official and r.claim.role == Role.OFFICIAL})
        official = f"; the official source is {', '.join(names)} ({c.official})" if names else f"; the official source is {c.official}"
    count = len(c.readings) or len(c.events)
    return f"{c.id}: {what}, {count} readings {c.spread_minutes} min apart{official}"


def reading_as(r: ConflictReading) -> str:
    """How a reading took its citation's words: '“9:18 AM EST” = 2019-07-03 09:18 UTC-05:00 (zone as written)'."""
    how = " (zone as written)" if r.taken is Taken.ZONE_AS_WRITTEN else ""
    if r.earlier:
        how += " (an earlier end this source gives)"
    if r.context:
        how += f" ({r.claim.kind}: this source's last word on it)"
    return f"“{r.claim.local_text}” = {r.local or r.claim.local}{how}"


def conflict_others(c: Conflict, event_id: str, lead: str = "with") -> str:
    """'with E4, E7', or, for a conflict between one event's own citations, what it is within."""
    others = [e for e in c.events if e != event_id]
    return f"{lead} {', '.join(others)}" if others else "between this event's own citations"


def event_by_id(timeline: Timeline) -> dict[str, Event]:
    return {e.id: e for e in timeline.events}


def reading(claim: Claim) -> str:
    """One line a fact-checker can verify: what was read, as what, in which zone and why."""
    flags = f"; flags: {flags_text(claim.span.flags)}" if claim.span.flags else ""
    return (f"read “{claim.local_text}” as {claim.local} = {span_text(claim.span)} UTC; zone {claim.span.zone} "
            f"({claim.span.zone_rule}: {rule_text(claim.span.zone_rule)}){flags}")


def zone_assumptions(timeline: Timeline) -> list[tuple[Event, Claim]]:
    """Citations whose zone was not written next to the time: every one is an assumption to check."""
    return [(e, c) for e in timeline.events for c in e.claims if not is_explicit(c.span.zone_rule)]


def flagged(timeline: Timeline) -> list[tuple[Event, Claim, str]]:
    return [(e, c, str(f)) for e in timeline.events for c in e.claims for f in c.span.flags]


def _found(words, text: str) -> list[str]:
    low = text.lower()
    hits = [w for w in longest_first(words) if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", low)]
    return [w for w in hits if not any(w != h and w in h for h in hits)]


def widening(span: TimeSpan, local_text: str) -> str:
    """How far the interval reaches around the best time, and which hedge or part-of-day word made it so."""
    before = round((span.best - span.earliest).total_seconds() / 60)
    after = round((span.latest - span.best).total_seconds() / 60)
    if before == after == 0:
        return f"none ({span.precision} precision, read as written)"
    hedges = load("hedges")
    widening_words = {w for w, v in hedges["before"].items() if v.get("widen") != [0, 0, 0]}
    widening_words |= {w for w, v in hedges.get("after", {}).items() if v.get("widen") != [0, 0, 0]}
    words = [f"hedge “{w}” (hedges.toml)" for w in _found(widening_words, local_text)]
    words += [f"part of day “{w}” (dayparts.toml)" for w in _found(load("dayparts").get("parts", {}), local_text)]
    why = "; ".join(words) if words else f"{span.precision} precision"
    return f"−{before} min / +{after} min around the best time: {why}"


def evidence_lines(timeline: Timeline, conflict) -> list[str]:
    """What the machines saw for a disputed milestone, per log: "logs: cdn.log errors 12:02–23:51 UTC (E2, E8)"."""
    events = event_by_id(timeline)
    out = []
    by_source: dict[str, list[Event]] = {}
    for e in timeline.events:
        for claim in e.claims:
            if claim.evidence and e.kind in ("start", "resolved"):
                by_source.setdefault(claim.source, []).append(e)
    wanted = {x for x in conflict.evidence}
    for source, evs in sorted(by_source.items()):
        if not wanted & {e.id for e in evs}:
            continue
        onset = next((e for e in evs if e.kind == "start"), None)
        back = next((e for e in evs if e.kind == "resolved"), None)
        ids = ", ".join(e.id for e in (onset, back) if e)
        if onset and back:
            span = f"errors {onset.span.best:%H:%M}–{back.span.best:%H:%M} UTC"
        elif onset:
            span = f"errors from {onset.span.best:%H:%M} UTC, still high where it ends"
        else:
            span = f"errors back to baseline at {back.span.best:%H:%M} UTC"
        out.append(f"logs: {source.rsplit('/', 1)[-1]} {span} ({ids})")
    if not out and conflict.evidence:
        out = ["logs: " + ", ".join(f"{x} {events[x].summary}" for x in conflict.evidence if x in events)]
    return out


def event_name(event: Event) -> str:
    """The short id with the stable key beside it: 'E4 (3fa9c01b)'."""
    return event_label(event)


def decision_text(timeline: Timeline, c: Correction) -> str:
    """One decision as a line: 'D3 (alice, 2024-05-02) E2 (key): kind set to update — why', with its status."""
    where = c.source if c.source and c.target == c.source else label_in(timeline, c.target)
    why = f" — {c.why}" if c.why else ""
    state = f" [orphaned: {c.reason}]" if c.status == Status.ORPHANED else (f" [{c.reason}]" if c.reason else "")
    return f"{c.label} ({c.by}, {c.at:%Y-%m-%d %H:%M} UTC) {where}: {c.detail}{why}{state}"


def source_corrections(timeline: Timeline, path: str) -> list[Correction]:
    """The applied decisions about one source (zone, publication time, role, one author's zone)."""
    return [c for c in timeline.decisions if c.source == path and c.target == path and c.status == Status.APPLIED]


def visible_timeline(timeline: Timeline) -> Timeline:
    """The timeline with every string in it passed through ``visible`` (quotes, summaries, paths,
    titles, authors, reasons): what every text renderer prints, so none can pass a terminal escape,
    a right-to-left override or a zero-width character through. Objects with nothing to change are
    kept as they are.

    The last timeline made visible is remembered with its visible copy (a timeline is immutable):
    rendering one timeline in several formats walks its 200,000 events once, not once a format."""
    if _LAST and _LAST[0] is timeline:
        return _LAST[1]
    shown = _shown(timeline, {})
    _LAST[:] = [timeline, shown]
    return shown


_LAST: list = []


_ATOMS = frozenset({type(None), bool, int, float, datetime, date, timedelta})


def _shown(value, memo: dict):
    kind = type(value)
    if kind is str:
        return visible(value)
    if kind in _ATOMS or isinstance(value, Enum):
        return value
    key = id(value)
    if key in memo:
        return memo[key]
    out = value
    names = _init_fields(kind)
    if names is not None:
        changes = {}
        for name in names:
            old = getattr(value, name)
            new = _shown(old, memo)
            if new is not old:
                changes[name] = new
        out = replace(value, **changes) if changes else value
    elif kind is tuple or kind is list:
        if not value:
            return value
        items = [_shown(v, memo) for v in value]
        if any(a is not b for a, b in zip(items, value, strict=True)):
            out = kind(items)
    elif kind is dict:
        pairs = [(_shown(k, memo), _shown(v, memo)) for k, v in value.items()]
        if any(a is not k or b is not v for (a, b), (k, v) in zip(pairs, value.items(), strict=True)):
            out = dict(pairs)
    elif isinstance(value, str):
        return visible(value)
    if out is not value:
        # Only what changed is remembered (an object met again is given the same copy); what did
        # not change is the object itself, met again or not: a memo of every object of 200,000
        # events would outweigh them.
        memo[key] = out
    return out


@cache
def _init_fields(kind: type) -> tuple[str, ...] | None:
    """A dataclass's fields that its constructor takes; None for any other type."""
    if not is_dataclass(kind):
        return None
    return tuple(f.name for f in fields(kind) if f.init)


def metric_range(m: dict) -> str:
    """A metric's range as printed: '1h05m to 1h15m'; a range that reaches below zero is no fact,
    so it is given as what it reaches up to and the events that cause it."""
    if m.get("flags"):
        top = f"up to {describe(m['max'])}; " if m["max"] >= 0 else ""
        return top + "; ".join(m["flags"])
    return "" if m["min"] == m["max"] else f"{describe(m['min'])} to {describe(m['max'])}"
