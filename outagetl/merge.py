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
from itertools import pairwise

from .collector import new_objects_only
from .model import (
    KINDS,
    ONCE_KINDS,
    Action,
    Basis,
    Claim,
    Conflict,
    ConflictReading,
    Event,
    FlagCode,
    Kind,
    Origin,
    Precision,
    Skip,
    Status,
    Taken,
    TimeSpan,
)
from .timeparse.zones import fixed_zone_name
from .timeparse.zones import zone as zone_info

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


@lru_cache(maxsize=1)
def _fuzz():
    """rapidfuzz's ``fuzz``, imported when two texts are first compared: a build of logs alone
    never compares any, and the import is 10-20 ms of its start-up."""
    from rapidfuzz import fuzz

    return fuzz


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


def same_words(a: Claim, b: Claim, cutoff: float = 0) -> float:
    """How well one claim's quoted passage (or a post's whole text) is found in the other's text;
    0 for scores under ``cutoff`` (rapidfuzz then gives up on a window as soon as it cannot reach it)."""
    return max(_found_in(_passages(a), _target(b), cutoff), _found_in(_passages(b), _target(a), cutoff))


def _passages(claim: Claim) -> tuple[str, ...]:
    """What a claim offers to be found in another's text: a post's whole text, or a story's quoted passages."""
    if claim.primary:
        return (normalise(claim.quote)[:QUOTE_MAX_CHARS],)
    return tuple(q[:QUOTE_MAX_CHARS] for q in quotes(claim.quote))


def _target(claim: Claim) -> str:
    """The text another claim's passages are sought in."""
    return normalise(claim.quote)[: QUOTE_MAX_CHARS * 4]


def _found_in(passages: tuple[str, ...], target: str, cutoff: float) -> float:
    """The best score of ``passages`` in ``target`` (the shorter sought in the longer)."""
    best = 0.0
    for passage in passages:
        if len(passage) < QUOTE_MIN_CHARS or not target:
            continue
        # The shorter is sought in the longer, for this passage only: ``target`` stays the text
        # the next passage is sought in.
        shorter, longer = (target, passage) if len(passage) > len(target) else (passage, target)
        if len(shorter) < QUOTE_MIN_CHARS:
            continue
        best = max(best, _partial_ratio(shorter, longer, cutoff))
    return best


@lru_cache(maxsize=1 << 16)
def _partial_ratio(passage: str, target: str, cutoff: float) -> float:
    """rapidfuzz's partial_ratio, memoised: stories that quote one official statement compare
    that same passage with every text near it in time, again for each story."""
    return _fuzz().partial_ratio(passage, target, score_cutoff=cutoff)


def merge(claims: list[Claim], since: datetime | None = None, until: datetime | None = None) -> Merged:
    with new_objects_only():
        return _merge(claims, since, until)


def _merge(claims: list[Claim], since: datetime | None, until: datetime | None) -> Merged:
    claims = sorted(claims, key=_claim_key)
    claims, skipped = _drop_subsumed(claims)
    window = _window(claims, since, until)
    kept = []
    outside = f"outside the incident window ({_iso(window[0])} – {_iso(window[1])})" if window else ""
    for claim in claims:
        if window and not window[0] <= claim.span.best <= window[1]:
            skipped.append(Skip(claim.source, repr(claim.local_text), outside, claim.line))
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
    """A date-only claim adds nothing when the same source gives that milestone a time that day.

    The timed claims are indexed by (source, kind), each list in the claims' order, which is by
    best time (``_claim_key``): the first timed claim within the day is found by bisection, not by
    a scan of every claim."""
    timed: dict[tuple, tuple[list[datetime], list[Claim]]] = {}
    for c in claims:
        if c.span.precision != "day":
            bests, members = timed.setdefault((c.source, c.kind), ([], []))
            bests.append(c.span.best)
            members.append(c)
    kept, skipped = [], []
    for claim in claims:
        if claim.span.precision == "day" and (claim.source, claim.kind) in timed:
            bests, members = timed[(claim.source, claim.kind)]
            at = bisect_left(bests, claim.span.earliest)
            if at < len(bests) and bests[at] <= claim.span.latest:
                skipped.append(Skip(claim.source, repr(claim.local_text), f"date only; the same source gives this {claim.kind} a time ({members[at].local_text!r})", claim.line))
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
    """Claims joined into statements. Joining is transitive, but never so that one source's two
    stated times that disagree end up in one event through a vaguer third ("on the morning of the
    3rd" overlaps both "at 9:30" and "around 11", which are two statements)."""
    parent = list(range(len(claims)))
    reasons: dict[int, list[str]] = {}
    # Per group of more than one claim: each source's distinct stated spans (minute, approximate,
    # hour). A claim alone has only its own, built when a join asks (most claims never join).
    stated: dict[int, dict[str, set[tuple]]] = {}

    def stated_of(r: int) -> dict[str, set[tuple]]:
        found = stated.get(r)
        if found is None:
            c = claims[r]
            found = {c.source: {(c.span.earliest, c.span.best, c.span.latest)}} if c.span.precision in STATED else {}
        return found

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    own = _OwnGroups(claims)
    for i, j in _overlapping_pairs(claims, own):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        a, b = claims[i], claims[j]
        why = _same_statement(a, b)
        if not why or not _joinable(stated_of(ri), stated_of(rj)):
            continue
        parent[rj] = ri
        own.joined(ri, rj)
        mine, theirs = stated_of(ri), stated_of(rj)
        stated.pop(rj, None)
        for source, spans in theirs.items():
            mine.setdefault(source, set()).update(spans)
        if mine:
            stated[ri] = mine
        reasons.setdefault(id(a), []).append(why)
        reasons.setdefault(id(b), []).append(why)
    groups: dict[int, list[Claim]] = {}
    for i, claim in enumerate(claims):
        groups.setdefault(root(i), []).append(claim)
    return list(groups.values()), reasons


