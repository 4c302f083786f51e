"""Summaries for the events stage: the statement a claim cites, cut to one line.

A summary is the statement itself — the sentence, clause or list entry that holds the time — in
the source's language and script. It used to be the sentence with its time words cut out, which
left holes that English word lists patched ("Then,, the carrier confirmed …", "von Uhr bis Uhr
deutscher Zeit", "Am"). When one sentence holds several claimed times, each claim keeps the part
of it that is its own, so that two events never share a summary unless they are one statement.
How it is cut (width, clause marks, ellipsis) is data: ``data/summaries.toml``.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from . import kept
from .tables import load

Span = tuple[int, int]

# Scripts written without spaces between words (CJK ideographs, kana, Hangul, and the fullwidth
# punctuation they are written with): a summary may be cut between any two of their characters.
_UNSPACED = "\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_ATOM = kept.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")
# A word: letters (digits may follow), or one CJK character, which counts as half a word.
_WORD = kept.compile(rf"[^\W\d_{_UNSPACED}][^\W_{_UNSPACED}]*|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Markup that saved text keeps: Markdown emphasis, a heading's or a list item's mark. (Tags stay:
# what a page wrote is shown as written, escaped by the renderers.)
_EMPHASIS = re.compile(r"\*\*(?=\S)(.{1,300}?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.{1,300}?)(?<=\S)__(?!\w)")
_LEAD_MARK = re.compile(r"^(?:#{1,6}|>|[-*+•·▪◦‣⁃])\s+")
_SCAN = 8  # how far (in widths) around the time a window is read: enough for any summary


@dataclass(frozen=True)
class Style:
    """How summaries are cut, from ``data/summaries.toml``."""

    width: int
    ellipsis: str
    min_words: int
    clause_end: re.Pattern
    clause_start: re.Pattern
    loose: str
    mark: int = 1
    """Columns the ellipsis takes."""


@cache
def style() -> Style:
    data = load("summaries")
    return Style(
        width=data["width"],
        ellipsis=data["ellipsis"],
        min_words=data["min_words"],
        clause_end=re.compile("|".join(re.escape(m) for m in data["clause_ends"])),
        clause_start=re.compile("|".join(re.escape(m) for m in sorted(data["clause_starts"], key=len, reverse=True))),
        loose="".join(data["loose"]) + " ",
        mark=width(data["ellipsis"]),
    )


def width(text: str) -> int:
    """Terminal columns: a wide or fullwidth character (CJK) takes two, a combining mark none.
    An ASCII character takes one, so only the others are looked up (a summary cut with "…" is
    otherwise ASCII)."""
    if text.isascii():
        return len(text)
    others = _NON_ASCII.findall(text)
    total = len(text) - len(others)
    for ch in others:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def summarize(text: str, time: Span | None = None, others: Sequence[Span] = (), times: Sequence[Span] = (),
              limit: int | None = None, verb_final: bool = False) -> str:
    """The part of ``text`` that states the time at ``time``, on one line and cut to ``limit`` columns.

    ``others`` are the other claimed times in the same statement, ``times`` every time expression
    in it (they are not words of the statement). Without ``time`` (a post's own timestamp, or a
    statement under a heading that holds the time) the statement is read from its start.
    """
    chain = sorted({*others, time}) if time is not None else []
    index = chain.index(time) if time is not None else None
    return part_summary(text, 0, len(text), chain, index, sorted({*times, *chain}), limit, verb_final)


def part_summary(text: str, first: int, last: int, chain: Sequence[Span], index: int | None,
                 times: Sequence[Span] = (), limit: int | None = None, verb_final: bool = False) -> str:
    """The summary of the claim whose time is ``chain[index]``, in the statement ``text[first:last]``.

    ``chain`` holds the spans of every claimed time in that statement, sorted; the part between two
    of them is split at the last clause mark between them (else right after the earlier one), and a
    part with too few words of its own takes in the next part, or else the previous one. ``times``
    (sorted) are all the time expressions there, claimed or not: they are not words of the part.
    In a language that puts its verb at the end of the sentence (``verb_final``: Japanese), the
    predicate after the last time belongs to every time before it ("西日本は7時15分、東日本は9時30分を
    目標として復旧活動に取り組んでいる"): a part that ends before it is followed by it, after "…".
    Built for a statement with thousands of times: each summary reads only around its own.
    """
    s = style()
    limit = limit or s.width
    if index is None:
        return _cut(text, first, last, (first, first), (first, last), limit, s)
    lo, hi = _own_part(text, first, last, chain, index, times, s)
    own = _cut(text, lo, hi, chain[index], (first, last), limit, s)
    tail_lo = chain[-1][1]
    if not (verb_final and hi <= tail_lo < last and own.endswith(s.ellipsis)):
        return own
    room = limit - width(own)
    if room < limit // 4:
        return own
    end = _last_visible(text, tail_lo, last)
    tail = _cut(text, tail_lo, last, (end - 1, end), (first, last), room + s.mark, s)
    return own + tail.removeprefix(s.ellipsis) if tail and tail != s.ellipsis else own


def _own_part(text: str, first: int, last: int, chain: Sequence[Span], index: int, times: Sequence[Span],
              s: Style) -> tuple[int, int]:
    """The stretch of the statement that belongs to the time ``chain[index]`` rather than to its neighbours."""

    def split(k: int) -> int:
        """Where the text between the k-th time of the chain and the next divides."""
        return _split(text, chain[k][1], chain[k + 1][0], s)

    reach = s.width * _SCAN  # no summary shows more than this much of the part: stop looking there
    left = right = index  # the part runs from the split before time `left` to the split after time `right`
    lo = split(left - 1) if left else first
    hi = split(right) if right + 1 < len(chain) else last
    while right + 1 < len(chain) and hi - lo < reach and _words(text, lo, hi, times, s.min_words) < s.min_words:
        right += 1
        hi = split(right) if right + 1 < len(chain) else last
    while left > 0 and hi - lo < reach and _words(text, lo, hi, times, s.min_words) < s.min_words:
        left -= 1
        lo = split(left - 1) if left else first
    return lo, hi


def _split(text: str, end: int, start: int, s: Style) -> int:
    """Where the text between two times divides: after the last clause end, or at the last clause
    opening, between them; with neither, right after the earlier time."""
    between = text[end:start]
    cut = None
    for m in s.clause_end.finditer(between):
        cut = m.end()
    for m in s.clause_start.finditer(between):
        if cut is None or m.start() >= cut:
            cut = m.start()
    return end + (cut or 0)


def _words(text: str, lo: int, hi: int, times: Sequence[Span], enough: int) -> int:
    """Words in ``text[lo:hi]`` outside the time expressions (a CJK character counts as half a
    word), counted up to ``enough``."""
    count, pos = 0.0, lo
    k = max(0, bisect_left(times, (lo, lo)) - 1)
    while pos < hi:
        while k < len(times) and times[k][1] <= pos:
            k += 1
        stop = min(hi, times[k][0]) if k < len(times) else hi
        for m in _WORD.finditer(text, pos, max(pos, stop)):
            count += 0.5 if width(m.group()) == 2 and len(m.group()) == 1 else 1
            if count >= enough:
                return int(count)
        if k >= len(times) or times[k][0] >= hi:
            break
        pos = max(pos, times[k][1])
        k += 1
    return int(count)


def _cut(text: str, lo: int, hi: int, focus: Span, statement: Span, limit: int, s: Style) -> str:
    """``text[lo:hi]`` cut to ``limit`` columns around ``focus``: from the start of the part when
    the time fits after it, else from the start of the clause that holds the time (adding whole
    clauses before it while they fit), else centred on the time; then words after it while they
    fit. Atoms are words, or single characters of scripts written without spaces."""
    reach = limit * _SCAN
    view_lo, view_hi = max(lo, focus[0] - reach), min(hi, focus[1] + reach)
    if text.isascii() and s.mark <= 1:
        whole = _whole(text, view_lo, view_hi, statement, limit, s)
        if whole is not None:
            return whole
    atoms = [m.span() for m in _ATOM.finditer(text, view_lo, view_hi)]
    if not atoms:
        return ""
    starts = [a for a, _ in atoms]
    ends = [b for _, b in atoms]
    # Columns of atoms[i..j]: one space wherever the text has space between two atoms.
    prefix, gaps = [0], []
    narrow = text.isascii()  # every character one column: an atom's width is its length
    for k, (a, b) in enumerate(atoms):
        gaps.append(1 if k and a > atoms[k - 1][1] else 0)
        prefix.append(prefix[-1] + gaps[-1] + (b - a if narrow else width(text[a:b])))
    head, tail = 0, len(atoms) - 1
    cut_before = atoms[head][0] > _first_visible(text, *statement)
    cut_after = atoms[tail][1] < _last_visible(text, *statement)
    mark = s.mark

    def fits(i: int, j: int) -> bool:
        marks = (i > head or cut_before) + (j < tail or cut_after)
        return prefix[j + 1] - prefix[i] - gaps[i] + marks * mark <= limit

    first = min(bisect_right(ends, focus[0]), tail) if focus[1] > focus[0] else head
    last = max(first, bisect_left(starts, focus[1]) - 1)
    if fits(head, last):
        i, j = head, last
    else:
        # Clause openings before the time, nearest first: the clause that holds it, then whole
        # clauses before that one while they fit.
        openings = sorted({*(m.end() for m in s.clause_end.finditer(text, atoms[head][0], focus[0])),
                           *(m.start() for m in s.clause_start.finditer(text, atoms[head][0], focus[0]))},
                          reverse=True)
        i = None
        for opening in openings:
            k = bisect_left(starts, opening)
            if k <= first and fits(k, last):
                i = k
            elif i is not None:
                break
        if i is not None:
            j = last
        else:
            i, j = first, last
            while i < j and not fits(i, j):
                j -= 1  # a time wider than the line: keep its beginning
            left = True
            while True:
                if left and i > head and fits(i - 1, j):
                    i -= 1
                elif j < tail and fits(i, j + 1):
                    j += 1
                elif i > head and fits(i - 1, j):
                    i -= 1
                else:
                    break
                left = not left
    while j < tail and fits(i, j + 1):
        j += 1
    return _shown(text, atoms[i][0], atoms[j][1], i > head or cut_before, j < tail or cut_after, limit, s)


def _whole(text: str, lo: int, hi: int, statement: Span, limit: int, s: Style) -> str | None:
    """What ``_cut`` shows of an ASCII ``text[lo:hi]`` that fits on the line whole, told without
    reading its atoms one by one (None when it does not fit). Its atoms are its runs of non-space
    and each character is a column; when the whole fits with its marks, so does every stretch from
    its start (one atom shorter is a column narrower, and adds one mark of at most one column), so
    ``_cut`` takes them all."""
    view = text[lo:hi]
    shown = " ".join(view.split())
    if not shown:
        return ""
    begin, end = lo + len(view) - len(view.lstrip()), hi - len(view) + len(view.rstrip())
    cut_before = begin > _first_visible(text, *statement)
    cut_after = end < _last_visible(text, *statement)
    if len(shown) + (cut_before + cut_after) * s.mark > limit:
        return None
    return _shown(text, begin, end, cut_before, cut_after, limit, s)


def _shown(text: str, begin: int, end: int, cut_before: bool, cut_after: bool, limit: int, s: Style) -> str:
    """``text[begin:end]`` on one line, with the ellipsis where it was cut, and cut by characters
    when it is still wider than the line."""
    out = _clean(text[begin:end])
    if cut_after:
        out = out.rstrip(s.loose) + s.ellipsis
    if cut_before:
        out = s.ellipsis + out.lstrip(s.loose)
    mark = s.mark
    if width(out) > limit:  # one word wider than the line (a long link): cut it by characters
        used, n = 0, 0
        while n < len(out) and used + width(out[n]) <= limit - mark:
            used += width(out[n])
            n += 1
        out = out[:n] + s.ellipsis
    return out


def _first_visible(text: str, first: int, last: int) -> int:
    i = first
    while i < last and text[i].isspace():
        i += 1
    return i


def _last_visible(text: str, first: int, last: int) -> int:
    j = last
    while j > first and text[j - 1].isspace():
        j -= 1
    return j


def _clean(text: str) -> str:
    """One line of text: Markdown emphasis and a heading's or a list item's mark dropped, every run
    of space made one space."""
    if "**" in text or "__" in text:  # (the search would try every position of every summary)
        text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    text = " ".join(text.split())  # str.split's spaces are the ones ``\s`` matches
    return _LEAD_MARK.sub("", text)
