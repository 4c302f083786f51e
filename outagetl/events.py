"""Mentions → claims: what each source says happened at each time, and which milestone it is.

The milestone comes from the source language's word table (``data/lang/<code>.toml``
[milestones]): the strong phrase nearest the time wins; update words and reporting verbs only
count when no strong phrase is there.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache, lru_cache
from itertools import pairwise

from . import kept
from .lexicon import lexicon
from .model import Bound, Claim, Furniture, Mention, Origin, ParsedSource, Precision, Record, Skip
from .summary import part_summary
from .tables import load

STRONG = ("start", "detected", "acknowledged", "mitigated", "resolved")
_HEADER_WORDS = 2
RESTATE_SECONDS = 300
SUMMARY_WINDOW = 600  # how much of the paragraph under a timeline heading joins the heading's statement
QUOTE_MAX_CHARS = 2000
FURNITURE = frozenset(Furniture)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "“": " ", "”": " ", '"': " "})


@cache
def labels() -> dict[str, str]:
    """What a status page's own update status means as a milestone (data/status.toml)."""
    return load("status")["labels"]


@dataclass(frozen=True)
class Vocabulary:
    """One language's milestone words, compiled once (lang/<code>.toml [milestones])."""

    phrases: tuple[tuple[str, str, _Lazy], ...]
    """(kind, needle, pattern): the needle is a word the text must hold for the pattern to match."""
    withdrawn: _Gated | None
    negation: _Gated | None
    lifted: re.Pattern | None
    header: re.Pattern | None
    verb_final: bool = False
    """The language puts its verb at the end of the clause (Japanese): the last milestone phrase
    after the time, before the clause ends, is what the statement says happened then."""
    clause_break: re.Pattern | None = None
    """Where a clause ends ("; ", ", but "): a milestone phrase in the clause that holds the time
    says what happened then before one in a neighbouring clause."""
    deferring: frozenset[str] = frozenset()
    """Acknowledging words whose object may be another milestone ("confirms all services have
    been restored"): a milestone phrase after them in the clause is what is acknowledged."""
    problem: re.Pattern | None = None
    outage_span: re.Pattern | None = None
    """Words saying a range is the outage's own ("lasted from … to …"): its end is the resolution."""
    aspect_verbs: frozenset[str] = frozenset()
    aspect: re.Pattern | None = None
    """A start word that begins an activity ("began developing a plan", "begun replicating"): an
    update, not the outage's start ("began failing" is listed as a start phrase of its own)."""
    topics: frozenset[str] = frozenset()
    """Words that name the outage itself ("故障", "異常"): the kind they give counts only when no
    other milestone phrase is found ("20点左右故障已经基本移除" is a mitigation)."""
    forecast_before: _Gated | None = None
    """A target or forecast word a few words before a time ("prévu vers 22h", "expected by 5 p.m.")."""
    forecast_after: _Gated | None = None
    """One right after it ("9時30分を目標", "18 Uhr erwartet")."""
    spaces: bool = True
    anaphora: re.Pattern | None = None
    """A sentence that opens by pointing back ("That occurred at 1409 UTC."): what happened then
    is what the sentence before it ends on."""
    by_needle: dict = field(default_factory=dict, compare=False)
    """needle → its phrases (in table order), for a language with spaces: only the phrases whose
    needle is one of the text's words are tried."""


class _Lazy:
    """A phrase's pattern, compiled the first time a text holds its needle word: a language has
    hundreds of phrases and a run needs only the few its texts use, so none is compiled in vain.

    An ASCII phrase also has a pattern over lower-case text that starts with its first letter,
    for ASCII text: on such text it finds the same matches at the same places as the
    case-insensitive one, but the search skips to that letter instead of trying every position
    (a case-insensitive pattern, or one that opens with a look-behind, has no first letter to
    skip to)."""

    __slots__ = ("source", "_compiled", "lowered", "_lowered")

    def __init__(self, source: str, lowered: str | None = None):
        self.source, self._compiled, self.lowered, self._lowered = source, None, lowered, None

    def finditer(self, text: str, lower: str | None = None):
        """The matches in ``text``; ``lower`` is ``text.lower()`` when ``text`` is ASCII. A match
        found in it has the same span, its text in lower case."""
        if lower is not None and self.lowered is not None:
            if self._lowered is None:
                self._lowered = kept.compile(self.lowered)
            return self._lowered.finditer(lower)
        if self._compiled is None:
            self._compiled = kept.compile(self.source, re.I)
        return self._compiled.finditer(text)


