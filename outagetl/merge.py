"""Claims → events and conflicts.

One event per statement: claims are joined when they are the same words (a quote found in
another source's text, by rapidfuzz partial matching) at compatible times, or when one source
says the same milestone twice. Then, for the milestones an incident has once, the events the
sources give are compared, and the ones that cannot all be true at once become a conflict.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from rapidfuzz import fuzz

from .model import KINDS, Claim, Conflict, Event, Skip

ONCE = ("start", "detected", "acknowledged", "resolved")
STRONG = ("start", "detected", "acknowledged", "mitigated", "resolved")
TOLERANCE_MINUTES = 5
QUOTE_SCORE = 90
QUOTE_MIN_CHARS = 30
RUN_GAP_HOURS = 96  # an incident's statements are rarely four days apart; other incidents usually are
QUOTE_MAX_CHARS = 1500
PARAPHRASE_SCORE = 55
_ROLE_RANK = {"official": 0, "system": 1, "press": 2, "public": 3}
_QUOTED = re.compile(rf"[\"“]([^\"“”]{{{QUOTE_MIN_CHARS},}})[\"”]|:\s+(.{{{QUOTE_MIN_CHARS},}})$")


@dataclass(frozen=True)
class Merged:
    events: tuple[Event, ...]
    conflicts: tuple[Conflict, ...]
    skipped: tuple[Skip, ...]
    window: tuple[datetime, datetime] | None
    notes: tuple[str, ...] = ()


@lru_cache(maxsize=1 << 15)
def normalise(text: str) -> str:
    """Text for comparing words: case, punctuation, links, tags and handles set aside. Cached,
    since every pair of overlapping claims compares the same few thousand texts again."""
    text = unicodedata.normalize("NFKC", text).translate(str.maketrans("’‘“”", "''\"\""))
    text = re.sub(r"https?://\S+|#\w+|@\w+", " ", text.lower())
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


@lru_cache(maxsize=1 << 15)
def quotes(text: str) -> tuple[str, ...]:
    """Passages a text quotes: within quotation marks, or after a colon that introduces them."""
    out = []
    for m in _QUOTED.finditer(text):
        passage = m.group(1) or m.group(2)
        out.append(normalise(passage))
    return tuple(q for q in out if len(q) >= QUOTE_MIN_CHARS)


def same_words(a: Claim, b: Claim) -> float:
    """How well one claim's quoted passage (or a post's whole text) is found in the other's text."""
    best = 0.0
    for x, y in ((a, b), (b, a)):
        passages = [normalise(x.quote)[:QUOTE_MAX_CHARS]] if x.primary else [q[:QUOTE_MAX_CHARS] for q in quotes(x.quote)]
        target = normalise(y.quote)[: QUOTE_MAX_CHARS * 4]
        for passage in passages:
            if len(passage) < QUOTE_MIN_CHARS or not target:
                continue
            if len(passage) > len(target):
                passage, target = target, passage
                if len(passage) < QUOTE_MIN_CHARS:
                    continue
            best = max(best, fuzz.partial_ratio(passage, target))
    return best


def merge(claims: list[Claim], since: datetime | None = None, until: datetime | None = None) -> Merged:
    claims = sorted(claims, key=_claim_key)
    claims, skipped = _drop_subsumed(claims)
    window = _window(claims, since, until)
    kept = []
    for claim in claims:
        if window and not window[0] <= claim.span.best <= window[1]:
            skipped.append(Skip(claim.source, repr(claim.local_text), f"outside the incident window ({_iso(window[0])} – {_iso(window[1])})", claim.line))
        else:
            kept.append(claim)
    groups, reasons = _group(kept)
    events = numbered(_event(group, reasons) for group in groups)
    return Merged(tuple(events), tuple(conflicts(events)), tuple(skipped), window, tuple(clock_skew(events)))


def numbered(events) -> list[Event]:
    """Events in time order, numbered E1, E2, …: a short id is a position (the key is what stays)."""
    ordered = sorted(events, key=lambda e: (e.span.best, e.span.earliest, KINDS.index(e.kind), e.summary,
                                            e.claims[0].source))
    return [replace(e, id=f"E{i}") for i, e in enumerate(ordered, 1)]


