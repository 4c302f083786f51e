"""Status pages copied as text: a status word, its message, then "Posted Jun 08, 2021 - 12:41 UTC".

Journalists often paste a status page's incident history rather than save its JSON; each update
keeps its status (investigating → acknowledged, …) and its own posted time, as in the JSON reader.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from ..lexicon import longest_first
from ..model import SourceDoc
from ..tables import load
from . import posts
from .base import SourceError

NAME = "statustext"
_STATUS = re.compile(
    r"^[ \t]*(" + "|".join(longest_first({re.escape(k.replace("_", " ")) for k in load("status")["labels"]}))
    + r")[ \t]*:?[ \t]*$", re.I | re.M)
_POSTED = re.compile(
    r"^[ \t]*(?:Posted|Updated|Published)[ \t]+(?:on[ \t]+)?(?P<when>(?P<mon>[A-Z][a-z]{2,8})\.?[ \t]+(?P<d>\d{1,2}),[ \t]+"
    r"(?P<y>\d{4})[ \t]*[-–,][ \t]*(?P<H>\d{1,2}):(?P<M>\d{2})(?:[ \t]*(?P<mer>[AaPp][Mm]))?"
    r"(?:[ \t]*(?P<zone>[A-Z]{2,5}|[+-]\d{2}:?\d{2}))?)[ \t]*$", re.M)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}


def sniff(path: Path, head: str) -> int:
    return 70 if _POSTED.search(head) and _STATUS.search(head) else 0


def parse(when: str) -> datetime:
    """"Jun 08, 2021 - 12:41 UTC" with a fixed English month table; a zone is required to place it."""
    m = _POSTED.match("Posted " + when)
    if not m or m.group("mon")[:3].lower() not in _MONTHS:
        raise ValueError(f"unreadable posted time {when!r}")
    hour = int(m.group("H"))
    if m.group("mer"):
        hour = hour % 12 + (12 if m.group("mer").lower() == "pm" else 0)
    local = datetime(int(m.group("y")), _MONTHS[m.group("mon")[:3].lower()], int(m.group("d")), hour, int(m.group("M")))
    zone = m.group("zone")
    if zone in ("UTC", "GMT", "Z"):
        return local.replace(tzinfo=timezone.utc)
    if zone and zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return local.replace(tzinfo=offset).astimezone(timezone.utc)
    entry = load("zones")["abbreviations"].get(zone or "")
    if entry:
        return local.replace(tzinfo=ZoneInfo(entry["zone"])).astimezone(timezone.utc)
    raise posts.NoZone(f"timestamp {when!r} has no zone")


def read(path: Path, text: str, display: str) -> SourceDoc:
    items, status, body, start = [], None, [], None
    for n, line in enumerate(text.splitlines(), 1):
        if _STATUS.match(line):
            status, body, start = _STATUS.match(line).group(1).lower(), [], n
            continue
        posted = _POSTED.match(line)
        if posted and status:
            items.append(posts.Item(when=posted.group("when"), text=f"{status.title()}: {' '.join(body)}",
                                    what=f"update at line {start}", parse=parse, label=status, line=start))
            status, body = None, []
        elif status and line.strip():
            body.append(line.strip())
    if not items:
        raise SourceError(display, "no status updates found (expected a status word, its message and a 'Posted <date> - <time>' line)")
    title = next((line.strip() for line in text.splitlines()[1:6] if line.strip() and not _STATUS.match(line)), None)
    doc = posts.build(display, NAME, items, type="status", role="official", title=title)
    region = _written_region(items)
    if region and not doc.source.zone:
        doc = replace(doc, source=replace(doc.source, zone=region, zone_rule="inferred:zone-in-source"))
    return doc


def _written_region(items: list[posts.Item]) -> str | None:
    """The region the stamps' zone letters name ("PST" and "PDT" are both America/Los_Angeles),
    when they all agree: each update is then explained in the zone it was written in, not UTC."""
    table = load("zones")["abbreviations"]
    regions = set()
    for item in items:
        zone = _POSTED.match("Posted " + item.when).group("zone")
        if zone in ("UTC", "GMT", "Z"):
            regions.add("UTC")
        elif zone and zone in table:
            regions.add(table[zone]["zone"])
    return regions.pop() if len(regions) == 1 else None
