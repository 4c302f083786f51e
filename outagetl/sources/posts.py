"""What the post and status readers share: timestamps, HTML → text, JSON loading, building the doc.

Readers turn each post into an :class:`Item` (raw timestamp text plus how to parse it); ``build``
parses, orders and numbers them, so every reader reports bad timestamps the same way.
"""
from __future__ import annotations

import html
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from ..model import Flag, FlagCode, Record, Skip, Source, SourceDoc
from .base import SourceError, drop_tags, end_block, release_tree

_ISO = re.compile(r"\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_V11 = re.compile(
    r"\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+"
    r"(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+([+-])(\d{2})(\d{2})\s+(\d{4})\s*$"
)


class NoZone(ValueError):
    """A timestamp that names a wall-clock time but no offset: kept, but not placed in UTC."""


def parse_iso(raw: str) -> datetime:
    """ISO 8601 with a time and an offset (``Z`` included), as every post API writes it."""
    value = _iso_local(raw)
    if value.tzinfo is None:
        raise NoZone(f"timestamp {_short(raw)} has no UTC offset")
    return _utc(value, raw)


def _iso_local(raw) -> datetime:
    if not isinstance(raw, str) or not _ISO.match(raw):
        raise ValueError(f"not an ISO date-time: {_short(raw)}")
    try:
        return datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError(f"not an ISO date-time: {_short(raw)}") from None


def _utc(value: datetime, raw) -> datetime:
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(f"timestamp {_short(raw)} is out of range in UTC") from None


def is_iso(raw) -> bool:
    return isinstance(raw, str) and bool(_ISO.match(raw))


def is_v11(raw) -> bool:
    return isinstance(raw, str) and bool(_V11.match(raw))


def parse_v11(raw: str) -> datetime:
    """Twitter v1.1 ``Wed Jul 03 13:18:00 +0000 2019``: fixed English names, never the locale's."""
    return _utc(_v11_local(raw), raw)


def _v11_local(raw) -> datetime:
    m = _V11.match(raw) if isinstance(raw, str) else None
    if not m:
        raise ValueError(f"not a Twitter date: {_short(raw)}")
    day, mon, dd, hh, mi, ss, sign, oh, om, year = m.groups()
    offset = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    try:
        return datetime(int(year), _MONTHS.index(mon.lower()) + 1, int(dd), int(hh), int(mi),
                        int(ss), tzinfo=timezone(offset))
    except ValueError as exc:
        raise ValueError(f"impossible Twitter date {_short(raw)}: {exc}") from None


def parse_rfc822(raw: str) -> datetime:
    """RSS ``pubDate``; ``-0000`` means UTC (RFC 5322), an unknown zone word means no zone."""
    value = _rfc822_local(raw)
    if value.tzinfo is None:
        if re.search(r"-0000\s*$", raw):
            value = value.replace(tzinfo=timezone.utc)
        else:
            raise NoZone(f"timestamp {_short(raw)} has no zone this reader knows")
    return _utc(value, raw)


def _rfc822_local(raw) -> datetime:
    try:
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        raise ValueError(f"not an RFC 822 date: {_short(raw)}") from None


def as_written(raw, instant: datetime) -> str:
    """``instant`` in the offset its source wrote (a page's -07:00), which hints at the source's zone."""
    for local in (_v11_local, _iso_local, _rfc822_local):
        try:
            value = local(raw)
        except ValueError:
            continue
        if value.tzinfo is not None and value == instant:
            return value.isoformat()
    return instant.isoformat()


def parse_any(raw: str) -> datetime:
    """For exports whose format is not fixed (CSV): ISO, then Twitter's, then RFC 822."""
    if isinstance(raw, str) and _V11.match(raw):
        return parse_v11(raw)
    if isinstance(raw, str) and _ISO.match(raw):
        return parse_iso(raw)
    return parse_rfc822(raw)


def weekday_flag(raw: str, value: datetime) -> tuple[Flag, ...]:
    """A v1.1 weekday that disagrees with its date hints at a hand-edited or corrupted export."""
    m = _V11.match(raw) if isinstance(raw, str) else None
    if not m:
        return ()
    sign, oh, om = m.group(7), int(m.group(8)), int(m.group(9))
    local = value + (-1 if sign == "-" else 1) * timedelta(hours=oh, minutes=om)
    if _DAYS.index(m.group(1).lower()) != local.weekday():
        return (Flag(FlagCode.WEEKDAY_MISMATCH, f"{raw!r} names {m.group(1)} but that date is a "
                     f"{_DAYS[local.weekday()].title()}"),)
    return ()