def event_of(claims, merged_because=()) -> Event:
    """One event from claims a user says are one statement (a case file's ``merge`` or ``split``)."""
    return replace(_event(list(claims), {}), merged_because=tuple(merged_because))


def incident_window(claims: list[Claim], since: datetime | None = None, until: datetime | None = None):
    """The window merge would use; logs without a year are placed by it before they are read."""
    return _window(sorted(claims, key=_claim_key), since, until)


def _claim_key(c: Claim):
    return (c.span.best, c.source, c.record, c.kind, c.local_text, c.summary)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%MZ")


def _drop_subsumed(claims: list[Claim]) -> tuple[list[Claim], list[Skip]]:
    """A date-only claim adds nothing when the same source gives that milestone a time that day."""
    kept, skipped = [], []
    for claim in claims:
        if claim.span.precision == "day":
            finer = [c for c in claims if c.source == claim.source and c.kind == claim.kind
                     and c.span.precision != "day" and claim.span.earliest <= c.span.best <= claim.span.latest]
            if finer:
                skipped.append(Skip(claim.source, repr(claim.local_text), f"date only; the same source gives this {claim.kind} a time ({finer[0].local_text!r})", claim.line))
                continue
        kept.append(claim)
    return kept, skipped


def _window(claims: list[Claim], since, until) -> tuple[datetime, datetime] | None:
    """The incident is the densest run of claims (gaps under four days), unless the user says."""
    if since or until:
        lo = since or min((c.span.earliest for c in claims), default=datetime.min)
        hi = until or max((c.span.latest for c in claims), default=datetime.max)
        return lo, hi
    # Log and metrics evidence never decides the incident alone: the run is chosen from what the
    # sources say (a log's first and last error must not outweigh a story's two times).
    said = [c for c in claims if not c.evidence] or claims
    timed = sorted((c for c in said if c.span.precision != "day"), key=lambda c: c.span.best) or sorted(said, key=lambda c: c.span.best)
    if not timed:
        return None
    runs, current = [], [timed[0]]
    for claim in timed[1:]:
        if claim.span.best - current[-1].span.best > timedelta(hours=RUN_GAP_HOURS):
            runs.append(current)
            current = []
        current.append(claim)
    runs.append(current)
    run = max(runs, key=lambda r: (len({c.source for c in r}), len(r), -r[0].span.best.timestamp()))
    return min(c.span.earliest for c in run) - timedelta(hours=12), max(c.span.latest for c in run) + timedelta(hours=12)


def _group(claims: list[Claim]) -> tuple[list[list[Claim]], dict]:
    parent = list(range(len(claims)))
    reasons: dict[int, list[str]] = {}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _overlapping_pairs(claims):
        a, b = claims[i], claims[j]
        why = _same_statement(a, b)
        if why and root(i) != root(j):
            parent[root(j)] = root(i)
            reasons.setdefault(id(a), []).append(why)
            reasons.setdefault(id(b), []).append(why)
    groups: dict[int, list[Claim]] = {}
    for i, claim in enumerate(claims):
        groups.setdefault(root(i), []).append(claim)
    return list(groups.values()), reasons


