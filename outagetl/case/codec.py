"""Decisions, manifest hints and limits as the JSON the case file stores them in.

Each decision row keeps who, when and why in columns and the rest (what it is about, what it says)
as a small JSON object; references to sources and events are stored whole, so a decision can still
be reported for what it meant when nothing in a later build matches it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime, timezone

from ..decisions import TYPES, Decision, EventRef, Made, SourceRef
from ..model import Action, ZoneRule
from ..sources.base import Limits
from ..sources.manifest import Hint

_REFS = {"source": SourceRef, "event": EventRef, "other": EventRef}


def _known(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def decision_row(decision: Decision) -> tuple[str, str, str, str | None, str]:
    """(action, made_at, made_by, why, body) for the ``decision`` table."""
    body = {}
    for f in fields(decision):
        if f.name == "made":
            continue
        value = getattr(decision, f.name)
        if f.name in _REFS and value is not None:
            value = asdict(value)
        elif isinstance(value, datetime):
            value = iso(value)
        body[f.name] = value
    made = decision.made
    return (str(decision.ACTION), iso(made.at), made.by, made.why,
            json.dumps(body, ensure_ascii=False, sort_keys=True))


def decision_from_row(number: int, action: str, made_at: str, made_by: str, why: str | None, body: str) -> Decision:
    cls = TYPES[Action(action)]
    data = _known(cls, json.loads(body))
    for name, ref in _REFS.items():
        if isinstance(data.get(name), dict):
            data[name] = ref(**_known(ref, data[name]))
    if isinstance(data.get("time"), str):
        data["time"] = parse_iso(data["time"])
    return cls(made=Made(number, parse_iso(made_at), made_by, why), **data)


def hints_json(hints) -> str:
    return json.dumps([{"pattern": h.pattern, "values": h.values, "rule": str(h.rule)} for h in hints],
                      ensure_ascii=False, sort_keys=True)


def hints_from(text: str) -> tuple[Hint, ...]:
    """Hints as stored; v1 files written before zone rules were typed say ``origin`` ("manifest")."""
    out = []
    for h in json.loads(text):
        rule = h.get("rule") or f"pinned:{h.get('origin', 'manifest')}"
        out.append(Hint(h["pattern"], dict(h["values"]), ZoneRule(rule)))
    return tuple(out)


def limits_json(limits: Limits) -> str:
    return json.dumps(asdict(limits), sort_keys=True)


def limits_from(text: str) -> Limits:
    return Limits(**_known(Limits, json.loads(text)))
