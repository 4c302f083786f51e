"""Atlassian Statuspage incidents JSON (``/api/v2/incidents.json`` and single-incident shapes).

Each update is the operator's own statement at a recorded instant, labelled with its status, so
it is the most authoritative milestone a timeline gets. The incident itself also records when it
started, went to monitoring and was resolved (``started_at``, ``monitoring_at``, ``resolved_at``);
a page's export often lists only the last few updates, or the operator backdates the resolution,
so each of these is a record of its own, cited by its field, unless an update with that status
already states the same instant.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from ..model import Flag, FlagCode, Skip, SourceDoc, ZoneRule
from ..tables import load
from . import posts
from .base import SourceError
from .posts import Item, text_of

NAME = "statuspage"
DISPLAY_TOLERANCE_MIN = 5
SAME_INSTANT_SECONDS = 60
# The incident's own milestone fields: (field, the status it records, what the record says).
FIELDS = (("started_at", "started", "incident started"),
          ("monitoring_at", "monitoring", "status set to monitoring"),
          ("resolved_at", "resolved", "status set to resolved"))


def sniff(path: Path, head: str) -> int:
    """90 once ``incident_updates`` is seen; 85/80 for the incident list or wrapper without it."""
    if head.lstrip()[:1] not in ("[", "{"):
        return 0
    if re.search(r'"incident_updates"\s*:', head):
        return 90
    if re.search(r'"incidents"\s*:\s*\[', head) and re.search(r'"(?:shortlink|impact)"\s*:', head):
        return 85
    if re.search(r'"incident"\s*:\s*\{', head):
        return 80
    return 0


def is_incident(obj) -> bool:
    return isinstance(obj, dict) and (isinstance(obj.get("incident_updates"), list) or (
        isinstance(obj.get("name"), str) and ("shortlink" in obj or "impact" in obj)))


def read(path: Path, text: str, display: str) -> SourceDoc | list[SourceDoc]:
    data = posts.load_json(display, text)
    page, zone = text_of(data, "page", "name"), _zone(text_of(data, "page", "time_zone"))
    if isinstance(data, dict) and isinstance(data.get("incidents"), list):
        data = data["incidents"]
    elif isinstance(data, dict) and isinstance(data.get("incident"), dict):
        data = [data["incident"]]
    data = data if isinstance(data, list) else [data]
    incidents = [obj for obj in data if is_incident(obj)]
    if not incidents:
        raise SourceError(display, "no Statuspage incidents found (expected incident_updates)")
    lines = posts.Lines(text)
    docs = []
    for n, incident in enumerate(incidents, 1):
        name = display if len(incidents) == 1 else f"{display}#{incident.get('id') or n}"
        doc = _incident(incident, page, name, lines)
        if zone:
            doc = replace(doc, source=replace(doc.source, zone=zone, zone_rule=ZoneRule.INFERRED_PAGE_TIME_ZONE))
        docs.append(doc)
    return docs[0] if len(docs) == 1 else docs


def _incident(incident: dict, page: str | None, name: str, lines: posts.Lines) -> SourceDoc:
    title = text_of(incident, "name") or "Statuspage incident"
    link = text_of(incident, "shortlink")
    lines.find(incident.get("id"))
    found, skips = [], []
    present = [(field, label, says) for field, label, says in FIELDS if incident.get(field)]
    # Looked up in file order (an export writes them before its updates), so that the search for
    # line numbers only moves forward.
    at = {field: lines.text.find(f'"{field}"', lines.cursor) for field, _, _ in present}
    for field, label, says in sorted(present, key=lambda f: (at[f[0]] < 0, at[f[0]])):
        value = incident[field]
        found.append(Item(when=value, text=f"{title}: {says} ({field})", what=field,
                          label=label, author=page, url=link, line=lines.find(value, field)))
    fields = len(found)
    for n, update in enumerate(incident.get("incident_updates") or [], 1):
        if not isinstance(update, dict):
            skips.append(Skip(name, f"update {n}", "not an update object"))
            continue
        status = text_of(update, "status")
        label = status.strip().lower() if status else None
        body = posts.html_text(update.get("body")) or f"{title}: {label or 'update'}"
        found.append(Item(
            when=update.get("created_at"), text=body, what=f"update {update.get('id') or n} ({label})",
            label=label, author=page, url=link, flags=_display_flag(update),
            line=lines.find(update.get("id")),
        ))
    found[:fields], doubled = _undoubled(name, found[:fields], found[fields:])
    skips += doubled
    if not found:
        skips.append(Skip(name, title, "incident has no updates and no started_at, monitoring_at or resolved_at"))
    return posts.build(name, NAME, found, type="status", role="official", title=title, skipped=skips)


def _undoubled(name: str, fields: list[Item], updates: list[Item]) -> tuple[list[Item], list[Skip]]:
    """The incident's milestone fields that add an instant: one that an update with the same status
    already states (Statuspage sets ``resolved_at`` from the resolving update) is that update."""
    kept, skips = [], []
    for item in fields:
        twin = next((u for u in updates if _status_kind(u.label) == _status_kind(item.label)
                     and _same_instant(u.when, item.when)), None)
        if twin is None:
            kept.append(item)
        else:
            skips.append(Skip(name, item.what, f"the same instant as {twin.what}, which is cited instead", item.line))
    return kept, skips


def _status_kind(label: str | None) -> str | None:
    """The milestone a status reports (data/status.toml), so that "resolved_at" meets a "resolved" update."""
    return load("status")["labels"].get(label or "")


def _same_instant(a, b) -> bool:
    try:
        return abs((posts.parse_iso(a) - posts.parse_iso(b)).total_seconds()) <= SAME_INSTANT_SECONDS
    except ValueError:
        return False


def _zone(name: str | None) -> str | None:
    """The page's configured zone: the zone its operators write bare times in."""
    try:
        return name if name and ZoneInfo(name) else None
    except (ValueError, KeyError, OSError):
        return None


def _display_flag(update: dict) -> tuple[Flag, ...]:
    """``display_at`` is what the page showed; an operator can backdate it, so a gap is told."""
    created, shown = update.get("created_at"), update.get("display_at")
    try:
        gap = abs((posts.parse_iso(shown) - posts.parse_iso(created)).total_seconds()) / 60
    except ValueError:
        return ()
    if gap <= DISPLAY_TOLERANCE_MIN:
        return ()
    return (Flag(FlagCode.STATUSPAGE_DISPLAY, f"display_at {shown} differs from created_at {created} "
                 f"by {round(gap)} min; created_at used"),)