class _OwnGroups:
    """How many groups the claims of each own key (``_own_key``: one source's one strong milestone
    from one author, or one milestone in one record) are in, kept as groups join (each group's keys
    merged, the smaller into the larger). Once a key's claims are all one group, every pair of them
    is inside it and need not be listed again: 8,000 copies of one line in one source are 32
    million such pairs, and the first claim's joins make them one group."""

    def __init__(self, claims: list[Claim]):
        self.key = [None if c.evidence else _own_key(c) for c in claims]
        """Each claim's own key (None for log evidence, which is never merged), made once."""
        self._groups: dict[tuple, int] = {}
        for key in self.key:
            self._groups[key] = self._groups.get(key, 0) + 1
        self._keys: dict[int, set[tuple]] = {}  # per root of a group of more than one claim

    def joined(self, ri: int, rj: int) -> None:
        """The group of root ``rj`` has joined the group of root ``ri``."""
        mine = self._keys.pop(ri, None) or {self.key[ri]}
        theirs = self._keys.pop(rj, None) or {self.key[rj]}
        if len(mine) < len(theirs):
            mine, theirs = theirs, mine
        for key in theirs:
            if key in mine:
                self._groups[key] -= 1
            else:
                mine.add(key)
        self._keys[ri] = mine

    def apart(self, key: tuple) -> bool:
        """Whether the claims of ``key`` are still in more than one group."""
        return self._groups.get(key, 0) > 1


def _joinable(a: dict[str, set[tuple]], b: dict[str, set[tuple]]) -> bool:
    """Whether two groups' stated times agree, source by source, so that joining them keeps each
    source's times one reading."""
    for source in a.keys() & b.keys():
        for x in a[source]:
            for y in b[source]:
                if not _agree_bounds(x, y):
                    return False
    return True


def _overlapping_pairs(claims: list[Claim], groups: _OwnGroups | None = None) -> Iterator[tuple[int, int]]:
    """The pairs of claims that could be one statement, yielded in index order (i < j ascending),
    one claim's at a time, so memory stays flat however many claims overlap (24,000 posts in the
    same hours are millions of pairs). Only claims whose times overlap qualify, and of one source's
    claims only those of the same milestone whose times meet without tolerance (``_same_statement``
    asks no more of them); log evidence is never merged. Of two sources' claims, at least one must
    have words to offer (``_wordy``): two stories that quote nothing are never one statement, so
    thousands of stories about one afternoon are not compared pair by pair. Partners are found by
    bisection in time-sorted indexes rather than by a scan. ``groups`` (``_OwnGroups``, kept by the
    caller as it joins groups) gives each claim's own key and says whether the claims of a key are
    still in more than one group when a claim's partners are listed: when they are not, their
    pairs would all be within one group, and are not listed."""
    groups = groups or _OwnGroups(claims)
    keys = groups.key
    slack = TOLERANCE_MINUTES * 60 * _US
    lows = [_micros(c.span.earliest) for c in claims]
    highs = [_micros(c.span.latest) for c in claims]
    bests = [_micros(c.span.best) for c in claims]
    own: dict[tuple, list[int]] = {}
    by_source: dict[str, tuple[list[int], list[int]]] = {}  # (wordy, plain)
    wordy = [False] * len(claims)
    for k, c in enumerate(claims):
        if c.evidence:
            continue
        own.setdefault(keys[k], []).append(k)
        wordy[k] = _wordy(c)
        by_source.setdefault(c.source, ([], []))[0 if wordy[k] else 1].append(k)
    words = _Words(claims)
    big_sources = {src for src, parts in by_source.items() if len(parts[0]) + len(parts[1]) >= _BIG_SOURCE}
    quoted = _Quoted(claims, wordy, words, big_sources, lambda ks: _TimeIndex(ks, lows, highs, bests), slack)
    # Other sources' claims: a source with many claims (an export of thousands of posts) gets its
    # own indexes, so that its posts never scan each other; the small ones share two. The stories
    # that quote a passage many quote are in that passage's indexes (``_Quoted``) instead.
    big = {src: tuple(_TimeIndex(ks, lows, highs, bests) for ks in parts) for src, parts in by_source.items()
           if src in big_sources}
    pooled = tuple(_TimeIndex(sorted(k for src, parts in by_source.items() if src not in big for k in parts[n]
                                     if not quoted.quoting(k)), lows, highs, bests) for n in (0, 1))
    # One source's claims of one milestone: most keys hold a single claim, which has no partner.
    # Of a weak milestone in one record, only the same time written twice is one statement: its
    # partners are found by best time alone (a sentence of 2,000 wide times is not 2 M pairs).
    own_index = {key: _TimeIndex(ks, lows, highs, bests) for key, ks in own.items() if len(ks) > 1}
    joinable = words.joinable
    for i, c in enumerate(claims):
        if c.evidence:
            continue
        key = keys[i]
        index = own_index.get(key) if groups.apart(key) else None
        partners = [] if index is None else index.partners(i, 0) if c.kind in STRONG else index.near(i, _SAME_TIME)
        # A story quoting a passage many quote meets the plain claims through the ones that hold it.
        for n in (0,) if not wordy[i] or quoted.quoting(i) else (0, 1):
            partners += joinable(i, [j for j in pooled[n].partners(i, slack) if claims[j].source != c.source])
            for src, indexes in big.items():
                if src != c.source:
                    partners += joinable(i, indexes[n].partners(i, slack))
        partners += [j for j in quoted.partners(i, joinable) if claims[j].source != c.source]
        for j in sorted(partners):
            yield i, j


