"""Turn running text into sentences with their offsets.

News text saved from the web breaks paragraphs in the middle of sentences, so a paragraph break
only ends a sentence when the text before it could end one.
"""
from __future__ import annotations

import re
from itertools import pairwise

from .. import kept
from ..lexicon import longest_first
from ..tables import load
from .furniture import stamp

_LANGUAGES = load("languages")
_ABBREVIATIONS = frozenset(w for words in _LANGUAGES["abbreviations"].values() for w in words)
_MONTHS = frozenset(w for words in _LANGUAGES["months"].values() for w in words)
# A Latin-script sentence ends at . ! ? … before a space and a capital (accented, after an opening
# quote, «, „, ¿ or ¡, or a CJK character); a Japanese or Chinese one at 。！？, with no space.
_CAPITAL = "A-Z0-9#@À-ÖØ-ÞŒ\u3040-\u30ff\u4e00-\u9fff"
_SENTENCE_END = kept.compile(
    r"[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘„«‚(\[¿¡]?\s?[" + _CAPITAL + r"])"
    r"|[。！？]+(?P<closers>[」』）)\"”’]*)"
)
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_MERIDIEM = re.compile(r"(?:^|\s)[ap]\.m$", re.I)
def _zone_word() -> re.Pattern:
    """What may follow "a.m."/"p.m." inside the same sentence: a zone ("ET", "Pacific time",
    "(Brasília time)" — first words from the zone table), a weekday or a month."""
    names = {name.split()[0].split("/")[0] for name in load("zones")["names"]}
    words = longest_first({n[:1].upper() + n[1:] for n in names if n.isalpha()} | {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue", "Wed",
        "Thu", "Fri", "Sat", "Sun", "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
        "Sept", "Sep", "Oct", "Nov", "Dec", "Local"})
    return kept.compile(r"\s+(?:\(|[A-Z]{1,5}\b(?![a-z])|(?:" + "|".join(map(re.escape, words)) + r")\b)")


_ZONE_WORD = _zone_word()
_CONTINUES = re.compile(r"[,;:\-–—(、，：；（]\s*$|\b(?:the|a|an|and|or|of|to|for|in|on|at|with|by|from|that|when|until|since)\s*$")
_TERMINAL = re.compile(r"[.!?:\"”’')\]。！？」』]\s*$")


# The indent is taken whole (possessive: nothing after it starts with a space), so a line indented
# 6,000 deep is read once, not once per space given back (a 3,000-deep Markdown list: 1.4 s -> 0.03 s).
_LIST_LINE = re.compile(
    r"^[ \t]*+(?:[-*•+][ \t]+|\d{1,2}\.[ \t]+(?=\D)|\|[ \t]*)?(?:\*\*)?"
    r"(?:(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?)[ T,]+)?\d{1,2}[:.h]?\d{2}(?![\d/])"
    r"|^[ \t]*+[-*•+][ \t]+\S",
    re.M,
)
_LINE = re.compile(r"[^\n]+")
_BLOCK = re.compile(r"[^\n]+(?:\n(?![^\S\n]*\n)[^\n]*)*")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Blank-line separated blocks, re-joined where a sentence runs across the break.

    A line that starts with a time or a list bullet starts a block of its own, since
    postmortem timelines are lists ("09:47 Initial onset of errors"), one event per line.
    """
    blocks: list[tuple[int, str, bool]] = []
    for m in _BLOCK.finditer(text):
        block, base = m.group(), m.start()
        if "\n" not in block:  # one line: nothing to cut it at (most paragraphs of a story)
            if block.strip():
                blocks.append((base, block, bool(_LIST_LINE.match(block))))
            continue
        starts = [c.start() for c in _LIST_LINE.finditer(block)]
        # A page's own stamp ("Aktualisiert am 19.07.2024, 15:57 Uhr") is a block of its own.
        datelines = [line.start() for line in _LINE.finditer(block) if stamp(line.group())]
        ends = [block.find("\n", d) + 1 for d in datelines]
        cuts = sorted({0, len(block), *starts, *datelines, *(e for e in ends if 0 < e < len(block))})
        for a, b in pairwise(cuts):
            piece = block[a:b].rstrip("\n")
            if piece.strip():
                blocks.append((base + a, piece, bool(_LIST_LINE.match(piece)) or b < len(block)))
    # Each merged block: [offset, pieces, hard, tail, length]. Its pieces are joined once at the end
    # and only its last few characters are tested, so thousands of short lines stay linear.
    merged: list[list] = []
    for offset, block, hard in blocks:
        if merged and not merged[-1][2] and not hard:
            last = merged[-1]
            starts_lower = block.lstrip()[:1].islower()
            if starts_lower and not _TERMINAL.search(last[3]) or _CONTINUES.search(last[3]):
                gap = offset - last[0] - last[4]
                last[1].append(" " * gap + block)
                last[3] = _tail(last[3] + " " * min(gap, _TAIL) + block)
                last[4] += gap + len(block)
                continue
        merged.append([offset, [block], hard, _tail(block), len(block)])
    return [(o, "".join(pieces)) for o, pieces, *_ in merged]


_TAIL = 16  # longer than any word _CONTINUES looks for, and the boundary before it


def _tail(text: str) -> str:
    """The end of a block as _TERMINAL and _CONTINUES see it: trailing space dropped."""
    return text.rstrip()[-_TAIL:]


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; offsets index into ``text`` so quotes can be traced back."""
    out: list[tuple[int, str]] = []
    for offset, block in paragraphs(text):
        start = previous = 0
        for m in _SENTENCE_END.finditer(block):
            if m.group("closers") is not None:
                after = block[m.end() : m.end() + 1]
                if m.group("closers") and after and "\u3040" <= after <= "\u309f":
                    continue  # 「…復旧した。」と述べた: a particle after the quote, which is inside the sentence
                _emit(out, offset, block, start, m.end())
                start = m.end()
                continue
            # Whitespace follows every other match, so the word before this one starts after the
            # last of those: looking only there keeps a run of initials ("A. A. A. ...") linear.
            token = _last_word(block[max(start, previous) : m.start()]).lower().rstrip(".")
            previous = m.end()
            if token.lstrip("(\"“") in _ABBREVIATIONS or len(token) == 1 and "a" <= token <= "z":
                if _MERIDIEM.search(" " + token) and not _ZONE_WORD.match(block, m.end()):
                    pass
                else:
                    continue
            if _ordinal_before_month(token, block, m.end()):
                continue
            _emit(out, offset, block, start, m.end())
            start = m.end()
        _emit(out, offset, block, start, len(block))
    return out


def _last_word(text: str) -> str:
    """The word ``text`` ends with, or "": what ``(\\S+)$`` finds (``$`` also matches before a
    final newline), without a regex search that tries every position of the text."""
    text = text[:-1] if text.endswith("\n") else text
    return text.rsplit(None, 1)[-1] if text and not text[-1].isspace() else ""


def _ordinal_before_month(token: str, block: str, end: int) -> bool:
    """"am 19. Juli", "3. Oktober": a day number's dot before a month name is an ordinal."""
    if not (token.isdigit() and len(token) <= 2 and 1 <= int(token) <= 31):
        return False
    nxt = _NEXT_WORD.match(block, end)
    return bool(nxt) and nxt.group(1).lower() in _MONTHS


def _emit(out, offset, block, start, end):
    piece = block[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    out.append((offset + start + lead, " ".join(stripped.split())))  # each run of white space as one space
