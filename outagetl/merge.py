"""Claims → events and conflicts.

One event per statement: claims are joined when they are the same words (a quote found in
another source's text, by rapidfuzz partial matching) at compatible times, or when one source
says the same milestone twice. Then, for the milestones an incident has once, the events the
sources give are compared, and the ones that cannot all be true at once become a conflict.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

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


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(str.maketrans("’‘“”", "''\"\""))
    text = re.sub(r"https?://\S+|#\w+|@\w+", " ", text.lower())
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


def quotes(text: str) -> list[str]:
    """Passages a text quotes: within quotation marks, or after a colon that introduces them."""
    out = []
    for m in _QUOTED.finditer(text):
        passage = m.group(1) or m.group(2)
        out.append(normalise(passage))
    return [q for q in out if len(q) >= QUOTE_MIN_CHARS]


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
    events = [_event(group, reasons) for group in groups]
    events.sort(key=lambda e: (e.span.best, e.span.earliest, KINDS.index(e.kind), e.summary, e.claims[0].source))
    events = [Event(f"E{i}", e.kind, e.span, e.summary, e.claims, e.flags, e.merged_because) for i, e in enumerate(events, 1)]
    return Merged(tuple(events), tuple(conflicts(events)), tuple(skipped), window, tuple(clock_skew(events)))


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
    timed = sorted((c for c in claims if c.span.precision != "day"), key=lambda c: c.span.best) or sorted(claims, key=lambda c: c.span.best)
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


def _overlapping_pairs(claims: list[Claim]) -> list[tuple[int, int]]:
    """Only claims whose times overlap can be one statement: a sweep over start times finds those
    pairs without comparing every claim with every other; they are visited in index order."""
    slack = timedelta(minutes=TOLERANCE_MINUTES)
    order = sorted(range(len(claims)), key=lambda k: (claims[k].span.earliest, k))
    pairs = []
    for p, i in enumerate(order):
        a = claims[i]
        for j in order[p + 1:]:
            b = claims[j]
            if b.span.earliest > a.span.latest + slack:
                break
            if a.span.overlaps(b.span, TOLERANCE_MINUTES):
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


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
