"""The stable JSON contract (schema ``outagetl/timeline@1``) other tools read."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator

import orjson

from ..model import Claim, ConflictReading, Correction, Event, Timeline
from .common import iso, post_id, safe_url

SCHEMA = "outagetl/timeline@1"


def _claim(claim: Claim) -> dict:
    out = {
        "source": claim.source, "role": claim.role, "kind": claim.kind, "quote": claim.quote,
        "local_text": claim.local_text, "local": claim.local, "time": iso(claim.span.best),
        "earliest": iso(claim.span.earliest), "latest": iso(claim.span.latest),
        "precision": claim.span.precision, "zone": claim.span.zone, "zone_rule": claim.span.zone_rule,
        "flags": [str(f) for f in claim.span.flags], "line": claim.line,
    }
    if claim.lines:
        out["lines"] = list(claim.lines)
    if claim.counts:
        out["counts"] = dict(claim.counts)
    if claim.evidence:
        out["evidence"] = True
    if claim.key:
        out["key"] = claim.key
    url = safe_url(claim.url)
    if claim.author or url:
        out.update({"author": claim.author, "post_id": post_id(url), "url": url})
    return out


def _reading(r: ConflictReading) -> dict:
    """One reading of a conflict: its event, its citation and the time it gives, and how it was taken."""
    return {"event": r.event, "source": r.claim.source, "role": r.claim.role, "kind": r.claim.kind,
            "quote": r.claim.quote, "local_text": r.claim.local_text, "local": r.local, "time": iso(r.span.best),
            "earliest": iso(r.span.earliest), "latest": iso(r.span.latest), "precision": r.span.precision,
            "zone": r.span.zone, "taken": r.taken, "context": r.context, "earlier": r.earlier, "line": r.claim.line}


def _decision(c: Correction) -> dict:
    return {"id": c.label, "action": str(c.action), "target": c.target, "source": c.source, "detail": c.detail,
            "by": c.by, "at": iso(c.at), "why": c.why, "status": str(c.status), "reason": c.reason or None}


def _event(e: Event) -> dict:
    return {
        "id": e.id, "key": e.key, "kind": e.kind, "time": iso(e.span.best), "earliest": iso(e.span.earliest),
        "latest": iso(e.span.latest), "precision": e.span.precision, "zone": e.span.zone,
        "zone_rule": e.span.zone_rule, "summary": e.summary,
        "sources": [_claim(c) for c in e.claims], "flags": [str(f) for f in e.flags],
        "merged_because": list(e.merged_because),
        "confirmed": e.confirmed, "decisions": [c.label for c in e.corrections],
    }


def _parts(timeline: Timeline) -> list[tuple[str, object]]:
    """The document's keys in order; its lists as ``Items``, each item made when it is written."""
    return [
        ("schema", SCHEMA),
        ("window", {"start": iso(timeline.window[0]), "end": iso(timeline.window[1])} if timeline.window else None),
        ("events", Items(map(_event, timeline.events), _counted)),
        ("conflicts", Items(
            {"id": c.id, "kind": c.kind, "events": list(c.events), "spread_minutes": c.spread_minutes,
             "official": c.official, "evidence": list(c.evidence), "basis": c.basis,
             "readings": [_reading(r) for r in c.readings]}
            for c in timeline.conflicts
        )),
        ("metrics", timeline.metrics or {}),
        ("notes", list(timeline.notes)),
        ("sources", Items((
            {
                "path": r.source.path, "type": r.source.type, "role": r.source.role,
                "title": r.source.title, "published": r.source.published, "language": r.source.language,
                "language_rule": r.source.language_rule, "locale": r.source.locale, "zone": r.source.zone, "zone_rule": r.source.zone_rule, "mentions": r.mentions,
                "used": r.used,
                "skipped": [{"what": s.what, "reason": s.reason, "line": s.line} for s in r.skipped],
                "units": dict(r.units), "encoding": r.source.encoding, "digest": r.source.digest,
            }
            for r in timeline.sources
        ), _unit_floats)),
        ("unreadable", Items({"path": s.source, "reason": s.reason, "line": s.line} for s in timeline.unreadable)),
        ("decisions", Items(map(_decision, timeline.decisions))),
        ("rejected", Items(map(_event, timeline.rejected), _counted)),
    ]