_AFTER_NO_WORD = r"(?<![\w])"


def _lowered_pattern(phrase: str, spaces: bool, any_space: bool) -> str | None:
    """The pattern of an ASCII phrase over lower-case ASCII text, its first letter first (the
    look-behind that it starts a word moves after it)."""
    phrase = phrase.translate(_APOSTROPHES)
    if not phrase.isascii():
        return None
    body = _phrase_pattern(phrase.lower(), spaces, any_space)
    first = body[len(_AFTER_NO_WORD):len(_AFTER_NO_WORD) + 1]
    if body.startswith(_AFTER_NO_WORD) and first.isalnum():
        body = first + rf"(?<![\w]{first})" + body[len(_AFTER_NO_WORD) + 1:]
    return body


class _Gated:
    """A pattern over a list of table phrases, tried only on a text that holds one of their
    needles (each phrase's longest word, case-folded): most texts hold none, and the pattern,
    which opens with a look-behind, would otherwise be tried at every position of every text.
    The gate only ever says "cannot match"; the pattern decides every match."""

    __slots__ = ("pattern", "needles")

    def __init__(self, source: str, phrases):
        self.pattern = kept.compile(source, re.I)
        needles = {"n't" if p == "n't" else _needle(p.translate(_APOSTROPHES)) for p in phrases}
        # one search of the case-folded text for any needle (a plain alternation: it skips ahead)
        self.needles = None if "" in needles else kept.compile("|".join(map(re.escape, sorted(needles))))

    def _may(self, text: str) -> bool:
        return self.needles is None or self.needles.search(_folded(text)) is not None

    def search(self, text: str, *span: int) -> re.Match | None:
        return self.pattern.search(text, *span) if self._may(text) else None


def _gated(source: str | None, phrases) -> _Gated | None:
    return _Gated(source, phrases) if source else None


def _phrase_pattern(phrase: str, spaces: bool, any_space: bool = True) -> str:
    """A table phrase as a whole-word pattern; with ``any_space`` a space matches any run of space,
    and "…" up to six words (a split verb: German "laufen … wieder" in "laufen seit 18 Uhr wieder")."""
    parts = [re.escape(p.strip().translate(_APOSTROPHES)) for p in phrase.split("…")]
    parts = [p.replace(r"\ ", r"\s+") if any_space else p for p in parts]
    body = r"\s+(?:\S+\s+){0,6}?".join(parts) if spaces else ".{0,24}?".join(parts)
    return _AFTER_NO_WORD + body + r"(?![\w])" if spaces else body


def _alternation(phrases, spaces: bool) -> str | None:
    if not phrases:
        return None
    return "(?:" + "|".join(_phrase_pattern(p, spaces) for p in sorted(phrases, key=len, reverse=True)) + ")"


