"""Tweets: API v1.1 and v2 JSON, the account archive's ``tweets.js``, and CSV exports.

A tweet's own ``created_at`` is the most exact time an outage timeline gets from the public side,
so every shape people actually save is read, and the archive's JavaScript is never evaluated.
"""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

from ..model import SourceDoc
from . import posts
from .base import SourceError
from .posts import Item, get, post_language, text_of

NAME = "twitter"
PLATFORM = "Twitter"
_YTD = re.compile(r"\s*window\.YTD\.[\w.]+\s*=\s*")
_V11_KEY = re.compile(
    r'"created_at"\s*:\s*"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ')
_V2_KEY = re.compile(r'"(?:author_id|edit_history_tweet_ids|conversation_id)"\s*:')

_TIME = ("created_at", "createdat", "created", "timestamp", "datetime", "date_time", "tweet_date",
         "posted_at", "date_utc", "time_utc", "utc_time", "created_at_utc")
_DATE, _CLOCK = ("date", "day"), ("time", "hour")
_ZONE = ("timezone", "tz", "utc_offset", "zone")
_TEXT = ("text", "full_text", "fulltext", "content", "tweet", "tweet_text", "body")
_AUTHOR = ("author", "username", "user", "screen_name", "screenname", "user_screen_name", "handle",
           "account", "user_name", "author_username")
_URL = ("url", "link", "permalink", "tweet_url")
_ID = ("id", "id_str", "tweet_id")
_LANG = ("lang", "language", "tweet_language")


def sniff(path: Path, head: str) -> int:
    """Archive prefix 90; v1.1 dates or v2 keys in JSON 88/85; a CSV header with time and text 70."""
    start = head.lstrip()[:1]
    if _YTD.match(head):
        return 90
    if start in "[{" and start:
        if _V11_KEY.search(head):
            return 88
        if _V2_KEY.search(head) or re.search(r'"tweet"\s*:\s*\{', head):
            return 85
        return 0
    columns = _header(head)
    if columns is None:
        return 0
    if _time_columns(columns) is None:
        return 0
    if _pick(columns, _TEXT) is not None:
        return 70
    if _pick(columns, _AUTHOR) is not None or _pick(columns, _ID) is not None:
        return 40
    return 0


def read(path: Path, text: str, display: str) -> SourceDoc:
    m = _YTD.match(text)
    if m:
        text = re.sub(r"[^\n]", " ", m.group()) + text[m.end():].rstrip().rstrip(";")
    if text.lstrip()[:1] in ("[", "{"):
        return _read_json(text, display)
    if _header(text[:4096]) is None:
        raise SourceError(display, "not a Twitter export: expected tweets JSON, tweets.js or a CSV with a header")
    return _read_csv(text, display)