def _wordy(claim: Claim) -> bool:
    """Whether a claim can be found in another source's words or paraphrased there: a post's own
    text (``same_words`` compares it whole; a paraphrase needs a post), or a story's quoted passage.
    A pair of claims neither of which is wordy scores 0 in ``same_words`` and is no paraphrase."""
    return claim.primary or bool(quotes(claim.quote))


_BIG_SOURCE = 256


class _Words:
    """What each claim offers to a join across sources, by number: its passages and its text (one
    number for each distinct one), and its paraphrase class. Whether two claims can be one statement
    is then asked once per distinct (passages, text), however many claims share them: the hundreds
    of stories that quote one status update have one passage, each in a sentence timed differently,
    and are compared with each text near them once, not once per story; and the pairs that cannot
    be joined never reach ``_same_statement``."""

    def __init__(self, claims: list[Claim]):
        passage_ids: dict[tuple[str, ...], int] = {(): 0}
        text_ids: dict[str, int] = {}
        self.pid = [passage_ids.setdefault(_passages(c), len(passage_ids)) for c in claims]
        self.tid = [text_ids.setdefault(_target(c), len(text_ids)) for c in claims]
        # A paraphrase joins a post and a story of one strong milestone: 2 * kind + primary, or -1.
        self.paraphrase = [2 * KINDS.index(c.kind) + c.primary if c.kind in STRONG else -1 for c in claims]
        texts, passages = list(text_ids), list(passage_ids)
        # One memo per passage asked about, made when first asked: an export of 200,000 posts has
        # 200,000 passages (each post's text), most of which no other claim ever meets in time.
        self._holding = _Memo(lambda p: _Memo(
            lambda t: bool(p) and _found_in(passages[p], texts[t], QUOTE_SCORE) >= QUOTE_SCORE))

    def found(self, passages: int, text: int) -> bool:
        """Whether passages number ``passages`` are found in text number ``text``."""
        return self._holding[passages][text]

    def joinable(self, i: int, candidates: list[int]) -> list[int]:
        """The candidates that can be one statement with claim ``i`` (``_same_statement``), another
        source's: the same words one way or the other, or a post and a story of one strong milestone.
        Every answer is a dict lookup once asked (``_Memo``), so the comprehension stays cheap."""
        if not candidates:  # most claims of a big export meet no other source's claim in time
            return []
        pid, tid, paraphrase, holding = self.pid, self.tid, self.paraphrase, self._holding
        mine, text, a = holding[pid[i]], tid[i], paraphrase[i]
        in_mine = _Memo(lambda p: holding[p][text])  # the candidate's passages in claim i's text
        if pid[i]:
            return [j for j in candidates if in_mine[pid[j]] or mine[tid[j]] or (a >= 0 and a ^ paraphrase[j] == 1)]
        return [j for j in candidates if in_mine[pid[j]] or (a >= 0 and a ^ paraphrase[j] == 1)]


_QUOTED_BY = 16
_QUOTED_MOST = 64


class _Quoted:
    """The passages that many stories quote (a status update, an official statement: at least
    ``_QUOTED_BY`` stories of sources that are not big, the ``_QUOTED_MOST`` most quoted), each
    with two indexes by time: the stories that quote it, and the claims without words of their own
    (``_wordy``) whose text holds it. A claim without words then meets the stories quoting a
    passage only when its text holds the passage (asked once for each passage quoted near it),
    and a story quoting it meets only the claims that hold it, rather than every claim near it in
    time: at 8,000 stories about one outage, half a million pairs that cannot be joined."""

    def __init__(self, claims: list[Claim], wordy: list[bool], words: _Words, big: set[str], index, slack: int):
        counts: dict[int, int] = {}
        for k, c in enumerate(claims):
            if wordy[k] and not c.primary and c.source not in big:
                counts[words.pid[k]] = counts.get(words.pid[k], 0) + 1
        shared = sorted((p for p, n in counts.items() if n >= _QUOTED_BY), key=lambda p: (-counts[p], p))[:_QUOTED_MOST]
        self._of = {p: n for n, p in enumerate(shared)}
        self._pid = [words.pid[k] if wordy[k] and not c.primary and c.source not in big else 0
                     for k, c in enumerate(claims)]
        quoters: list[list[int]] = [[] for _ in shared]
        for k, pid in enumerate(self._pid):
            if pid in self._of:
                quoters[self._of[pid]].append(k)
        self._quoters = [index(ks) for ks in quoters]
        # Each claim without words: the passages its text holds, of those quoted near it in time.
        self._held: dict[int, list[int]] = {}
        holders: list[list[int]] = [[] for _ in shared]
        for k, c in enumerate(claims):
            if c.evidence or wordy[k]:
                continue
            for n, p in enumerate(shared):
                if self._quoters[n].around(k, slack) and words.found(p, words.tid[k]):
                    self._held.setdefault(k, []).append(n)
                    holders[n].append(k)
        self._holders = [index(ks) for ks in holders]
        self._wordy, self._slack = wordy, slack

    def quoting(self, k: int) -> bool:
        """Whether claim ``k`` is a story quoting one of these passages."""
        return self._pid[k] in self._of

    def partners(self, i: int, joinable) -> list[int]:
        """Claim ``i``'s partners after it among these passages' indexes: every story quoting one
        that can be joined with it (``joinable``), and for a story quoting one, the claims without
        words that hold it; for a claim without words, the stories quoting what its text holds."""
        slack = self._slack
        if not self._wordy[i]:
            return [j for n in self._held.get(i, ()) for j in self._quoters[n].partners(i, slack)]
        out = [j for index in self._quoters for j in joinable(i, index.partners(i, slack))]
        n = self._of.get(self._pid[i])
        if n is not None:
            out += self._holders[n].partners(i, slack)
        return out