@cache
def vocabulary(lang: str | None = None) -> Vocabulary:
    lex = lexicon(lang)
    table, spaces = lex.milestones, lex.spaces
    groups = [(kind, table.get(kind, []), True) for kind in (*STRONG, "update")]
    groups += [("identified", table.get("identified", []), True), ("reporting", table.get("reporting", []), False)]
    phrases = tuple((kind, _needle(p.translate(_APOSTROPHES)),
                     _Lazy(_phrase_pattern(p, spaces, any_space), _lowered_pattern(p, spaces, any_space)))
                    for kind, words, any_space in groups for p in words)
    withdrawn = _alternation(table.get("withdrawn"), spaces)
    negation = _alternation([n for n in table.get("negations", []) if n != "n't"], spaces)
    if negation and "n't" in table.get("negations", []):
        negation = "(?:" + negation + "|n't)"
    lifted = _alternation(table.get("negation_lifted_by"), spaces)
    header = _alternation(table.get("header_words"), spaces)
    forecasts = lex.forecasts
    before = _alternation(forecasts.get("before"), spaces)
    after = _alternation(forecasts.get("after"), spaces)
    # Up to five words (ten characters where no spaces are written) between the word and the
    # time, within the clause: "le retour à la normale est prévu vers 22h", "完全復旧見込む".
    gap_before = r"(?:\s+[^\s,;:.!?()]+){0,5}\s*$" if spaces else r"[^、。，,;；:：!?！？]{0,10}$"
    gap_after = r"^\s*(?:[^\s,;:.!?()]+\s+){0,2}" if spaces else r"^[^、。，,;；:：!?！？]{0,10}?"
    by_needle: dict[str, list] = {}
    for i, entry in enumerate(phrases):
        by_needle.setdefault(entry[1], []).append((i, entry))
    return Vocabulary(
        phrases=phrases, by_needle=by_needle if spaces else {},
        withdrawn=_gated(withdrawn, table.get("withdrawn")),
        negation=_gated(negation and negation + r"(?:\s+\S+){0,3}\s*$", table.get("negations", [])),
        lifted=kept.compile(r"\s*(?:\w+\s+){0,2}" + lifted, re.I) if lifted else None,
        header=kept.compile(r"^\W*" + header, re.I) if header else None,
        verb_final=bool(table.get("verb_final")),
        clause_break=kept.compile("|".join(map(re.escape, table.get("clause_breaks", [])))) if table.get("clause_breaks") else None,
        deferring=frozenset(p.casefold() for p in table.get("deferring", [])),
        problem=kept.compile(_alternation(table["problem_nouns"], spaces), re.I) if table.get("problem_nouns") else None,
        outage_span=kept.compile(_alternation(table["outage_span"], spaces), re.I) if table.get("outage_span") else None,
        topics=frozenset(t.casefold() for t in table.get("topics", [])),
        aspect_verbs=frozenset(v.casefold() for v in table.get("aspect_verbs", [])),
        aspect=(kept.compile(_alternation(table["aspect_verbs"], spaces) + r"\s+\w+" + re.escape(table["gerund"]) + r"\b", re.I)
                if table.get("aspect_verbs") and table.get("gerund") else None),
        forecast_before=_gated(before and f"(?P<word>{before})" + gap_before, forecasts.get("before")),
        forecast_after=_gated(after and gap_after + f"(?P<word>{after})", forecasts.get("after")),
        spaces=spaces,
        anaphora=kept.compile(r"\W*" + _alternation(table["anaphora"], spaces), re.I) if table.get("anaphora") else None,
    )


@cache
def _needle(phrase: str) -> str:
    """The longest word of a table phrase, case-folded: a phrase can only match a text that holds
    it, so the phrase's regex runs only there (classifying stays cheap on long statements)."""
    return max(re.findall(r"\w+", phrase), key=len, default="").casefold()


_TOKEN = re.compile(r"\w+")


def _folded(text: str) -> str:
    # The one letter that re.IGNORECASE matches to an ASCII letter but casefold() does not map to it.
    return text.casefold().replace("ı", "i")


