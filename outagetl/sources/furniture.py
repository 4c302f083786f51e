"""Page furniture: the lines a page prints about itself, never events of the outage.

"Aktualisiert am 19.07.2024, 15:57 Uhr Lesedauer: 2 Min.", "By Jane Roe | Updated March 5, 2024",
"» 2022年07月03日 18時30分 公開", "Mon 28 Aug 2023 19.21 BST": a page's publication or update stamp,
its byline, reading time and share counts. Such a line dates the page (``timeparse.context`` reads
its date when the page's metadata gives none) and is never a claim. A line is a stamp when it is
made only of furniture words (``data/furniture.toml``, every language at once), a date with its
time, zone, weekday and clock words, names after a byline word, short crumbs between | · • and a
bracketed credit, and holds a date. The readers label such records (``Furniture``); which label
a line gets, and whether it counts anywhere or only at the head of a page, is decided here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .. import kept
from ..lexicon import available, lexicon
from ..model import Furniture
from ..tables import load

MAX_CHARS = 200  # a stamp is a short line: longer ones are never read as furniture
_CRUMB_CHARS = 40
_CRUMB_WORDS = 5
_CRUMBS = re.compile(r"\s*[|·•]\s*")
_DIGIT = re.compile(r"\d")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_CHAR = kept.compile(f"[{_CJK}]")
_NOT_CJK = kept.compile(f"[^{_CJK}]")
# (Square brackets are not separators: what they hold is a credit, "[Jane Roe/Agency]".)
_SEP = r"[\s,.:;/\\\-–—(){}|·•»«›‹<>@*~=+'\"“”‘’「」『』（）、，：；。・／！!?？]+"
_LATIN_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-Ž"


@dataclass(frozen=True)
class Stamp:
    """What a furniture line says about its page."""

    kind: Furniture
    """The page's publication (``PUBLISHED``) or its last update (``UPDATED``)."""
    labelled: bool
    """Labelled with a publication or update word: furniture anywhere in the page. Unlabelled
    ("Jul 2, 2019", "Am 19.07.2024 - 15:42") it is furniture only at the page's head."""


def stamp(line: str) -> Stamp | None:
    """The stamp ``line`` is, or None when it says anything else."""
    text = line.strip()
    # A heading ("### 2018 October 21 22:54 UTC") or a line ending with a colon heads what follows it.
    if not text or len(text) > MAX_CHARS or not _DIGIT.search(text) or text.startswith("#") or text.endswith((":", "：")):
        return None
    return _stamp(text)


@lru_cache(maxsize=4096)
def _stamp(text: str) -> Stamp | None:
    """``stamp`` of a short stripped line with a digit. Remembered, since a page's short lines are
    each read twice: as a line of its paragraph (``text.paragraphs`` cuts a stamp off the prose
    after it) and again as the sentence it becomes (``article._records`` labels it)."""
    tokens: list[tuple[str, str]] = []
    for segment in _CRUMBS.split(text):
        if not segment:
            continue
        read = None if _foreign(segment) else _tokens(segment)
        if read is None:
            if not _is_crumb(segment):
                return None
            continue
        tokens += read
    return _read(tokens)


_CREDIT = re.compile(r"[\[【][^\]】\n]{1,40}[\]】]")
_LOWER_WORD = re.compile(r"(?<![\w'’.-])[^\W\d_]+(?![\w'’.-])")


def _foreign(segment: str) -> bool:
    """Whether the segment holds a lower-case word that is in no furniture table, so that
    ``_tokens`` cannot read it: such a word is no label, month, zone or filler, and a name starts
    with a capital. A cheap test that most lines of a story fail at their first word; it never
    rejects a segment that ``_tokens`` reads (words inside a bracketed credit are not looked at)."""
    known = _known_words()
    for m in _LOWER_WORD.finditer(_CREDIT.sub(" ", segment) if "[" in segment or "【" in segment else segment):
        word = m.group()
        if word.islower() and word.casefold() not in known:
            return True
    return False