class _Memo(dict):
    """A dict that computes a missing value once (``dict.__missing__``), then answers at dict speed."""

    __slots__ = ("compute",)

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def _own_key(claim: Claim) -> tuple:
    """Claims of one source that may be one statement: the same strong milestone from the same
    author (in an export of many authors, two people saying "down since 11:40" are two
    statements), or the same milestone in the same record."""
    return (claim.source, claim.author, claim.kind) if claim.kind in STRONG else (claim.source, claim.kind, claim.record)


class _TimeIndex:
    """Claims by best time, within classes of similar width: class b holds the claims narrower
    than 2**b minutes, so a partner's best time lies within that width of the claim's interval."""

    def __init__(self, members: list[int], lows: list[int], highs: list[int], bests: list[int]):
        self.lows, self.highs, self.bests = lows, highs, bests
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

    def around(self, i: int, slack: int) -> bool:
        """Whether any member's best time lies where a partner of claim ``i``'s could (``partners``
        without its exact test: a member may be answered that is not one)."""
        lo, hi = self.lows[i], self.highs[i]
        return any(bisect_left(bests, lo - slack - width) < bisect_right(bests, hi + slack + width)
                   for width, bests, _ in self.classes)

    def near(self, i: int, within: int) -> list[int]:
        """The members after ``i`` whose best time is less than ``within`` microseconds from claim
        ``i``'s and whose intervals meet its."""
        lows, highs = self.lows, self.highs
        lo, hi, best = lows[i], highs[i], self.bests[i]
        out = []
        for _, bests, ks in self.classes:
            first = bisect_right(bests, best - within)
            last = bisect_left(bests, best + within)
            out += [j for j in ks[first:last] if j > i and lows[j] <= hi and lo <= highs[j]]
        return out


_US = 1_000_000
_SAME_TIME = 60 * _US
"""Two times of one milestone in one sentence less than a minute apart are one written twice."""
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
        if a.kind == b.kind and a.kind in STRONG and a.author == b.author:
            return f"{a.author} ({a.source}) states this {a.kind} twice" if a.author else \
                f"{a.source} states this {a.kind} twice"
        return None
    score = same_words(a, b, QUOTE_SCORE)
    if score >= QUOTE_SCORE:
        return f"same words in {a.source} and {b.source} (match {score:.0f}%)"
    if a.primary != b.primary and a.kind == b.kind and a.kind in STRONG:
        post, story = (a, b) if a.primary else (b, a)
        overlap = _fuzz().token_set_ratio(normalise(post.quote), normalise(story.quote))
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
    return Event("", kind, _as_written_too(primary.span), primary.summary, tuple(ordered), primary.span.flags, why)


def _as_written_too(span: TimeSpan) -> TimeSpan:
    """An event's interval covers what its time could be: a zone abbreviation that names the other
    season ("7:30 Uhr MEZ" in July) is read in the season's zone, but the letters give another
    instant an hour away, and which one the writer meant is not known. The best time stays the
    season's reading."""
    shift = next((f.literal_shift for f in span.flags if f.code is FlagCode.ZONE_SEASON and f.literal_shift), None)
    if not shift:
        return span
    return replace(span, earliest=min(span.earliest, span.earliest + shift), latest=max(span.latest, span.latest + shift))


def conflicts(events: list[Event]) -> list[Conflict]:
    """Readings of one instant that cannot all be true, each listed with its citation.

    For each milestone an incident has once, every source gives one reading (``_source_reading``),
    whatever kind the event it sits in was given: a claim of that kind in an event classified
    otherwise counts, and so do the other citations of an event of that kind. A zone abbreviation
    that names the other season adds the reading it gives taken as written, and a time written in
    two zones adds the other zone's. Readings that disagree beyond their precision and come from
    different sources (or are one source's two zones) make one conflict; a source's later updates
    are never compared with each other. A time written in two zones that disagree is a conflict
    whatever it reports."""
    index, citations = _Appositions(events), _Citations(events)
    found: list[tuple[Basis, Kind, list[ConflictReading]]] = []
    for kind in ONCE_KINDS:
        readings = _milestone_readings(citations, kind, index)
        basis = _in_dispute(readings, kind, index)
        if basis:
            found.append((basis, kind, readings))
    listed = {id(r.claim) for _, _, readings in found for r in readings}
    for head, apposed in index.pairs():
        if id(head[1]) in listed and id(apposed[1]) in listed:
            continue
        found.append((Basis.TWO_ZONES, head[1].kind, [_reading(e, c) for e, c in (head, apposed)]))
    listed = {id(r.claim) for _, _, readings in found for r in readings}
    for kind, readings in _same_words_dated_apart(events, listed):
        found.append((Basis.SAME_WORDS, kind, readings))
    listed = {id(r.claim) for _, _, readings in found for r in readings}
    for kind, readings in _same_figure_dated_apart(events, listed):
        found.append((Basis.SAME_FIGURE, kind, readings))
    out = []
    by_id = {e.id: e for e in events}
    for basis, kind, readings in found:
        readings = sorted(readings, key=lambda r: (r.span.best, r.span.earliest, _ROLE_RANK.get(r.claim.role, 9),
                                                   _id_number(r.event), r.claim.source, r.taken))
        ids = sorted({r.event for r in readings}, key=lambda i: (by_id[i].span.best, _id_number(i)))
        disputed = [r for r in readings if not r.earlier]
        # Between the readings of the milestone itself when they disagree; a mitigation standing
        # as a source's end widens the spread only when it is what the dispute is about.
        own = [r for r in disputed if not r.context]
        disputed = own if len({r.span.best for r in own}) > 1 else disputed
        stated = [r.span.best for r in disputed if r.span.precision in STATED] or [r.span.best for r in disputed]
        spread = (max(stated) - min(stated)).total_seconds() / 60
        official = next((r.event for r in readings if r.claim.role == "official"), None)
        evidence = tuple(e.id for e in events if e.kind == kind and all(c.evidence for c in e.claims)) \
            if basis is Basis.MILESTONE else ()
        out.append(Conflict(f"C{len(out) + 1}", kind, tuple(ids), round(spread), official, evidence,
                            tuple(readings), basis))
    return out