def classify(text: str, start: int = 0, end: int = 0, role: Bound | None = None, lang: str | None = None,
             sentence: str | None = None) -> str:
    """The milestone a statement (in ``lang``) reports about the time at ``text[start:end]``;
    ``sentence`` is the whole sentence when ``text`` is the part of it around this time."""
    if '"' in text or not text.isascii():  # the other marks _APOSTROPHES reads are not ASCII
        text = text.translate(_APOSTROPHES)
    words = vocabulary(lang)
    best: tuple[int, int, str] | None = None
    weak: str | None = None
    lower = text.lower() if text.isascii() else None
    folded = _folded(text) if lower is None else lower  # ASCII text folds to its lower case
    if words.by_needle:
        found = sorted(e for w in words.by_needle.keys() & set(_TOKEN.findall(folded)) for e in words.by_needle[w])
        candidates = [entry for _, entry in found]
    else:
        candidates = [entry for entry in words.phrases if entry[1] in folded]
    matches = [(kind, m) for kind, _needle, pattern in candidates
               for m in pattern.finditer(text, lower) if not start <= m.start() < end]
    # "began restoring" is a mitigation, not the "began" of a start: the longest phrase wins.
    matches = [(kind, m) for kind, m in matches
               if not any(o is not m and o.start() <= m.start() and m.end() <= o.end()
                          and (o.end() - o.start()) > (m.end() - m.start()) for _, o in matches)]
    clause_start, clause_end = _clause(text, start, end, words)
    final: tuple[int, str] | None = None
    topic: str | None = None
    strong: list[tuple[int, str, bool]] = []
    negated = False
    for kind, m in matches:
        if _negated(text, m, words):
            weak, negated = "update", True
            continue
        if m.group().casefold() in words.topics:
            topic = topic or kind
            continue
        if kind == "start" and words.aspect and m.group().casefold() in words.aspect_verbs \
                and words.aspect.match(text, m.start()):
            weak = "update"
            continue
        if (words.verb_final and end > start and end <= m.start() < clause_end and (kind in STRONG or kind == "identified")
                and (final is None or m.start() > final[0])):
            final = (m.start(), "update" if kind == "identified" else kind)
        if kind in STRONG or kind == "identified":
            distance = start - m.end() if m.end() <= start else m.start() - end
            priority = STRONG.index(kind) if kind in STRONG else -1
            outside = not (clause_start <= m.start() and m.end() <= clause_end)
            rank = (outside, max(distance, 0), -priority, "update" if kind == "identified" else kind, m.start(),
                    m.group().casefold())
            if best is None or rank < best:
                best = rank
            strong.append((m.start(), kind, outside))
        elif kind == "update":
            weak = "update"
        elif weak is None:
            weak = "reporting"
    if final:
        return final[1]
    if best:
        if best[3] == "acknowledged" and best[5] in words.deferring:
            # "AT&T confirms all services have been restored": what is confirmed is the milestone
            later = [(pos, kind) for pos, kind, outside in sorted(strong)
                     if pos > best[4] and not outside and kind != "acknowledged"]
            if later and not (words.problem and words.problem.search(text, best[4], later[0][0])):
                return later[0][1]
        return best[3]
    if role == "start":
        return "start"
    if role == "end":
        # the end of a range of impact is not a resolution, unless the range is the outage's own
        return "resolved" if words.outage_span and words.outage_span.search(sentence or text) else "update"
    if topic and not negated:
        # "il guasto non era ancora stato riparato": what the statement says is the negation
        return topic
    if weak:
        return "update"
    return "other"


def _clause(text: str, start: int, end: int, words: Vocabulary) -> tuple[int, int]:
    """The clause of ``text`` that holds the time at ``start:end`` (the whole text without breaks)."""
    if not words.clause_break or end <= start:
        return 0, len(text)
    before = [m.end() for m in words.clause_break.finditer(text, 0, start)]
    after = words.clause_break.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


_DATED = re.compile(r"\S+\s+\d")


def _negated(text: str, m: re.Match, words: Vocabulary) -> bool:
    before = text[max(0, m.start() - 40) : m.start()]
    found = words.negation.search(before) if words.negation else None
    # A word followed by a number is a month's name, not a modal ("on May 3 the API started failing").
    if not found or _DATED.match(before, found.start()):
        return False
    return not (words.lifted and words.lifted.match(text[m.end() : m.end() + 30]))


