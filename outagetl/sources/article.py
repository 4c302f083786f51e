"""News stories and blog posts: plain text, Markdown and HTML → one record per sentence."""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from pathlib import Path

from .. import kept
from ..model import LanguageRule, Record, Source, SourceDoc
from .base import drop_tags, end_block, release_tree
from .furniture import stamp
from .text import sentences

NAME = "article"
# Possessive quantifiers: three \s* in a row once made 4,000 spaces take minutes (cubic backtracking).
_DATELINE = re.compile(
    r"^\s*+(?:date|published|posted|updated|dateline)?\s*+:?\s*+"
    r"(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)\b",
    re.I,
)
_HTML = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<meta|<body|<article)", re.I)
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr",
           "section", "article", "figcaption", "br", "time", "dd", "dt")
_DROP = ("script", "style", "nav", "noscript", "header", "footer", "aside", "form", "iframe",
         "svg", "template", "button", "select")


def sniff(path: Path, head: str) -> int:
    """Articles are the fallback for any readable text; HTML is recognised by its markup."""
    if _HTML.search(head) or path.suffix.lower() in (".html", ".htm"):
        return 50
    return 1


def read(path: Path, text: str, display: str) -> SourceDoc:
    if _HTML.search(text[:2048]) or path.suffix.lower() in (".html", ".htm"):
        return _read_html(text, display)
    return _read_text(text, display, markdown=path.suffix.lower() in (".md", ".markdown"))


def _read_text(text: str, display: str, markdown: bool) -> SourceDoc:
    if markdown:
        text = _strip_markdown(text)
    published = None
    title = None
    lines = text.splitlines()
    for line in lines[:5]:
        m = _DATELINE.match(line)
        if m:
            published = m.group(1).replace(" ", "T")
            break
    for line in lines:
        if line.strip():
            title = line.strip().lstrip("# ")[:200]
            break
    source = Source(path=display, type="article", title=title, published=published, reader=NAME)
    return SourceDoc(source, _records(display, text), text=text)


# Possessive, so that a line of deep indentation is scanned once (a list nested 3,000 deep was quadratic).
_TABLE_RULE = re.compile(r"(?m)^[ \t]*+\|?[ \t]*+:?-{3,}+:?[ \t]*+(?:\|[ \t]*+:?-{3,}+:?[ \t]*+)*+\|?[ \t]*+$")
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|(.+)\|[ \t]*$")


def _table_row(m: re.Match) -> str:
    cells = [c.strip() for c in m.group(1).split("|") if c.strip()]
    return "- " + " — ".join(cells)