@cache
def _known_words() -> frozenset[str]:
    """Every letter run of every word the furniture tokens are built from, case-folded."""
    months, weekdays, abbreviations, names = _vocabulary()
    every = [w for ws in tables().values() for w in ws] + [*months, *weekdays, *abbreviations, *names]
    # suffixes a number token carries ("3rd", "15er" are read whole, but count them anyway)
    every += ["st", "nd", "rd", "th", "er", "e", "h"]
    return frozenset(run.casefold() for w in every for run in re.findall(r"[^\W\d_]+", w))


@cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Month names, weekday names (of more than two letters, or CJK), zone abbreviations and zone
    names in every language: what ``_token`` reads and ``_known_words`` may let through."""
    languages, zones = load("languages"), load("zones")
    months = {w for ws in languages["months"].values() for w in ws}
    weekdays = {w for ws in languages["weekdays"].values() for w in ws if len(w) > 2 or _CJK_CHAR.search(w)}
    names = set(zones["names"])
    for code in available():
        names.update(lexicon(code).zones.words)
    return frozenset(months), frozenset(weekdays), frozenset(zones["abbreviations"]), frozenset(names)


def _tokens(segment: str) -> list[tuple[str, str]] | None:
    """The segment as furniture tokens (kind, text), or None where anything else is written."""
    pattern = _token()
    out, pos = [], 0
    while pos < len(segment):
        m = pattern.match(segment, pos)
        if m is None or m.end() == pos:
            return None
        if m.lastgroup != "sep":
            out.append((m.lastgroup, m.group()))
        pos = m.end()
    return out


def _read(tokens: list[tuple[str, str]]) -> Stamp | None:
    """A stamp when the tokens hold a date: its kind from the label nearest before the date."""
    at = _date_at(tokens)
    if at is None:
        return None
    labels = [(i, kind) for i, (kind, _) in enumerate(tokens) if kind in ("published", "updated", "head")]
    before = [kind for i, kind in labels if i <= at]
    strong = [kind for kind in before if kind != "head"]
    if strong:
        label = strong[-1]  # "Aktualisiert am 19.07.2024": the label, not the "am" after it
    elif before:
        label = "published"  # "Posted 8 Nov 2023, updated 9 Nov 2023": the first stamp is the publication
    else:
        label = next((kind for i, kind in labels if i > at), "published")  # "2024年7月19日 15:42 更新"
    return Stamp(Furniture.UPDATED if label == "updated" else Furniture.PUBLISHED,
                 any(kind in ("published", "updated") for _, kind in labels))


def _date_at(tokens: list[tuple[str, str]]) -> int | None:
    """Where the tokens write a date: a numeric one, or a month name beside a day number."""
    for i, (kind, _) in enumerate(tokens):
        if kind == "date":
            return i
        if kind == "month":
            for j in (i - 1, i + 1, i - 2, i + 2):
                if 0 <= j < len(tokens) and _is_day(tokens[j]) and _joined(tokens, i, j):
                    return i
    return None


def _is_day(token: tuple[str, str]) -> bool:
    kind, text = token
    digits = re.match(r"\d+", text)
    return kind == "num" and digits is not None and len(digits.group()) <= 2 and 1 <= int(digits.group()) <= 31


def _joined(tokens: list[tuple[str, str]], i: int, j: int) -> bool:
    """Whether only join words stand between tokens i and j ("5 de marzo", "3rd of July")."""
    lo, hi = sorted((i, j))
    return all(tokens[k][0] == "filler" for k in range(lo + 1, hi))


def _is_crumb(segment: str) -> bool:
    """A short crumb between | · • ("Tech", "Nation and World"): a section name, not a statement."""
    return (len(segment) <= _CRUMB_CHARS and len(segment.split()) <= _CRUMB_WORDS
            and not re.search(r"[.!?。！？]\s*$", segment) and not any(c.isdigit() for c in segment))


def _alternation(words, cased: bool = False) -> str:
    """Phrases as one pattern that matches what the alternation of them, longest first, would: a
    Latin word matches whole, a CJK one anywhere. Written as a trie ("(?:jan(?:uary|)|june?)"),
    since the regex engine tries the alternatives of a flat list one by one at every position:
    with 600 zone names and 100 months before the number a line's tokens are read 10× slower.
    It is the same pattern because all the phrases that can match at one place are prefixes of
    one another (the text decides every letter, case aside, and white space between words), and
    the trie tries the longer continuation before it lets a phrase end."""
    trie: dict = {}
    for word in {w.strip() for w in words if w.strip()}:
        node = trie
        for i, part in enumerate(word.split()):
            if i:
                node = node.setdefault(_GAP, {})
            for char in part:
                node = node.setdefault(char if cased or len(char.lower()) != 1 else char.lower(), {})
        node[_END] = r"(?![^\W\d_])" if _latin(word[-1]) else ""
    if not trie:
        return r"(?!)"
    latin = {k: v for k, v in trie.items() if _latin(k)}
    others = {k: v for k, v in trie.items() if not _latin(k)}
    parts = ([r"(?<![^\W\d_])" + _branches(latin)] if latin else []) + ([_branches(others)] if others else [])
    return ("(?-i:" if cased else "(?:") + "|".join(parts) + ")"


_GAP, _END = " ", ""  # trie keys: the white space between the words of a phrase; a phrase ends here


def _latin(char: str) -> bool:
    """A letter or digit outside CJK: a phrase that starts or ends with one matches only whole words."""
    return bool(_NOT_CJK.match(char)) and char.isalnum()


def _branches(node: dict) -> str:
    """The trie below ``node`` as a pattern; a phrase that ends here is tried after the longer ones."""
    branches = [(r"\s+" if key == _GAP else re.escape(key)) + _branches(child)
                for key, child in sorted(node.items()) if key != _END]
    if _END in node:
        branches.append(node[_END])
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@cache
def tables() -> dict:
    """Every language's furniture words, merged by role."""
    merged: dict[str, set[str]] = {}
    for lang, table in load("furniture").items():
        if lang in ("samples", "negatives"):
            continue
        for role, words in table.items():
            if role == "date_marks":
                for mark, signs in words.items():
                    merged.setdefault("mark_" + mark, set()).update(signs)
            else:
                merged.setdefault(role, set()).update(words)
    return merged