def claims(parsed: ParsedSource) -> tuple[list[Claim], list[Skip]]:
    """Every claim one source makes; mentions that make none are returned as skips with a reason."""
    source = parsed.source
    by_record: dict[int, list[Mention]] = {}
    for mention in parsed.mentions:
        by_record.setdefault(mention.record, []).append(mention)
    records = {r.index: r for r in parsed.records}
    order = [r.index for r in parsed.records]
    out: list[Claim] = []
    skips: list[Skip] = []
    previous = ""
    for pos, index in enumerate(order):
        record = records[index]
        mentions = by_record.get(index, [])
        before, previous = previous, record.text
        if not mentions:
            continue
        if record.label in FURNITURE:
            skips += [Skip(source.path, repr(m.text), "the page's own publication or update stamp: "
                           "it dates the page, not the outage", record.line) for m in mentions]
            continue
        text_mentions = [m for m in mentions if not m.own_time]
        statement, follow = record.text, None
        if text_mentions and _is_header(record.text, text_mentions, record.language or source.language) and pos + 1 < len(order):
            follow = records[order[pos + 1]]
            if not by_record.get(follow.index):
                statement = record.text + " " + follow.text
            elif _headed_paragraph(record, follow):
                # a timeline heading heads the paragraph under it, whose sentences have times of their own
                statement = record.text + " " + follow.text[:SUMMARY_WINDOW]
        siblings = _Siblings(mentions)
        made: list[dict] = []
        forecasts = _forecasts(statement, text_mentions, siblings, record.language or source.language)
        head = None
        for mention in mentions:
            if id(mention) in forecasts:
                skips.append(Skip(source.path, repr(mention.text), f"a target or forecast ({forecasts[id(mention)]!r}): "
                                  "when the source expects it, not when it happened", record.line))
                head = None
                continue
            claim, reason = _claim(source, record, mention, siblings, statement, follow if statement != record.text else None)
            if claim and not mention.own_time and claim["kind"] not in STRONG:
                claim["kind"] = _pointing_back(claim["kind"], statement, mention, before, record.language or source.language)
            if claim and mention.apposed and head is not None:
                # "10:05 a.m. ET, or 15:05 GMT" that do not agree: one statement in two zones, one milestone.
                claim.update(kind=head["kind"], apposed=True)
            if claim:
                made.append(claim)
            else:
                skips.append(Skip(source.path, repr(mention.text), reason, record.line))
            if not mention.own_time:
                head = claim
        out += _summarized(made, record, statement, follow if statement != record.text else None, siblings,
                           record.language or source.language)
    return out, skips


def _pointing_back(kind: str, statement: str, mention: Mention, previous: str, lang: str | None) -> str:
    """A sentence that only points back ("That occurred at 1409 UTC", "Das geschah um 14:09 Uhr")
    reports the milestone the sentence before it ends on ("... and restored traffic.")."""
    words = vocabulary(lang)
    if words.anaphora is None:
        return kind
    first, _ = _sentence_around(statement, mention.start, mention.end)
    if not words.anaphora.match(statement, first):
        return kind
    before = statement[:first].rstrip() or previous
    said = classify(before, len(before), len(before), lang=lang) if before else kind
    return said if said in STRONG else kind


def _forecasts(statement: str, mentions: list[Mention], siblings: _Siblings, lang: str | None) -> dict[int, str]:
    """The times a statement gives as targets or forecasts ("le retour est prévu vers 22h",
    "previsto para las 18:00", "expected by 5 p.m.", "9時30分を目標"), by ``id`` of the mention,
    with the word that says so. They are not events of the outage. A time written beside a
    forecast one, with only a few words between them ("西日本は7時15分、東日本は9時30分を目標",
    "prévu entre 15h et 17h"), is one too."""
    words = vocabulary(lang)
    if not (words.forecast_before or words.forecast_after) or not mentions:
        return {}
    found: dict[int, str] = {}
    ordered = sorted(mentions, key=lambda m: m.start)
    for mention in ordered:
        first, last = _sentence_around(statement, mention.start, mention.end)
        lo, hi = siblings.gap(mention, first, last)
        m = words.forecast_before and words.forecast_before.search(statement[lo:mention.start])
        m = m or (words.forecast_after and words.forecast_after.search(statement[mention.end:hi]))
        if m:
            found[id(mention)] = m.group("word")
    pairs = list(pairwise(ordered))
    for pass_ in (pairs, pairs[::-1]):  # forward, then back: "A, B et C prévus" reaches A through B
        for a, b in pass_:
            if (id(a) in found) != (id(b) in found) and _coordinated(statement[a.end:b.start], words.spaces):
                word = found.get(id(a)) or found[id(b)]
                found[id(a)] = found[id(b)] = word
    return found