def _counted(event: dict) -> bool:
    """An event's only floats are its log citations' counts."""
    return any("counts" in claim for claim in event["sources"])


def _unit_floats(source: dict) -> bool:
    """A source's only values that may be floats are its unit counts (its mention and use counts
    are integers, the rest text)."""
    return any(isinstance(v, float) for v in source["units"].values())


def as_dict(timeline: Timeline) -> dict:
    return {key: list(value.items) if isinstance(value, Items) else value for key, value in _parts(timeline)}


def render(timeline: Timeline) -> str:
    return "".join(chunks(timeline))


def chunks(timeline: Timeline) -> Iterator[str]:
    """``render``'s text a few hundred events at a time."""
    return stream(_parts(timeline))


class Items:
    """A list of a document that ``stream`` writes item by item: its items may be made as they are
    written (a generator), so the whole list is never held as dicts at once."""

    __slots__ = ("items", "floats")

    def __init__(self, items: Iterable, floats: Callable[[object], bool] | None = None):
        self.items = items
        self.floats = floats
        """Whether an item may hold a float (None: any may): ``dumps`` checks only those for a
        float whose text orjson writes otherwise (a regex over every event's text, else)."""


BATCH = 256
"""Items of a list written per piece: few enough to keep a piece small, enough that pieces are few."""


def stream(parts: Iterable[tuple[str, object]]) -> Iterator[str]:
    """``dumps(dict(parts))`` in pieces, byte for byte: each value (each item of an ``Items``) is
    written alone by ``dumps`` and indented to its depth. A value's text holds a newline only
    between its own lines (JSON escapes one in a string), so indenting it is only a matter of
    adding spaces after each newline; and ``dumps`` writes a value the same bytes alone as inside
    a document (the standard library's text, whichever encoder writes it)."""
    opened = "{"
    for key, value in parts:
        head = f"{opened}\n  {_fragment(key, 1)}: "
        opened = ","
        if not isinstance(value, Items):
            yield head + _fragment(value, 1)
            continue
        batch, sep = [head + "["], "\n    "
        floats = value.floats
        for item in value.items:
            batch.append(sep + _fragment(item, 2, floats is None or floats(item)))
            sep = ",\n    "
            if len(batch) >= BATCH:
                yield "".join(batch)
                batch = []
        batch.append("]" if sep == "\n    " else "\n  ]")
        yield "".join(batch)
    yield "{}\n" if opened == "{" else "\n}\n"


def _fragment(value, depth: int, floats: bool = True) -> str:
    """``value`` as ``dumps`` writes it, its lines indented for ``depth`` levels of nesting."""
    return dumps(value, floats)[:-1].replace("\n", "\n" + "  " * depth)


# A number with a fraction or an exponent, outside any string (a match inside one costs only a
# needless check): orjson writes some of them otherwise than the standard library (1e-5 and
# 0.00001 for 1e-05, 1e16 for 1e+16).
_FLOAT = re.compile(r'(?:(?<=[\s\[:,])|^)-?\d+(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]?\d+)(?=[\s,\]}]|$)')


def dumps(data, floats: bool = True) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)`` plus a newline, byte for byte, by orjson:
    the standard library's indenting encoder is pure Python and takes a second on a timeline of
    thousands of events, orjson a twentieth of it. What orjson writes otherwise (a float whose
    text is not Python's) or refuses (a lone surrogate, an integer wider than 64 bits, a key that is
    not text) is written by the standard library. (A NaN or an infinity, which no timeline holds, orjson writes as null.)

    ``floats=False`` says that ``data`` holds no float, so there is none to check."""
    try:
        # what json.dumps refuses (a datetime, a dataclass) orjson must refuse too
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME
                            | orjson.OPT_PASSTHROUGH_DATACLASS).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if floats and any(repr(float(m.group())) != m.group() for m in _FLOAT.finditer(text)):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return text + "\n"