STATEMENT_MIN_CHARS = 40
SHINGLE_WORDS = 4
SHINGLE_MAX_CLAIMS = 30  # a run of words this many claims share is boilerplate, not a statement's own
SHINGLES_SHARED = 3


def _same_words_dated_apart(events: list[Event], listed: set[int]) -> list[tuple[Kind, list[ConflictReading]]]:
    """One statement, word for word, that sources date differently: a retelling that pairs a
    timeline entry with the wrong heading, a story that gives a quoted update another time. A pair
    counts only when neither source also gives those words at a time that agrees with the other
    (a status page that repeats its update half an hour later is not contradicted by a story
    quoting the first), and never two posts' own times (two posts are two statements)."""
    cited = [(e, c) for e in events for c in e.claims if not c.evidence]
    texts = [_statement_words(c.quote) for _, c in cited]
    pairs = []
    matches: dict[int, set[int]] = {}
    for i, j in _shingle_partners(texts):
        (ea, a), (eb, b) = cited[i], cited[j]
        if a.source == b.source or _text_match(texts[i], texts[j]) < QUOTE_SCORE:
            continue
        matches.setdefault(i, set()).add(j)
        matches.setdefault(j, set()).add(i)
        if ea is not eb and not (a.primary and b.primary) and not _agree(a.span, b.span) \
                and not (id(a) in listed and id(b) in listed):
            pairs.append((i, j))
    if not pairs:
        return []

    def attested(i: int, j: int) -> bool:
        """Whether the source of ``i`` also gives these words at a time that agrees with ``j``."""
        return any(cited[k][1].source == cited[i][1].source and _agree(cited[k][1].span, cited[j][1].span)
                   for k in matches.get(j, ()))

    parent = {i: i for pair in pairs for i in pair}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        if not attested(i, j) and not attested(j, i):
            parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in parent:
        groups.setdefault(root(i), []).append(i)
    out = []
    for members in groups.values():
        if len({cited[i][1].source for i in members}) < 2:
            continue
        readings = [_reading(*cited[i]) for i in sorted(members)]
        kinds = [r.claim.kind for r in readings] + [cited[i][0].kind for i in sorted(members)]
        kind = next((k for k in kinds if k.strong), next((k for k in kinds if k == Kind.UPDATE), kinds[0]))
        out.append((kind, readings))
    out.sort(key=lambda g: min(r.span.best for r in g[1]))
    return out


_FIGURE = re.compile(r"(?<![\d.,'’])(?:(?P<myriads>\d{1,4}(?:\.\d{1,2})?)万(?P<rest>\d{1,4})?"
                     r"|(?P<plain>\d{1,3}(?:(?:,|\.|'|’|\u00a0|\u202f| )\d{3}){1,4}|\d{5,7}))(?![\d]|[.,]\d)")