def _strip_markdown(text: str) -> str:
    """Drop Markdown syntax but keep every character position's line, so line numbers hold.
    A table row becomes a list item of its own: each row of a timeline table is one statement."""
    text = _TABLE_RULE.sub("", text)
    text = _TABLE_ROW.sub(_table_row, text)
    # Bounded spans: "[[[[..." or "*a *a *a ..." with no closing mark must not rescan the rest of
    # the text from every opening mark (quadratic); no real link text or emphasis is this long.
    text = re.sub(r"!\[([^\]]{0,1000})\]\([^)]{0,2000}\)", r"\1", text)
    text = re.sub(r"\[([^\]]{1,1000})\]\([^)]{0,2000}\)", r"\1", text)
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", r"\1.", text)
    text = re.sub(r"(?m)^\s{0,3}>\s?", "", text)
    text = re.sub(r"(\*\*|__)(.{1,1000}?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.{1,1000}?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    return text


BYLINE_LINES = 12
# Prose: a sentence this long, or two sentences this long in one paragraph, end a page's head.
_PROSE_WORDS, _PARAGRAPH_WORDS = 12, 4
_TERMINAL = re.compile(r"[.!?。！？][\"”’»)\]」』]*\s*$")
_WORDS = kept.compile(r"[^\W\d_\u3040-\u30ff\u3400-\u9fff]+|[\u3040-\u30ff\u3400-\u9fff]")
_CJK = kept.compile("[\u3040-\u30ff\u3400-\u9fff]")
_NEWLINE = re.compile("\n")


def _records(display: str, text: str) -> tuple[Record, ...]:
    """Sentences; the page's own furniture ("Posted Wed 8 Nov 2023 at 5:52pm", "Aktualisiert am
    19.07.2024, 15:57 Uhr Lesedauer: 2 Min.") is labelled with its ``Furniture`` kind: it dates
    the page and is never an event of the outage. A labelled stamp counts anywhere; a bare date
    line ("Jul 2, 2019", "Am 19.07.2024 - 15:42") only at the page's head, before its first prose,
    since further down it may stamp one update of a status history."""
    breaks = [m.end() for m in _BLANK_LINE.finditer(text)]
    pieces = sentences(text)
    paragraphs = [bisect_right(breaks, offset) for offset, _ in pieces]
    head_ends = _head_end(pieces, paragraphs)
    newlines = [m.start() for m in _NEWLINE.finditer(text)]  # a line number by bisection, not by counting from the top
    out = []
    for i, (offset, sentence) in enumerate(pieces):
        line = bisect_left(newlines, offset) + 1  # the newlines before it
        found = stamp(sentence)
        head = i < head_ends and (line <= BYLINE_LINES or i < BYLINE_LINES)
        label = found.kind if found and (found.labelled or head) else None
        out.append(Record(source=display, index=i, text=sentence, offset=offset, line=line, label=label,
                          paragraph=paragraphs[i]))
    return tuple(out)


def _head_end(pieces: list[tuple[int, str]], paragraphs: list[int]) -> int:
    """The index of the first sentence of prose: a long sentence, or two sentences in one paragraph."""
    for i in range(len(pieces)):
        count = _prose_words(pieces[i][1])
        if count >= _PROSE_WORDS * (2 if _CJK.search(pieces[i][1]) else 1):
            return i
        if (count >= _PARAGRAPH_WORDS and i + 1 < len(pieces) and paragraphs[i + 1] == paragraphs[i]
                and _prose_words(pieces[i + 1][1]) >= _PARAGRAPH_WORDS):
            return i
    return len(pieces)


def _prose_words(sentence: str) -> int:
    """The words of a sentence that ends as prose does, else 0 (counted only up to the head's end)."""
    return len(_WORDS.findall(sentence)) if _TERMINAL.search(sentence) else 0


# A paragraph ends at a blank line; the lines of a timeline list, with none between them, are one.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _read_html(text: str, display: str) -> SourceDoc:
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception:  # noqa: BLE001 - lxml missing or refusing: fall back to the stdlib parser
        soup = BeautifulSoup(text, "html.parser")
    metas = _metas(soup)
    published = _html_published(soup, metas)
    html = soup.find("html")
    language = html.get("lang") if html else None
    og_locale = metas.get(("property", "og:locale"))
    locale = og_locale.get("content") if og_locale else None
    if isinstance(language, list):
        language = language[0]
    title_tag = metas.get(("property", "og:title"))
    title = title_tag.get("content") if title_tag else (soup.title.get_text(strip=True) if soup.title else None)
    drop_tags(soup.find_all(_DROP))
    body = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in body.find_all(_BLOCKS):  # a block's text ends where its last child does (``end_block``)
        end_block(tag, "." if tag.name in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "dt") else "")
    plain = body.get_text()
    release_tree(soup)
    plain = re.sub(r"[ \t\xa0]+", " ", plain)
    plain = re.sub(r"\n\s*\n\s*(\n\s*)+", "\n\n", plain)
    plain = re.sub(r" ?\n ?\n ?\.(?=\s|$)", ".", plain)  # an item's stop after its own last block's break
    plain = re.sub(r"\.\.(?=\s)", ".", plain)
    plain = re.sub(r"([!?:])\.(?=\s)", r"\1", plain).strip()
    if published is None:
        m = _DATELINE.match(plain[:200])
        published = m.group(1).replace(" ", "T") if m else None
    language = (language or "").replace("_", "-").strip() or None
    locale = (locale or "").replace("_", "-").strip() or None
    source = Source(
        path=display, type="article", title=title, published=published, language=language, locale=locale,
        language_rule=LanguageRule.DECLARED_HTML_LANG if language else LanguageRule.DECLARED_OG_LOCALE if locale else None,
        reader=NAME,
    )
    return SourceDoc(source, _records(display, plain), text=plain)


_META_NAMES = ("property", "name", "itemprop")
"""The attributes a ``<meta>`` is named by (``property="og:title"``, ``name="date"``)."""


def _metas(soup) -> dict[tuple[str, str], object]:
    """The page's first ``<meta>`` for each (attribute, value) that names one, in one pass over the
    page: a search per name went over the whole page eight times (0.14 s of a 1 MB page's 1 s)."""
    found: dict[tuple[str, str], object] = {}
    for tag in soup.find_all("meta"):
        for attribute in _META_NAMES:
            value = tag.get(attribute)
            if isinstance(value, str):
                found.setdefault((attribute, value), tag)
    return found


def _html_published(soup, metas: dict[tuple[str, str], object]) -> str | None:
    for named in (("property", "article:published_time"), ("name", "article:published_time"),
                  ("itemprop", "datePublished"), ("name", "date"), ("name", "pubdate"),
                  ("property", "og:published_time")):
        tag = metas.get(named)
        if tag and tag.get("content"):
            return tag["content"].strip()
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError, RecursionError):
            continue
        found = _find_key(data, "datePublished")
        if found:
            return found
    tag = soup.find("time", attrs={"datetime": True})
    if tag:
        return tag["datetime"].strip()
    return None


def _find_key(data, key, depth=0):
    if depth > 8:
        return None
    if isinstance(data, dict):
        if isinstance(data.get(key), str):
            return data[key].strip()
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _find_key(item, key, depth + 1)
            if found:
                return found
    return None