def items(obj, line: int | None = None, lines: posts.Lines | None = None) -> list[Item] | None:
    """The tweets in one JSON value (tweet, archive entry, v2 response), or None if it is not one."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("tweet"), dict):
        return [_tweet(obj["tweet"], {}, line, lines)]
    data = obj.get("data")
    if isinstance(data, (dict, list)) and not is_tweet(obj):
        users = {u["id"]: u["username"] for u in _list(get(obj, "includes", "users"))
                 if isinstance(text_of(u, "id"), str) and isinstance(text_of(u, "username"), str)}
        data = data if isinstance(data, list) else [data]
        if not data or not all(isinstance(d, dict) and is_tweet(d) for d in data):
            return None
        return [_tweet(d, users, line, lines) for d in data]
    return [_tweet(obj, {}, line, lines)] if is_tweet(obj) else None


def _list(value) -> list:
    return value if isinstance(value, list) else []


def is_tweet(obj) -> bool:
    if not isinstance(obj, dict):
        return False
    if posts.is_v11(obj.get("created_at")) or "id_str" in obj or "full_text" in obj:
        return True
    if "author_id" in obj or "edit_history_tweet_ids" in obj or isinstance(get(obj, "user", "screen_name"), str):
        return True
    return ("id" in obj and isinstance(obj.get("text"), str) and posts.is_iso(obj.get("created_at"))
            and "content" not in obj and "account" not in obj)


def _tweet(obj: dict, users: dict, line, lines) -> Item:
    ident = obj.get("id_str") or obj.get("id")
    text = (text_of(obj, "full_text") or text_of(obj, "extended_tweet", "full_text")
            or text_of(obj, "note_tweet", "text") or text_of(obj, "text") or "")
    retweet = obj.get("retweeted_status")
    if isinstance(retweet, dict):
        inner = (text_of(retweet, "full_text") or text_of(retweet, "extended_tweet", "full_text")
                 or text_of(retweet, "text"))
        if inner:
            text = f"RT @{text_of(retweet, 'user', 'screen_name') or '?'}: {inner}"
    handle = text_of(obj, "user", "screen_name") or users.get(text_of(obj, "author_id"))
    handle = handle if isinstance(handle, str) and handle else None
    ident = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None
    url = None
    if ident:
        url = f"https://twitter.com/{handle or 'i/web'}/status/{ident}"
    when = obj.get("created_at")
    return Item(
        when=when, text=html.unescape(text), what=f"tweet {ident}" if ident else "tweet",
        parse=posts.parse_iso if posts.is_iso(when) else posts.parse_v11,
        author=f"@{handle}" if handle else None, url=url,
        line=line if line is not None else (lines.find(ident) if lines else None),
        language=post_language(obj.get("lang")),
    )


def _read_json(text: str, display: str) -> SourceDoc:
    return posts.read_list(
        display, text, items, list_keys=("statuses",), not_one=lambda obj: f"not a tweet ({_describe(obj)})",
        none_found="no tweets found (expected v1.1/v2 tweet JSON or a tweets.js archive)",
        platform=PLATFORM, reader=NAME)


def _describe(obj) -> str:
    if isinstance(obj, dict):
        keys = ", ".join(sorted(map(str, obj))[:6])
        return f"keys: {keys}" if keys else "empty object"
    return type(obj).__name__


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _delimiter(line: str) -> str:
    return max((",", "\t", ";", "|"), key=line.count)


def _header(head: str) -> list[str] | None:
    first = next((ln for ln in head.split("\n") if ln.strip()), "")
    if first.lstrip()[:1] in ("[", "{", "<", "#") or not first:
        return None
    delimiter = _delimiter(first)
    if delimiter not in first:
        return None
    try:
        cells = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    names = [_norm(c) for c in cells]
    return names if all(n and len(n) <= 40 for n in names) else None


def _pick(columns: list[str], wanted: tuple[str, ...]) -> int | None:
    for name in wanted:
        if name in columns:
            return columns.index(name)
    return None


def _time_columns(columns: list[str]) -> tuple[int, ...] | None:
    """The column(s) holding the time: one full timestamp, or a date and a clock (and a zone)."""
    full = _pick(columns, _TIME)
    if full is not None:
        return (full,)
    date, clock = _pick(columns, _DATE), _pick(columns, _CLOCK)
    if date is not None and clock is not None:
        zone = _pick(columns, _ZONE)
        return (date, clock) if zone is None else (date, clock, zone)
    single = date if date is not None else clock
    return (single,) if single is not None else None


def _read_csv(text: str, display: str) -> SourceDoc:
    header_line = next(ln for ln in text.split("\n") if ln.strip())
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(header_line))
    try:
        while True:
            header = next(reader)
            if any(c.strip() for c in header):
                break
    except (csv.Error, StopIteration) as exc:
        raise SourceError(display, f"unreadable CSV header: {exc}", line=reader.line_num) from None
    columns = [_norm(c) for c in header]
    times, body = _time_columns(columns), _pick(columns, _TEXT)
    if times is None or body is None:
        missing = "time column (looked for created_at, date, timestamp, time)" if times is None else \
            "text column (looked for text, full_text, content)"
        raise SourceError(display, f"CSV has no {missing}; its columns are: {', '.join(header)}", line=reader.line_num)
    author, url, ident = _pick(columns, _AUTHOR), _pick(columns, _URL), _pick(columns, _ID)
    lang = _pick(columns, _LANG)
    utc_header = any("utc" in columns[i] for i in times)
    found = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SourceError(display, f"invalid CSV: {exc}", line=start) from None
        if not any(c.strip() for c in row):
            continue
        when = " ".join(_cell(row, i) for i in times if _cell(row, i))
        handle, tweet_id = _cell(row, author).lstrip("@"), _cell(row, ident)
        link = _cell(row, url) or (f"https://twitter.com/{handle or 'i/web'}/status/{tweet_id}"
                                   if tweet_id.isdigit() else None)
        found.append(Item(
            when=when, text=html.unescape(_cell(row, body)), what=f"row at line {start}", line=start,
            parse=_utc_parse if utc_header else posts.parse_any,
            author=f"@{handle}" if handle and " " not in handle else (handle or None), url=link,
            language=post_language(_cell(row, lang)),
        ))
    return posts.build(display, NAME, found, type="post", role="public", platform=PLATFORM)


def _cell(row: list[str], i: int | None) -> str:
    return row[i].strip() if i is not None and i < len(row) else ""


def _utc_parse(raw: str):
    """A column named "… UTC" states the zone its bare times are in."""
    try:
        return posts.parse_any(raw)
    except posts.NoZone:
        return posts.parse_any(raw.strip() + ("+00:00" if posts.is_iso(raw) else " +0000"))