def _short(raw) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "...'"


def html_text(markup: str) -> str:
    """Plain text of an HTML fragment (Mastodon content, feed descriptions), paragraphs kept."""
    if not isinstance(markup, str):
        return ""
    if "<" not in markup:
        return _squash(html.unescape(markup))
    simple = _simple_text(markup)
    if simple is not None:
        return _squash(simple)
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "html.parser")
    drop_tags(soup.find_all(["script", "style"]))
    for tag in soup.find_all("br"):
        tag.append("\n")  # reads as the line break put in its place, without looking it up among its siblings
    for tag in soup.find_all(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"]):
        end_block(tag)
    text = soup.get_text()
    release_tree(soup)
    return _squash(text)


_SIMPLE_TAG = re.compile(r'<(/?)(p|br|span|a)((?:\s+[a-z-]+="[^"<>&]*")*)\s*(/?)>')
_SIMPLE_TEXT = re.compile(r"(?:[^<&]|&(?:amp|lt|gt|quot|#39);)*")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#39);")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_ASCII_SPACES = str.maketrans("", "", " \n\t\x0c\r")


def _data(text: str) -> str:
    """A text node as BeautifulSoup keeps it: one made only of ASCII spaces becomes a newline if
    it holds one, else a space ('<span>\n\n</span>' reads as one newline)."""
    text = _ENTITY.sub(lambda e: _ENTITIES[e.group()], text)
    if text and not text.translate(_ASCII_SPACES):
        return "\n" if "\n" in text else " "
    return text


def _simple_text(markup: str) -> str | None:
    """The text BeautifulSoup gives (before squashing) of a fragment made only of properly nested
    p, span and a tags with quoted attributes, br, and text with the five entities Mastodon writes;
    None for anything else, which BeautifulSoup reads. A post's content is nearly always this, and
    BeautifulSoup costs 0.2 ms a post: minutes for an export of 200,000."""
    out, stack, at = [], [], 0
    for m in _SIMPLE_TAG.finditer(markup):
        text = markup[at:m.start()]
        if _SIMPLE_TEXT.fullmatch(text) is None:
            return None
        out.append(_data(text))
        closing, name, _, self_closing = m.groups()
        if name == "br":
            if closing:
                return None
            out.append("\n")
        elif closing:
            if not stack or stack.pop() != name:
                return None
            if name == "p":
                out.append("\n\n")
        elif self_closing:
            return None
        else:
            stack.append(name)
        at = m.end()
    text = markup[at:]
    if stack or _SIMPLE_TEXT.fullmatch(text) is None:
        return None
    out.append(_data(text))
    return "".join(out)


def _squash(text: str) -> str:
    text = re.sub(r"[ \t\xa0]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def load_json(display: str, text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(display, f"invalid JSON: {exc.msg} (line {exc.lineno})", line=exc.lineno) from None
    except RecursionError:
        raise SourceError(display, "invalid JSON: nested too deeply") from None


def get(obj, *keys):
    """``obj[k1][k2]...`` or None: input JSON may have any shape, so nothing is assumed."""
    for key in keys:
        if isinstance(obj, dict):
            obj = obj.get(key)
        else:
            return None
    return obj


def text_of(obj, *keys) -> str | None:
    value = get(obj, *keys)
    return value if isinstance(value, str) else None


class Lines:
    """Line numbers of values inside a JSON file, found in file order by their quoted id."""

    def __init__(self, text: str):
        self.text = text
        self.cursor = 0
        self._at, self._line = 0, 1

    def find(self, value, key: str | None = None) -> int | None:
        """The line of ``value`` (of ``"key": value`` when a key is given: a value such as a
        timestamp may appear under several keys), searched from the last one found."""
        if not isinstance(value, (str, int)) or isinstance(value, bool) or value == "":
            return None
        needle = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
        if key is None:
            at = self.text.find(needle, self.cursor)
            if at < 0:
                at = self.text.find(needle)
            end = at + len(needle)
        else:
            pattern = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:\s*" + re.escape(needle))
            m = pattern.search(self.text, self.cursor) or pattern.search(self.text)
            at, end = (m.start(), m.end()) if m else (-1, -1)
        if at < 0:
            return None
        self.cursor = end
        if at < self._at:
            self._at, self._line = 0, 1
        self._line += self.text.count("\n", self._at, at)
        self._at = at
        return self._line


@dataclass(slots=True)
class Item:
    """One post before its timestamp is checked; ``what`` names it in a Skip."""

    when: object
    text: str
    what: str
    parse: Callable[[str], datetime] = parse_iso
    author: str | None = None
    url: str | None = None
    label: str | None = None
    line: int | None = None
    flags: tuple[Flag, ...] = ()
    language: str | None = None
    """The language the platform gives the post (Twitter ``lang``, Mastodon ``language``, Bluesky
    ``langs``), as a tag; None when it gives none or says it cannot tell ("und")."""


def post_language(value) -> str | None:
    """A platform's language field as one tag: the first of a list (Bluesky's ``langs``, the
    post's main language first), None for the codes that say no language ("und", "zxx", and
    Twitter's "qme", "qht"...: ``undetermined`` in data/languages.toml)."""
    from ..tables import load

    values = value if isinstance(value, list) else [value]
    undetermined = set(load("languages")["undetermined"])
    for tag in values:
        if isinstance(tag, str) and tag.strip() and tag.strip().lower() not in undetermined and len(tag) <= 35:
            return tag.strip()
    return None


def build(name: str, reader: str, items: list[Item], *, type: str, role: str, title: str | None = None,
          platform: str | None = None, skipped: list[Skip] | tuple = ()) -> SourceDoc:
    """Parse every item's time, order by time then file order, and account for what was left out.

    With ``platform`` (and no title) the title names the authors of the posts actually kept.
    """
    kept, skips = [], list(skipped)
    for order, item in enumerate(items):
        flags = item.flags
        if item.when is None or item.when == "":
            skips.append(Skip(name, item.what, "no timestamp", item.line))
            continue
        if not item.text.strip():
            skips.append(Skip(name, item.what, "no text", item.line))
            continue
        try:
            stamp = item.parse(item.when)
        except NoZone as exc:
            stamp = None
            flags = flags + (Flag(FlagCode.NO_ZONE, f"{exc}; not placed in UTC"),)
        except ValueError as exc:
            skips.append(Skip(name, item.what, str(exc), item.line))
            continue
        if stamp is not None:
            flags = flags + weekday_flag(item.when, stamp)
        kept.append((stamp is None, stamp or datetime.min.replace(tzinfo=timezone.utc), order, item, stamp, flags))
    kept.sort(key=lambda k: k[:3])
    records = tuple(
        Record(source=name, index=i, text=item.text.strip(), line=item.line, timestamp=stamp,
               timestamp_text=str(item.when), label=item.label, author=item.author, url=item.url,
               flags=flags, language=item.language)
        for i, (_, _, _, item, stamp, flags) in enumerate(kept)
    )
    if title is None and platform:
        title = handles_title([r.author for r in records], platform)
    stamped = [r for r in records if r.timestamp is not None]
    first = min(stamped, key=lambda r: r.timestamp) if stamped else None
    source = Source(path=name, type=type, role=role, title=title, reader=reader,
                    published=as_written(first.timestamp_text, first.timestamp) if first else None)
    body = "\n\n".join(r.text for r in records)
    return SourceDoc(source, records, tuple(skips), text=body)


def handles_title(authors: list[str | None], platform: str) -> str:
    names = sorted({a for a in authors if a})
    if len(names) == 1:
        return f"{names[0]} on {platform}"
    if names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return f"{platform} posts by {shown}"
    return f"{platform} posts"


def read_list(display: str, text: str, items, *, list_keys: tuple[str, ...], not_one: Callable[[object], str],
              none_found: str, platform: str, reader: str) -> SourceDoc:
    """The shape every post export shares: a JSON list (or one object, or a list under a key) of
    posts; each one the reader cannot read is a skip with its reason, and no post at all is an error."""
    data = load_json(display, text)
    if isinstance(data, dict):
        for key in list_keys:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    data = data if isinstance(data, list) else [data]
    lines = Lines(text)
    found, skips = [], []
    for n, obj in enumerate(data, 1):
        got = items(obj, lines=lines)
        if got is None:
            skips.append(Skip(display, f"item {n}", not_one(obj)))
        else:
            found.extend(got)
    if not found:
        raise SourceError(display, none_found)
    return build(display, reader, found, type="post", role="public", skipped=skips, platform=platform)