def _coordinated(gap: str, spaces: bool) -> bool:
    """Two times listed side by side: no end of clause between them, and at most three words
    ("entre 15h et 17h"), or, where no spaces are written, a list mark and a few characters
    ("7時15分、東日本は9時30分": but "8時に西日本では11時頃" is a time and what was said then)."""
    if re.search(r"[;:.!?。；：！？]", gap):
        return False
    if spaces:
        return len(gap.split()) <= 3
    return bool(re.match(r"\s*[、，,・～〜~\-–—]", gap)) and len(gap.strip()) <= 6


# The stop comes first and the look-behinds after it ("not after a.m", "not after an initial"),
# so that the search skips to the next stop instead of trying the look-behinds at every position.
_SENTENCE_BREAK = re.compile(r"[.!?](?<![ap]\.m[.!?])(?<!\b[A-Z][.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z])")


@lru_cache(maxsize=64)
def _breaks(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    found = list(_SENTENCE_BREAK.finditer(text))
    return tuple(m.start() for m in found), tuple(m.end() for m in found)


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding a time, inside a post or update that says several things."""
    starts, ends = _breaks(text)
    i = bisect_right(ends, start)
    first = ends[i - 1] if i else 0
    j = bisect_left(starts, end)
    last = ends[j] if j < len(ends) else len(text)
    return first, last


def _headed_paragraph(header: Record, follow: Record) -> bool:
    """Whether ``follow`` begins the paragraph right under the heading ``header``."""
    return header.paragraph is not None and follow.paragraph == header.paragraph + 1


_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _is_header(text: str, mentions: list[Mention], lang: str | None) -> bool:
    """"Update at 01:00 on July 4.", "09:47 UTC:" or "### 2018 October 21 22:54 UTC" heads the
    statement that follows it: beside its times it holds at most a couple of words (the
    language's cue and join words aside), and it ends with a colon, starts with a header word, or
    holds no word at all."""
    rest = _outside(text, sorted((m.start, m.end) for m in mentions))
    glue = _glue(lang)
    words = [w for w in _LETTERS.findall(rest) if w.casefold() not in glue]
    if len(words) > _HEADER_WORDS:
        return False
    header = vocabulary(lang).header
    # "### 2018 October 21 22:54 UTC", "**09:47 UTC**": nothing but the time and markup
    return text.rstrip().endswith(":") or bool(header and header.match(text)) or not re.search(r"\w", rest)


@cache
def _glue(lang: str | None) -> frozenset[str]:
    """The language's cue, join, range and hedge words: what a heading may hold beside its times."""
    lex = lexicon(lang)
    return frozenset(w.casefold() for words in (lex.cues, lex.joins, lex.range_from, lex.range_to, lex.hedges_before)
                     for w in words.words)


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans left out."""
    pieces, pos = [], 0
    for a, b in spans:
        pieces.append(text[pos:max(pos, a)])
        pos = max(pos, b)
    pieces.append(text[pos:])
    return " ".join(pieces)


def _claim(source, record: Record, mention: Mention, siblings: _Siblings, statement: str,
           follow: Record | None) -> tuple[dict | None, str | None]:
    """The fields of the claim a mention makes but its summary (``_summarized`` writes it and
    makes the ``Claim``, once), or None and the reason it makes none."""
    if mention.own_time:
        kind = labels().get((record.label or "").lower()) or classify(record.text, 0, 0, lang=record.language or source.language)
        if kind == "other":
            kind = "update"
        local_text = mention.text
    else:
        first, last = (0, len(statement)) if follow else _sentence_around(statement, mention.start, mention.end)
        if _is_withdrawn(statement, first, last, record.language or source.language):
            return None, "a correction quotes what an earlier version said: withdrawn, not a claim"
        finer = siblings.finer(mention, RESTATE_SECONDS)
        if finer:
            return None, f"restates a more precise time in the same sentence ({finer.text!r})"
        same = siblings.same_earlier(mention, 60)
        if same:
            return None, f"the same instant as {same.text!r} earlier in the sentence, written another way"
        lo, hi = siblings.gap(mention, first, last)
        context = statement[lo:hi]
        kind = classify(context, mention.start - lo, mention.end - lo, mention.role, record.language or source.language,
                        statement[first:last])
        if mention.span.precision == "day" and kind not in STRONG:
            return None, "a date with no time and no milestone: used to date the times after it"
        local_text = mention.text
    return dict(
        source=source.path, role=source.role, kind=kind, span=mention.span,
        quote=_quote(statement, mention), local_text=local_text, local=mention.local, record=record.index,
        origin=Origin.TIMESTAMP if mention.own_time else Origin.TEXT, line=record.line,
        start=mention.start, end=mention.end, author=record.author, url=record.url,
        alternatives=mention.alternatives,
    ), None


def _summarized(made: list[dict], record: Record, statement: str, follow: Record | None,
                siblings: _Siblings, lang: str | None) -> list[Claim]:
    """The claims of one record (``_claim``'s fields) with their summaries: the statement each
    cites, cut to a line.

    A sentence that holds several claimed times gives each claim the part that is its own (see
    ``summary.part_summary``), so that two claims share a summary only when they are one statement."""
    summaries: list[str] = [""] * len(made)
    sentences: dict[tuple[int, int], list[int]] = {}
    for n, claim in enumerate(made):
        if claim["origin"] is Origin.TIMESTAMP:
            summaries[n] = part_summary(record.text, 0, len(record.text), (), None)
        elif follow is not None:
            summaries[n] = part_summary(follow.text, 0, len(follow.text), (), None)
        else:
            sentences.setdefault(_sentence_around(statement, claim["start"], claim["end"]), []).append(n)
    for (first, last), group in sentences.items():
        chain = sorted({(made[n]["start"], made[n]["end"]) for n in group})
        times = sorted((m.start, m.end) for m in siblings.between(first, last))
        verb_final = vocabulary(lang).verb_final
        for n in group:
            index = bisect_left(chain, (made[n]["start"], made[n]["end"]))
            summaries[n] = part_summary(statement, first, last, chain, index, times, verb_final=verb_final)
    return [Claim(summary=summary, **claim) for claim, summary in zip(made, summaries, strict=True)]


def _quote(statement: str, mention: Mention) -> str:
    """The statement a claim cites, whole when it is of a sentence's or a post's length. A
    statement longer than ``QUOTE_MAX_CHARS`` (a page with no sentence breaks) is cited by the
    stretch around its time, so that the output grows with the input rather than with the input
    times the number of times in it."""
    if len(statement) <= QUOTE_MAX_CHARS:
        return statement
    half = QUOTE_MAX_CHARS // 2
    lo = 0 if mention.own_time else max(0, min(mention.start - half, len(statement) - QUOTE_MAX_CHARS))
    hi = lo + QUOTE_MAX_CHARS
    return ("…" if lo else "") + statement[lo:hi].strip() + ("…" if hi < len(statement) else "")


class _Siblings:
    """The time mentions written in one record's text, indexed by time and position, so that
    judging each mention against the others costs a bisection rather than a scan (a record with
    thousands of times, even all the same time, stays near-linear instead of quadratic)."""

    SCAN = 32  # below this many, a plain scan is as quick as the index

    def __init__(self, mentions: list[Mention]):
        self.written = [m for m in mentions if not m.own_time]
        self._by_time = sorted(range(len(self.written)), key=lambda k: self.written[k].span.best)
        self._times = [self.written[k].span.best for k in self._by_time]
        self._by_start = sorted(self.written, key=lambda m: m.start)
        self._starts = [m.start for m in self._by_start]
        self._ends = sorted(m.end for m in self.written)
        self._indexed = len(self.written) > self.SCAN and all(a is b for a, b in zip(self._by_start, self.written, strict=True))
        self._trees: dict[int, _MinTree] = {}

    def _window(self, mention: Mention, seconds: float, inclusive: bool) -> tuple[int, int]:
        delta = timedelta(seconds=seconds)
        if inclusive:
            return bisect_left(self._times, mention.span.best - delta), bisect_right(self._times, mention.span.best + delta)
        return bisect_right(self._times, mention.span.best - delta), bisect_left(self._times, mention.span.best + delta)

    def _first(self, lo: int, hi: int, below_rank: int) -> Mention | None:
        """The first mention in the record's order, among those ``lo:hi`` in time order, whose
        precision ranks below ``below_rank``."""
        if below_rank not in self._trees:
            self._trees[below_rank] = _MinTree([k if _rank(self.written[k]) < below_rank else _NONE for k in self._by_time])
        k = self._trees[below_rank].min(lo, hi)
        return None if k == _NONE else self.written[k]

    def finer(self, mention: Mention, seconds: float) -> Mention | None:
        """The first other mention within ``seconds`` (inclusive) that is more precise."""
        lo, hi = self._window(mention, seconds, inclusive=True)
        if self._indexed:
            return self._first(lo, hi, _rank(mention))
        return next((self.written[k] for k in sorted(self._by_time[lo:hi])
                     if self.written[k] is not mention and _rank(self.written[k]) < _rank(mention)), None)

    def same_earlier(self, mention: Mention, seconds: float) -> Mention | None:
        """The first mention written before this one and under ``seconds`` from it: in start
        order, that is the first of the window, if it starts before this one. A time is the same
        instant only as another time: a date alone ("2019-07-03", best at its noon) never is."""
        lo, hi = self._window(mention, seconds, inclusive=False)
        below = _RANKS if _rank(mention) >= _TIMED else _TIMED
        # One less precise than this one restates this one and is the one left out ("43 minutes
        # later ... at 1452 UTC": the clock time stays), so it cannot take this one's place.
        below = min(below, _rank(mention) + 1)
        if self._indexed:
            first = self._first(lo, hi, below)
            return first if first is not None and first.start < mention.start else None
        return next((self.written[k] for k in sorted(self._by_time[lo:hi])
                     if self.written[k].start < mention.start and _rank(self.written[k]) < below), None)

    def gap(self, mention: Mention, first: int, last: int) -> tuple[int, int]:
        """The stretch of text between the nearest other times before and after this one."""
        i = bisect_right(self._ends, mention.start)
        j = bisect_left(self._starts, mention.end)
        lo = max(self._ends[i - 1], first) if i else first
        hi = min(self._starts[j], last) if j < len(self._starts) else last
        return lo, hi

    def between(self, first: int, last: int) -> list[Mention]:
        """The written mentions lying wholly inside ``[first, last)``."""
        lo = bisect_left(self._starts, first)
        hi = bisect_right(self._starts, last)
        return [m for m in self._by_start[lo:hi] if m.end <= last]


_NONE = 1 << 62
_RANKS = 99
_TIMED = Precision.PART_OF_DAY.rank  # ranks below it have a time of day


class _MinTree:
    """Range minimum over a list (a segment tree): O(log n) per query, 2n values kept."""

    def __init__(self, values: list[int]):
        self.n = len(values)
        self.tree = [_NONE] * self.n + values
        for i in range(self.n - 1, 0, -1):
            self.tree[i] = min(self.tree[2 * i], self.tree[2 * i + 1])

    def min(self, lo: int, hi: int) -> int:
        """The least value of ``values[lo:hi]``."""
        best, lo, hi = _NONE, lo + self.n, hi + self.n
        while lo < hi:
            if lo & 1:
                best = min(best, self.tree[lo])
                lo += 1
            if hi & 1:
                hi -= 1
                best = min(best, self.tree[hi])
            lo, hi = lo >> 1, hi >> 1
        return best


@lru_cache(maxsize=256)
def _is_withdrawn(statement: str, first: int, last: int, lang: str | None) -> bool:
    """Whether the sentence ``statement[first:last]`` is a correction note; asked once per
    sentence, not once per time in it."""
    withdrawn = vocabulary(lang).withdrawn
    return bool(withdrawn and withdrawn.search(statement[first:last]))


def _rank(m: Mention) -> int:
    return m.span.precision.rank