def _overlapping_pairs(claims: list[Claim]) -> Iterator[tuple[int, int]]:
    """The pairs of claims that could be one statement, yielded in index order (i < j ascending),
    one claim's at a time, so memory stays flat however many claims overlap (24,000 posts in the
    same hours are millions of pairs). Only claims whose times overlap qualify, and of one source's
    claims only those of the same milestone whose times meet without tolerance (``_same_statement``
    asks no more of them); log evidence is never merged. Partners are found by bisection in
    time-sorted indexes rather than by a scan."""
    slack = TOLERANCE_MINUTES * 60 * _US
    lows = [_micros(c.span.earliest) for c in claims]
    highs = [_micros(c.span.latest) for c in claims]
    bests = [_micros(c.span.best) for c in claims]
    own: dict[tuple, list[int]] = {}
    by_source: dict[str, list[int]] = {}
    for k, c in enumerate(claims):
        if c.evidence:
            continue
        own.setdefault(_own_key(c), []).append(k)
        by_source.setdefault(c.source, []).append(k)
    # Other sources' claims: a source with many claims (an export of thousands of posts) gets its
    # own index, so that its posts never scan each other; the small ones share one.
    big = {src: _TimeIndex(ks, lows, highs, bests) for src, ks in by_source.items() if len(ks) >= _BIG_SOURCE}
    pooled = _TimeIndex(sorted(k for src, ks in by_source.items() if src not in big for k in ks), lows, highs, bests)
    own_index = {key: _TimeIndex(ks, lows, highs, bests) for key, ks in own.items()}
    for i, c in enumerate(claims):
        if c.evidence:
            continue
        partners = own_index[_own_key(c)].partners(i, 0)
        partners += [j for j in pooled.partners(i, slack) if claims[j].source != c.source]
        for src, index in big.items():
            if src != c.source:
                partners += index.partners(i, slack)
        for j in sorted(partners):
            yield i, j


_BIG_SOURCE = 256


def _own_key(claim: Claim) -> tuple:
    """Claims of one source that may be one statement: the same strong milestone, or the same
    milestone in the same record."""
    return (claim.source, claim.kind) if claim.kind in STRONG else (claim.source, claim.kind, claim.record)