@cache
def _token() -> re.Pattern:
    words = tables()
    months, weekdays, abbreviations, names = _vocabulary()
    year, month, day = ("|".join(map(re.escape, sorted(words.get("mark_" + m, ())))) or "(?!)"
                        for m in ("year", "month", "day"))
    date = (r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
            r"|\d{4}[./]\d{1,2}[./]\d{1,2}(?!\d)|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?![\d.:])"
            rf"|(?:\d{{4}}\s?(?:{year})\s?)?\d{{1,2}}\s?(?:{month})\s?\d{{1,2}}\s?(?:{day})")
    capital = f"(?-i:[{_LATIN_CAPITAL}])"
    not_name = "(?!" + _alternation(months | weekdays | words.get("published", set()) | words.get("updated", set())) + ")"
    name_word = rf"{not_name}{capital}[\w'’.-]*"
    name_join = r"\s+(?:" + _alternation(words.get("name_joins", ())) + r"\s+)?"
    name = rf"(?:{name_word}(?:{name_join}{name_word}){{0,5}}|[{_CJK}]{{1,8}}(?:[A-Za-z]{{1,12}})?)"
    byline = _alternation(words.get("bylines", ())) + r"(?:\s*[:：]\s*|\s+)" + name
    zone = (_alternation(abbreviations, cased=True) + "|" + _alternation(names)
            + r"|(?:(?-i:UTC|GMT))?[+-]\d{1,2}(?::?\d{2})?(?!\d)")
    fillers = words.get("joins", set()) | words.get("reading", set()) | words.get("counts", set()) | words.get("clock", set())
    groups = [
        ("credit", r"[\[【][^\]】\n]{1,40}[\]】]"),
        ("sep", _SEP),
        ("date", date),
        ("byline", byline),
        ("updated", _alternation(words.get("updated", ()))),
        ("published", _alternation(words.get("published", ()))),
        ("head", _alternation(words.get("head", ()))),
        ("zone", zone),
        ("month", _alternation(months)),
        ("weekday", _alternation(weekdays)),
        ("filler", _alternation(fillers)),
        ("num", r"\d+(?:[.:,h]\d+)*(?:(?:st|nd|rd|th|er|e|º|ª)(?![^\W\d_]))?"),
    ]
    return kept.compile("|".join(f"(?P<{name}>{body})" for name, body in groups), re.I)