_FIGURE_WORDS = re.compile(r"[^\W\d_]+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
FIGURE_UNIT_WORDS = 3
FIGURE_UNIT_PREFIX = 5
FIGURE_MIN = 1000


def _figure_value(m: re.Match) -> int:
    """73,000 / 73.000 / 73 000 / 73000 → 73000; 7万3000 and 7.3万 (myriads) → 73000."""
    if m.group("plain"):
        return int(re.sub(r"\D", "", m.group("plain")))
    whole, _, tenths = m.group("myriads").partition(".")
    return int(whole) * 10_000 + (int(tenths.ljust(4, "0")) if tenths else 0) + int(m.group("rest") or 0)


def _unit(word: str) -> str:
    """What a count counts, by the first letters of the word after it; in a script written
    without spaces, by its first character (件, 人, 回線 → 件, 人, 回)."""
    return word[:1] if _UNSPACED.match(word) else word.casefold()[:FIGURE_UNIT_PREFIX]


_CLAUSE_MARKS = re.compile(r"[,;:，、；：]")


def _figures(text: str, time_text: str) -> set[tuple[int, frozenset[str]]]:
    """The counts a statement gives at its time, each with what it counts: a number of five digits
    or more, or grouped in thousands ("73,000", "73.000", "73 000"), and the first letters of the
    words after it ("outages", "outage reports" both count outag…). Smaller numbers (3 regions,
    2024, 1402 UTC) are too common to tie two statements together. The count must be in the
    stretch of the statement that holds the time, no comma between them ("outages, which began
    at 12:30, peaked at 73,000" does not date the peak), unless the time leads the statement
    ("Six hours later, 73,000 had reported it")."""
    at = text.find(time_text) if time_text else -1
    if at < 0:
        return set()
    fronted = not _FIGURE_WORDS.search(text, 0, at)
    out = set()
    for m in _FIGURE.finditer(text):
        lo, hi = (m.end(), at) if m.end() <= at else (at + len(time_text), m.start())
        if hi > lo and not (fronted and m.start() > at) and _CLAUSE_MARKS.search(_FIGURE.sub("", text[lo:hi])):
            continue
        words = _FIGURE_WORDS.findall(text, m.end(), m.end() + 60)[:FIGURE_UNIT_WORDS]
        units = frozenset(_unit(w) for w in words if len(w) > 1 or _UNSPACED.match(w))
        value = _figure_value(m)
        if units and value >= FIGURE_MIN:
            out.add((value, units))
    return out


def _same_figure_dated_apart(events: list[Event], listed: set[int]) -> list[tuple[Kind, list[ConflictReading]]]:
    """The same count of the same thing that sources give at times that disagree: a peak of
    reports, a number of customers cut off, reached once. Only times a source states (a post's own
    time is when it was written, not when the count was reached), never one source's own figures
    (a story may repeat its count later), never readings that agree within their precision."""
    by_figure: dict[int, list[tuple[Event, Claim, frozenset[str]]]] = {}
    for event in events:
        for claim in event.claims:
            if claim.evidence or claim.primary:
                continue
            for value, units in _figures(claim.quote, claim.local_text):
                by_figure.setdefault(value, []).append((event, claim, units))
    out = []
    for value in sorted(by_figure):
        cited = by_figure[value]
        members: set[int] = set()
        for i, (ea, a, ua) in enumerate(cited):
            for j in range(i + 1, len(cited)):
                eb, b, ub = cited[j]
                if a.source == b.source or ea is eb or not (ua & ub) or _agree(a.span, b.span) \
                        or (id(a) in listed and id(b) in listed):
                    continue
                members.update((i, j))
        if len({cited[i][1].source for i in members}) < 2:
            continue
        readings = [_reading(cited[i][0], cited[i][1]) for i in sorted(members)]
        kinds = [r.claim.kind for r in readings]
        out.append((next((k for k in kinds if k.strong), kinds[0]), readings))
    out.sort(key=lambda g: min(r.span.best for r in g[1]))
    return out


@lru_cache(maxsize=1 << 15)
def _statement_words(text: str) -> str:
    """A statement's words for comparing statements: normalised, without its numbers (the times
    two retellings disagree on, and list markers)."""
    return " ".join([w for w in normalise(text).split() if not _has_digit(w)])


@lru_cache(maxsize=1 << 16)
def _has_digit(word: str) -> bool:
    """Whether a word holds a digit (``str.isdigit``, so "①" and "፫" too); memoised, since the
    words of thousands of statements are a few thousand distinct words."""
    return any(ch.isdigit() for ch in word)


def _text_match(a: str, b: str) -> float:
    short, long = sorted((a[:QUOTE_MAX_CHARS * 4], b[:QUOTE_MAX_CHARS * 4]), key=len)
    if len(short) < STATEMENT_MIN_CHARS:
        return 0.0
    return _fuzz().partial_ratio(short, long)


def _shingle_partners(texts: list[str]) -> list[tuple[int, int]]:
    """Pairs of texts sharing enough runs of words to be worth comparing: an index, so that a
    timeline of thousands of posts is not compared pair by pair."""
    index: dict[tuple[str, ...], list[int]] = {}
    for i, text in enumerate(texts):
        if len(text) < STATEMENT_MIN_CHARS:
            continue
        for shingle in _shingles(text):
            index.setdefault(shingle, []).append(i)
    # Counted one text at a time (its partners after it, over its shingles' lists, which are in
    # text order): memory is one text's partners, not every pair sharing a shingle (50,000 posts
    # of a few common words share millions of shingle pairs, of which a handful share three).
    out = []
    for i, text in enumerate(texts):
        if len(text) < STATEMENT_MIN_CHARS:
            continue
        shared: dict[int, int] = {}
        for shingle in _shingles(text):
            members = index[shingle]
            if len(members) < 2 or len(members) > SHINGLE_MAX_CLAIMS:
                continue
            for j in members[bisect_right(members, i):]:
                shared[j] = shared.get(j, 0) + 1
        out += [(i, j) for j in sorted(shared) if shared[j] >= SHINGLES_SHARED]
    return out


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The runs of ``SHINGLE_WORDS`` words of a text (the whole text when it has fewer)."""
    words = text.split()
    return {tuple(words[k:k + SHINGLE_WORDS]) for k in range(max(1, len(words) - SHINGLE_WORDS + 1))}


STATED = (Precision.MINUTE, Precision.APPROXIMATE, Precision.HOUR)
"""Readings whose best time is a time someone wrote (a part of day's middle is not), which the
spread of a conflict is measured between when there are any."""


def _id_number(event_id: str) -> int:
    return int(event_id[1:]) if event_id[1:].isdigit() else 0


def _milestone_readings(citations: _Citations, kind: Kind, index: _Appositions) -> list[ConflictReading]:
    """Each source's reading of a milestone, with the readings it implies (zone as written, the
    same time in the other zone written beside it)."""
    by_source = citations.of(kind)
    readings: list[ConflictReading] = []
    seen: set[tuple[int, Taken]] = set()
    for source in sorted(by_source):
        event, claim = _source_reading(by_source[source], kind)
        # The source's other citations in that event say the same thing again ("since about 3:30
        # p.m." and "since about 15:30 today"): listed with it.
        again = [c for c in event.claims if c is not claim and c.source == source and _agree(c.span, claim.span)]
        for r in (_reading(event, claim), _as_written_reading(event, claim), *(_reading(event, c) for c in again),
                  *(_reading(e, c) for e, c in index.partners(claim))):
            if r is not None and (id(r.claim), r.taken) not in seen:
                seen.add((id(r.claim), r.taken))
                readings.append(r)
        if kind in LAST_WORD:
            for e, c in _earlier_ends(by_source[source], claim):
                if (id(c), Taken.AS_READ) not in seen:
                    seen.add((id(c), Taken.AS_READ))
                    readings.append(replace(_reading(e, c), earlier=True))
    before = BEFORE.get(kind)
    if before and readings:
        for source, candidates in sorted(citations.of(before, undecided=True).items()):
            if source not in by_source:
                event, claim = _source_reading(candidates, kind)
                readings.append(replace(_reading(event, claim), context=True))
    return readings


BEFORE = {Kind.RESOLVED: Kind.MITIGATED}
"""The milestone before one, whose last reading is the end as a source that gives no resolution
tells it ("restoration work finished at 17:30", "all data stores were back an hour later" beside
a page that went green at 23:03): two ends a reader could take, so they are compared, each
labelled with its own kind. Only beside a source that does give the milestone itself."""


class _Citations:
    """Each source's citations of the milestones conflicts compare, gathered in one pass over the
    events: claims of that kind, wherever they were merged, and every citation of an event of that
    kind. ``undecided`` leaves out every event whose kind an analyst set (a resolution set to "a
    partial restoration" is not to stand as its source's end)."""

    def __init__(self, events: list[Event]):
        wanted = set(ONCE_KINDS) | set(BEFORE.values())
        self._all: dict[Kind, dict[str, list[tuple[Event, Claim]]]] = {}
        self._undecided: dict[Kind, dict[str, list[tuple[Event, Claim]]]] = {}
        for event in events:
            # An analyst who set the event's kind (a case file's set-kind) has the last word on its citations.
            decided = any(c.action is Action.SET_KIND and c.status is Status.APPLIED for c in event.corrections)
            for claim in event.claims:
                if claim.evidence:
                    continue
                for kind in (event.kind,) if decided or claim.kind == event.kind else (event.kind, claim.kind):
                    if kind in wanted:
                        self._all.setdefault(kind, {}).setdefault(claim.source, []).append((event, claim))
                        if not decided:
                            self._undecided.setdefault(kind, {}).setdefault(claim.source, []).append((event, claim))

    def of(self, kind: Kind, undecided: bool = False) -> dict[str, list[tuple[Event, Claim]]]:
        return (self._undecided if undecided else self._all).get(kind, {})


def _source_reading(candidates: list[tuple[Event, Claim]], kind: Kind) -> tuple[Event, Claim]:
    """The one reading a source gives for a milestone: its earliest start, detection or first
    acknowledgement, its latest resolution. A coarse time that a finer one of the same source
    falls within ("this morning" beside "at 9:52") only restates it."""
    # The distinct spans finer than each precision: a source that writes one time a thousand
    # times is asked about one span, not a thousand.
    ranks = sorted({x[1].span.precision.rank for x in candidates})
    finer = {rank: {_bounds(x[1].span) for x in candidates if x[1].span.precision.rank < rank} for rank in ranks[1:]}

    def restated(x: tuple[Event, Claim]) -> bool:
        return any(_agree_bounds(_bounds(x[1].span), y) for y in finer.get(x[1].span.precision.rank, ()))

    kept = [x for x in candidates if not restated(x)] or candidates
    kept.sort(key=lambda x: (x[1].span.best, x[1].span.precision.rank, _id_number(x[0].id), x[1].record, x[1].start))
    return kept[-1] if kind in LAST_WORD else kept[0]


def _earlier_ends(candidates: list[tuple[Event, Claim]], last: Claim) -> list[tuple[Event, Claim]]:
    """A source's stated resolutions before its last one that disagree with it ("declared all
    services operational" on the 9th, "fully resolved" on the 10th): two ends a reader could
    take. Listed beside a conflict of the end, never its cause (a story that says restored, then
    fully restored, is not contradicting itself)."""
    return [(e, c) for e, c in candidates if c is not last and c.span.precision in STATED
            and c.span.best < last.span.best and not _agree(c.span, last.span)]


LAST_WORD = (Kind.RESOLVED,)
"""Milestones a source's last word on counts for: a source that says it was restored, then fully
restored, means the later."""


def _reading(event: Event, claim: Claim) -> ConflictReading:
    return ConflictReading(event.id, claim, claim.span, Taken.AS_READ, claim.local)


def _as_written_reading(event: Event, claim: Claim) -> ConflictReading | None:
    """The reading a zone abbreviation gives taken as written when it names the other season
    ("9:18 AM EST" in July is read as EDT, 13:18Z; as written, UTC-05:00, it is 14:18Z), in that
    fixed offset: a reader going by the letters takes it."""
    span = claim.span
    shift = next((f.literal_shift for f in span.flags if f.code is FlagCode.ZONE_SEASON and f.literal_shift), None)
    if not shift or span.zone is None:
        return None
    offset = span.best.astimezone(zone_info(span.zone)).utcoffset() - shift
    fixed = zone_info(fixed_zone_name(int(offset.total_seconds() // 60)))
    literal = TimeSpan(span.earliest + shift, span.best + shift, span.latest + shift, span.precision,
                       fixed_zone_name(int(offset.total_seconds() // 60)), span.zone_rule,
                       tuple(f for f in span.flags if f.code is not FlagCode.ZONE_SEASON))
    local = f"{literal.best.astimezone(fixed):%Y-%m-%d %H:%M} {_offset_text(offset)}"
    return ConflictReading(event.id, claim, literal, Taken.ZONE_AS_WRITTEN, local)


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class _Appositions:
    """Claims whose times are written side by side as one time in two zones ("10:05 a.m. ET, or
    15:05 GMT"): the apposed claim and the claim of the same record written just before it."""

    def __init__(self, events: list[Event]):
        # Only the records that hold an apposed time are gathered: most hold none.
        apposed = {(c.source, c.record) for e in events for c in e.claims if c.apposed and c.origin is Origin.TEXT}
        by_record: dict[tuple[str, int], list[tuple[Event, Claim]]] = {}
        for event in events:
            for claim in event.claims:
                if claim.origin is Origin.TEXT and (claim.source, claim.record) in apposed:
                    by_record.setdefault((claim.source, claim.record), []).append((event, claim))
        self._pairs: list[tuple[tuple[Event, Claim], tuple[Event, Claim]]] = []
        self._partner: dict[int, list[tuple[Event, Claim]]] = {}
        for written in by_record.values():
            if not any(c.apposed for _, c in written):
                continue
            written.sort(key=lambda x: (x[1].start, x[1].end))
            for before, after in pairwise(written):
                # Both zones written: a zone outagetl inferred for one of them is its reading, not the source's.
                if after[1].apposed and before[1].end <= after[1].start and \
                        before[1].span.zone_rule.explicit and after[1].span.zone_rule.explicit:
                    self._pairs.append((before, after))
                    self._partner.setdefault(id(before[1]), []).append(after)
                    self._partner.setdefault(id(after[1]), []).append(before)
        self._pairs.sort(key=lambda p: (p[0][1].span.best, p[0][1].source, p[0][1].record, p[0][1].start))

    def partners(self, claim: Claim) -> list[tuple[Event, Claim]]:
        return self._partner.get(id(claim), [])

    def pairs(self):
        return list(self._pairs)

    def paired(self, a: Claim, b: Claim) -> bool:
        return any(c is b for _, c in self._partner.get(id(a), []))


def _in_dispute(readings: list[ConflictReading], kind: Kind, index: _Appositions) -> Basis | None:
    """Whether two readings disagree that count against each other: from different sources (a
    milestone conflict), or else one source's time written in two zones. One citation's two
    readings (as read, zone as written) never make a conflict alone: the flag says it; beside
    another source's reading they do. Two sources' last mitigations are never a conflict: neither
    says when it was resolved.

    Across sources, readings alike in all that ``_compatible`` reads (source, span, post or not,
    how taken) are compared once: a source that repeats one time a thousand times is one reading
    here. Within one source, only the times written in two zones (``_Appositions``) are compared."""
    current = [r for r in readings if not r.earlier]
    distinct = list({(r.claim.source, r.context, r.span, r.claim.primary, r.taken): r for r in current}.values())
    for i, a in enumerate(distinct):
        for b in distinct[i + 1:]:
            if a.claim.source != b.claim.source and not (a.context and b.context) and not _compatible(a, b, kind):
                return Basis.MILESTONE
    apposed = [r for r in current if r.taken is Taken.AS_READ and index.partners(r.claim)]
    for i, a in enumerate(apposed):
        for b in apposed[i + 1:]:
            if a.claim.source == b.claim.source and index.paired(a.claim, b.claim) and \
                    not (a.context and b.context) and not _compatible(a, b, kind):
                return Basis.TWO_ZONES
    return None


ANNOUNCE_LAG_MINUTES = 15


def _agree(a: TimeSpan, b: TimeSpan) -> bool:
    """Two readings agree within their precision when either one's best time lies in the other's
    interval (with the tolerance): "about 8:30" (08:15–08:45) and 8:40 agree; "about 8:30" and
    "about 9:00" do not, though their intervals touch."""
    return _agree_bounds((a.earliest, a.best, a.latest), (b.earliest, b.best, b.latest))


def _stated_span(span: TimeSpan) -> TimeSpan:
    """The span around the time a reading states: a clock time written as a bound ("by 14:57",
    the best time at one end of the interval) is that time; a hedge ("about 8:30") keeps its
    width, and so does a time counted from another ("within 30 minutes" of the start is any time
    up to then, not the half hour itself)."""
    if any(f.code is FlagCode.RELATIVE for f in span.flags):
        return span
    half = min(span.best - span.earliest, span.latest - span.best)
    return replace(span, earliest=span.best - half, latest=span.best + half)


def _bounds(span: TimeSpan) -> tuple[datetime, datetime, datetime]:
    return span.earliest, span.best, span.latest


def _agree_bounds(a: tuple, b: tuple) -> bool:
    slack = timedelta(minutes=TOLERANCE_MINUTES)
    return (b[0] - slack <= a[1] <= b[2] + slack) or (a[0] - slack <= b[1] <= a[2] + slack)


def _compatible(a: ConflictReading, b: ConflictReading, kind: Kind) -> bool:
    """Two readings of a milestone can both be true. An official post's own time is when a fix was
    announced, so a report that it was resolved a little before the announcement agrees with it.
    Readings compare at the times they state: "resolved by 14:57" is the 14:57 a source wrote,
    not a claim that covers a 14:09 restoration another source gives."""
    if _agree(_stated_span(a.span), _stated_span(b.span)):
        return True
    if kind != Kind.RESOLVED:
        return False
    for post, other in ((a, b), (b, a)):
        if post.claim.primary and post.taken is Taken.AS_READ and other.span.latest <= post.span.best and \
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