class _TimeIndex:
    """Claims by best time, within classes of similar width: class b holds the claims narrower
    than 2**b minutes, so a partner's best time lies within that width of the claim's interval."""

    def __init__(self, members: list[int], lows: list[int], highs: list[int], bests: list[int]):
        self.lows, self.highs = lows, highs
        classes: dict[int, list[int]] = {}
        for k in members:
            classes.setdefault(((highs[k] - lows[k]) // (60 * _US)).bit_length(), []).append(k)
        self.classes = []
        for width_class, ks in sorted(classes.items()):
            ks.sort(key=lambda k: (bests[k], k))
            self.classes.append(((1 << width_class) * 60 * _US, [bests[k] for k in ks], ks))

    def partners(self, i: int, slack: int) -> list[int]:
        """The members after ``i`` whose intervals meet claim ``i``'s within ``slack`` microseconds."""
        lows, highs = self.lows, self.highs
        lo, hi = lows[i], highs[i]
        out = []
        for width, bests, ks in self.classes:
            first = bisect_left(bests, lo - slack - width)
            last = bisect_right(bests, hi + slack + width)
            out += [j for j in ks[first:last] if j > i and lows[j] - hi <= slack and lo - highs[j] <= slack]
        return out


_US = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _micros(when: datetime) -> int:
    """Microseconds since the epoch, exact (float seconds would blur the tolerance's edge)."""
    return (when - _EPOCH) // timedelta(microseconds=1)


def _same_statement(a: Claim, b: Claim) -> str | None:
    if a.evidence or b.evidence:
        return None
    if a.source == b.source:
        if not a.span.overlaps(b.span):
            return None
        if a.record == b.record and a.kind == b.kind and abs((a.span.best - b.span.best).total_seconds()) < 60:
            return "the same time written twice in one sentence"
        if a.kind == b.kind and a.kind in STRONG:
            return f"{a.source} states this {a.kind} twice"
        return None
    score = same_words(a, b)
    if score >= QUOTE_SCORE:
        return f"same words in {a.source} and {b.source} (match {score:.0f}%)"
    if a.primary != b.primary and a.kind == b.kind and a.kind in STRONG:
        post, story = (a, b) if a.primary else (b, a)
        overlap = fuzz.token_set_ratio(normalise(post.quote), normalise(story.quote))
        if overlap >= PARAPHRASE_SCORE and story.span.earliest <= post.span.best + timedelta(minutes=TOLERANCE_MINUTES):
            return f"{story.source} paraphrases {post.source} at a compatible time (word overlap {overlap:.0f}%)"
    return None


def _primary(claim: Claim):
    return (not claim.primary, _ROLE_RANK.get(claim.role, 9), claim.span.precision.rank,
            claim.span.width_minutes, claim.source, claim.record)


def _event(group: list[Claim], reasons: dict) -> Event:
    ordered = sorted(group, key=_primary)
    primary = ordered[0]
    kind = primary.kind
    if kind not in STRONG:
        strong = [c.kind for c in ordered if c.kind in STRONG]
        kind = strong[0] if strong else kind
    why = tuple(dict.fromkeys(r for c in group for r in reasons.get(id(c), [])))
    return Event("", kind, primary.span, primary.summary, tuple(ordered), primary.span.flags, why)


def conflicts(events: list[Event]) -> list[Conflict]:
    out = []
    for kind in ONCE:
        chosen: dict[str, Event] = {}
        for event in events:
            if event.kind != kind or all(c.evidence for c in event.claims):
                continue
            for claim in event.claims:
                if claim.evidence:
                    continue
                held = chosen.get(claim.source)
                later = kind == "resolved"
                if held is None or (event.span.best > held.span.best if later else event.span.best < held.span.best):
                    chosen[claim.source] = event
        distinct = sorted({e.id: e for e in chosen.values()}.values(), key=lambda e: (e.span.best, e.id))
        if len(distinct) < 2:
            continue
        if all(_compatible(a, b, kind) for i, a in enumerate(distinct) for b in distinct[i + 1:]):
            continue
        spread = (max(e.span.best for e in distinct) - min(e.span.best for e in distinct)).total_seconds() / 60
        official = next((e.id for e in distinct if any(c.role == "official" for c in e.claims)), None)
        evidence = tuple(e.id for e in events if e.kind == kind and all(c.evidence for c in e.claims))
        out.append(Conflict(f"C{len(out) + 1}", kind, tuple(e.id for e in distinct), round(spread), official, evidence))
    return out


ANNOUNCE_LAG_MINUTES = 15


def _compatible(a: Event, b: Event, kind: str) -> bool:
    """Two readings of a milestone can both be true. An official post's own time is when a fix was
    announced, so a report that it was resolved a little before the announcement agrees with it."""
    if a.span.overlaps(b.span, TOLERANCE_MINUTES):
        return True
    if kind != "resolved":
        return False
    for post, other in ((a, b), (b, a)):
        if post.claims[0].primary and other.span.latest <= post.span.best and \
                (post.span.best - other.span.latest).total_seconds() <= ANNOUNCE_LAG_MINUTES * 60:
            return True
    return False


SKEW_MIN_MINUTES = 30
SKEW_AGREEMENT_MINUTES = 10


def clock_skew(events: list[Event]) -> list[str]:
    """A log whose onset and recovery both sit the same distance from what the other sources say
    is more likely on the wrong clock (or zone) than describing another outage."""
    notes = []
    logs = sorted({c.source for e in events for c in e.claims if c.evidence})
    for log in logs:
        diffs = []
        for kind in ("start", "resolved"):
            own = [e for e in events if e.kind == kind and any(c.evidence and c.source == log for c in e.claims)]
            others = [e for e in events if e.kind == kind and not any(c.evidence for c in e.claims)]
            if own and others:
                ref = min(others, key=lambda e: abs((e.span.best - own[0].span.best).total_seconds()))
                diffs.append(((own[0].span.best - ref.span.best).total_seconds() / 60, kind, own[0].id, ref.id))
        if not diffs:
            continue
        values = [d[0] for d in diffs]
        mean = sum(values) / len(values)
        agree = max(values) - min(values) <= SKEW_AGREEMENT_MINUTES
        whole_hours = abs(mean - round(mean / 60) * 60) <= SKEW_AGREEMENT_MINUTES
        if abs(mean) >= SKEW_MIN_MINUTES and agree and (len(diffs) > 1 or whole_hours):
            pairs = ", ".join(f"{own} vs {ref} ({kind})" for _, kind, own, ref in diffs)
            sign = "later" if mean > 0 else "earlier"
            notes.append(f"clock-skew: {log} sits about {abs(mean):.0f} min {sign} than the other sources "
                         f"({pairs}); check the zone or clock of that log (e.g. --log-tz)")
    return notes
