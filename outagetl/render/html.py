"""One self-contained HTML report: an SVG timeline (one lane per source), the event table, the derivations.

Nothing is fetched and nothing runs: no script at all, a Content-Security-Policy that allows only the
page's own stylesheet (by hash), ``<details>`` for the derivations, SVG ``<title>`` for hover.
Every piece of source text goes through ``html.escape``.

Layout is decided here, not left to luck: SVG labels are placed by estimated width (staggered above
and below their mark, or left to the hover title when neither fits), axis ticks are spaced for their
labels, and the table has no fixed column widths; below 60em the local-time columns stack into one.
``tests/test_html_browser.py`` checks in Chromium that no two pieces of text overlap at 1400 and 800 px.
"""
from __future__ import annotations

import base64
import hashlib
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache
from html import escape
from pathlib import PurePath

from ..metrics import describe
from ..model import Event, Timeline
from .common import (
    citation_meta,
    clock,
    conflict_heading,
    conflicts_by_event,
    decision_text,
    elsewhere,
    elsewhere_text,
    evidence_lines,
    flagged,
    iso,
    metric_range,
    reading_as,
    rule_text,
    safe_url,
    show_zones,
    source_corrections,
    span_text,
    widening,
    zone_assumptions,
    zone_text,
)

KIND_FILL = {"start": "#7048e8", "detected": "#ae3ec9", "acknowledged": "#1971c2", "update": "#868e96",
             "mitigated": "#0c8599", "resolved": "#2f9e44", "other": "#495057"}
CONFLICT_FILL = "#e8590c"
DEFAULT_TITLE = "Outage timeline (UTC)"
WIDTH, LEFT, RIGHT, TOP, LANE = 960, 190, 24, 44, 40
NARROW_WIDTH, NARROW_LEFT = 600, 118
"""Below 60em a second drawing, 600 wide, replaces the 960-wide one: scaled to a narrow page its
text stays near the page's own size instead of shrinking to 9 px (labels that no longer fit move
to the hover title)."""
FONT = 11
"""SVG text size in px (of the 960-wide viewBox); label widths are estimated from it."""
TICK_GAP = 14
STEPS = (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)

CSS = "\n".join([
    "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:82em;padding:0 1em;color:#212529}",
    "h1{font-size:1.6em;margin:.2em 0 .1em;overflow-wrap:anywhere}.sub{color:#495057;margin-top:0}",
    "table{border-collapse:collapse;width:100%;margin:1em 0}",
    "th,td{border:1px solid #dee2e6;padding:.3em .5em;text-align:left;vertical-align:top}",
    "th{background:#f1f3f5;font-size:.9em}tr:target{background:#fff3bf}",
    ".nw{white-space:nowrap}.src,code,.wrap{overflow-wrap:anywhere}.src{font-size:.9em}",
    "td.t{font-variant-numeric:tabular-nums}td.stack,th.stack{display:none}",
    "@media (max-width:60em){td.zone,th.zone{display:none}td.stack,th.stack{display:table-cell}}",
    "@media (min-width:60.01em){td.utc{white-space:nowrap}}",
    "blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ced4da;overflow-wrap:anywhere}",
    "dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0 .8em;margin:.2em 0 .8em}",
    "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}",
    "summary{cursor:pointer}.flag{color:#c92a2a}tr.why td{border-top:0;background:#f8f9fa}",
    ".key{font:.8em ui-monospace,monospace;color:#868e96}.corrected{font-style:italic;color:#5f3dc4}",
    "figure{margin:1em 0}svg{display:block;width:100%;height:auto;font:11px system-ui,sans-serif}",
    "svg.narrow{display:none}@media (max-width:60em){svg.wide{display:none}svg.narrow{display:block}}",
    "svg .axis{stroke:#adb5bd}svg .lane{stroke:#e9ecef}svg .rate{fill:#fa5252;fill-opacity:.18;stroke:#e03131;"
    "stroke-width:1}svg .bar{fill-opacity:.35}svg .mark.conflict circle,svg .mark.conflict rect{stroke:#862e9c;"
    "stroke-width:1}svg .cite{opacity:.55}svg text{fill:#495057;paint-order:stroke;stroke:#fff;stroke-width:3px;"
    "stroke-linejoin:round}",
    "figcaption{display:flex;flex-wrap:wrap;gap:.2em 1em;align-items:center}figcaption .lg{white-space:nowrap}",
    ".sw{display:inline-block;width:.9em;height:.9em;border-radius:50%;vertical-align:-.1em;margin-right:.3em}",
    ".sw.rate{border-radius:2px;background:#ffc9c9;border:1px solid #e03131}",
    *(f".k-{k}{{fill:{c};background:{c}}}" for k, c in KIND_FILL.items()),
    f".conflict{{fill:{CONFLICT_FILL};background:{CONFLICT_FILL}}}",
])


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; form-action 'none'; base-uri 'none'"


def _e(text) -> str:
    return escape("" if text is None else str(text))


@lru_cache(maxsize=4096)
def _name(path: str) -> str:
    """A source's file name (a few sources cite thousands of times each: asked once a source)."""
    return PurePath(path).name or path


def _f(x: float) -> str:
    return f"{x:.1f}"


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of ``text``'s width in px at ``size`` (DejaVu Sans, the widest common
    sans-serif, is the measure): wide East Asian characters count a full em."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            em += 1.0
        elif ch in " .,:;'|!il-–()/[]":
            em += 0.4
        elif ch.isupper() or ch in "mwMW@%~":
            em += 0.8
        else:
            em += 0.66
    return em * size + 2


def _shorten(text: str, room: float, keep: str = "middle", at: int = 0) -> str:
    """``text`` cut with ellipses to fit ``room`` px, keeping its head and tail (``middle``) or the
    characters around index ``at`` (``around``)."""
    if text_width(text) <= room:
        return text
    for n in range(len(text), 0, -1):
        if keep == "around":
            lo = max(0, min(at - n // 2, len(text) - n))
            cut = ("…" if lo else "") + text[lo:lo + n] + ("…" if lo + n < len(text) else "")
        else:
            cut = text[: (n + 1) // 2] + "…" + text[len(text) - n // 2:]
        if text_width(cut) <= room:
            return cut
    return "…"


def lane_labels(names: list[str], room: float) -> list[str]:
    """Lane names that fit ``room`` and stay distinct: names that the same cut would make alike
    ("regional-out…story.txt" eight times) keep instead the part where they differ."""
    out = [_shorten(n, room) for n in names]
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(out):
        groups.setdefault(label, []).append(i)
    for members in (m for m in groups.values() if len(m) > 1 and len({names[i] for i in m}) > 1):
        group = [names[i] for i in members]
        first = next((k for k in range(min(map(len, group))) if len({g[k] for g in group}) > 1), 0)
        for i in members:
            out[i] = _shorten(names[i], room, "around", first)
    return out


def _ticks(t0: datetime, t1: datetime, room: float) -> list[datetime]:
    """Round ticks (5 min … a week) no closer than their widest label ("07-04 00:00") needs."""
    total = (t1 - t0).total_seconds() / 60
    widest = text_width("00-00 00:00") + TICK_GAP
    step = next((s for s in STEPS if room / (total / s) >= widest), STEPS[-1])
    tick = t0.replace(hour=0, minute=0, second=0, microsecond=0)
    while tick < t0:
        tick += timedelta(minutes=step)
    out = []
    while tick <= t1:
        out.append(tick)
        tick += timedelta(minutes=step)
    return out


class _Rows:
    """Label rows of one lane (above the marks, then below): a label takes the first row where it
    does not touch the previous label; when none is free it is left to the mark's hover title."""

    def __init__(self, n: int = 2):
        self.ends = [float("-inf")] * n

    def place(self, x: float, width: float) -> int | None:
        for row, end in enumerate(self.ends):
            if x - width / 2 >= end + 3:
                self.ends[row] = x + width / 2
                return row
        return None


def _rate_path(rate, x, t0: datetime, t1: datetime, y: float, half: float) -> str:
    """A small filled curve of a log's errors per minute across its lane, on the page's time axis,
    scaled to the source's own peak (the hover title gives the peak)."""
    peak = max(rate.errors, default=0)
    points = [(x(when), y + half - value / peak * 2 * half)
              for when, value in zip(rate.times, rate.errors, strict=True) if t0 <= when <= t1] if peak > 0 else []
    if len(points) < 2:
        return ""
    base = _f(y + half)
    d = f"M{_f(points[0][0])},{base} " + " ".join(f"L{_f(px)},{_f(py)}" for px, py in points) + f" L{_f(points[-1][0])},{base} Z"
    step = f"{rate.step}-minute means" if rate.step > 1 else "per minute"
    return f'<path class="rate" d="{d}"><title>{_e(f"errors per minute ({step}), peak {peak:g}/min")}</title></path>'


def _svg(timeline: Timeline, in_conflict: dict, width: int = WIDTH, left: int = LEFT, kind: str = "wide") -> Iterator[str]:
    """The drawing, ``width`` wide in its own units with lane names in the first ``left``: its lines."""
    claims = [(e, i, c) for e in timeline.events for i, c in enumerate(e.claims)]
    lanes = [r.source.path for r in timeline.sources]
    lane_of = {path: n for n, path in reversed(list(enumerate(lanes)))}
    for _, _, c in claims:
        if c.source not in lane_of:
            lane_of[c.source] = len(lanes)
            lanes.append(c.source)
    rates = {r.source.path: r.rate for r in timeline.sources if getattr(r, "rate", None)}
    height = TOP + LANE * max(len(lanes), 1) + 10
    yield (f'<svg xmlns="http://www.w3.org/2000/svg" class="{kind}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Timeline of {len(timeline.events)} events in UTC">')
    if not claims:
        yield "</svg>"
        return
    t0 = min(c.span.earliest for _, _, c in claims)
    t1 = max(c.span.latest for _, _, c in claims)
    pad = max((t1 - t0) * 0.04, timedelta(minutes=15))
    t0, t1 = t0 - pad, t1 + pad
    total = (t1 - t0).total_seconds()
    room = width - left - RIGHT

    def x(t: datetime) -> float:
        return left + (t - t0).total_seconds() / total * room

    last_day = None
    for tick in _ticks(t0, t1, room):
        label = f"{tick:%H:%M}" if tick.date() == last_day else f"{tick:%m-%d %H:%M}"
        last_day = tick.date()
        yield (f'<line class="axis" x1="{_f(x(tick))}" y1="{TOP - 14}" x2="{_f(x(tick))}" y2="{height - 10}"/>'
               f'<text x="{_f(x(tick))}" y="{TOP - 20}" text-anchor="middle">{label}</text>')
    yield f'<text x="4" y="{TOP - 20}">times in UTC</text>'
    for n, (path, label) in enumerate(zip(lanes, lane_labels([_name(p) for p in lanes], left - 12), strict=True)):
        y = TOP + LANE * n + LANE / 2
        yield (f'<line class="lane" x1="{left}" y1="{_f(y)}" x2="{width - RIGHT}" y2="{_f(y)}"/>'
               f'<text x="{left - 8}" y="{_f(y + 4)}" text-anchor="end"><title>{_e(path)}</title>'
               f'{_e(label)}</text>')
        if path in rates:
            yield _rate_path(rates[path], x, t0, t1, y, LANE / 2 - 4)
    rows = {path: _Rows() for path in lanes}
    for e, i, c in sorted(claims, key=lambda t: (x(t[2].span.best), t[0].id, t[1])):
        y = TOP + LANE * lane_of[c.source] + LANE / 2
        classes = f"mark k-{e.kind}" + (" conflict" if e.id in in_conflict else "") + ("" if i == 0 else " cite")
        attr = f'data-event="{_e(e.id)}"' if i == 0 else f'data-citation="{_e(e.id)}.{i + 1}"'
        tip = f"{e.id} {e.kind}: {span_text(c.span)} UTC; “{c.local_text}” ({c.local}) in {_name(c.source)}"
        shape = ""
        if c.span.latest > c.span.earliest:
            lo, hi = x(c.span.earliest), x(c.span.latest)
            shape = f'<rect class="bar" x="{_f(lo)}" y="{_f(y - 6)}" width="{_f(max(hi - lo, 2))}" height="12" rx="3"/>'
        cx = x(c.span.best)
        shape += f'<circle cx="{_f(cx)}" cy="{_f(y)}" r="{5 if i == 0 else 4}"/>'
        label = ""
        if i == 0:
            row = rows[c.source].place(cx, text_width(e.id))
            if row is not None:
                label = f'<text x="{_f(cx)}" y="{_f(y - 9 if row == 0 else y + 17)}" text-anchor="middle">{_e(e.id)}</text>'
        yield f'<g class="{classes}" {attr}><a href="#{_e(e.id)}"><title>{_e(tip)}</title>{shape}{label}</a></g>'
    yield "</svg>"


def _legend(timeline: Timeline) -> str:
    kinds = list(dict.fromkeys(e.kind for e in timeline.events))
    items = [f'<span class="lg"><span class="sw k-{k}"></span>{_e(k)}</span>' for k in kinds]
    if timeline.conflicts:
        items.append('<span class="lg"><span class="sw conflict"></span>in a conflict</span>')
    if any(getattr(r, "rate", None) for r in timeline.sources):
        items.append('<span class="lg"><span class="sw rate"></span>a log’s errors per minute</span>')
    return ("<figcaption><span>One lane per source; a dot is a stated time, a bar the interval it may mean "
            "(approximate or part of day); hover a dot for its reading, an unlabelled one for its id.</span>"
            f"{''.join(items)}</figcaption>")


def _link(url: str | None) -> str:
    safe = safe_url(url)
    return f'<a href="{_e(safe)}" rel="noopener noreferrer nofollow">{_e(safe)}</a>' if safe else ""


def _posted_by(c) -> str:
    meta = citation_meta(c)
    if not meta:
        return ""
    parts = [_link(p) if p == safe_url(c.url) else _e(p) for p in meta]
    return f"<dt>Posted by</dt><dd>{', '.join(parts)}</dd>"


def _derivation(e: Event) -> str:
    parts = ["<ol>"]
    for i, c in enumerate(e.claims):
        line = f", line {c.line}" if c.line else ""
        primary = " — primary: the event's time is this one" if i == 0 else ""
        flags = "".join(f'<div class="flag">{_e(f)}</div>' for f in map(str, c.span.flags)) or "none"
        parts.append(
            f'<li><b class="wrap">{_e(c.source)}</b> ({_e(c.role)}{line}){primary}<blockquote>{_e(c.quote)}</blockquote><dl>'
            f"{_posted_by(c)}"
            f"<dt>Read</dt><dd>“{_e(c.local_text)}” as {_e(c.local)}</dd>"
            f"<dt>Zone</dt><dd>{_e(c.span.zone)} — {_e(c.span.zone_rule)}: {_e(rule_text(c.span.zone_rule))}</dd>"
            f"<dt>UTC</dt><dd>earliest {iso(c.span.earliest)}, best {iso(c.span.best)}, latest {iso(c.span.latest)} "
            f"({_e(c.span.precision)})</dd>"
            f"<dt>Widening</dt><dd>{_e(widening(c.span, c.local_text))}</dd>"
            f"<dt>Flags</dt><dd>{flags}</dd></dl></li>")
    parts.append("</ol>")
    if e.merged_because:
        parts.append('<p class="wrap">Merged because: ' + "; ".join(_e(m) for m in e.merged_because) + "</p>")
    return "".join(parts)


def _when(text: str) -> str:
    """A clock reading that may wrap after its date ("2019-07-03 ") and after an interval's dash,
    nowhere else: its other spaces are no-break spaces ("~08:00 EDT" stays whole)."""
    day, _, rest = text.partition(" ")
    head, tail = (day + " ", rest) if rest and day[:1].isdigit() and "-" in day else ("", text)
    return _e(head) + _e(tail).replace(" ", "\u00a0").replace("–", "–<wbr>")


def _zone_head(zone: str) -> str:
    return "<wbr>".join(_e(part) for part in zone.replace("/", "/\0").split("\0"))


def _events_table(timeline: Timeline, zones: list[str], in_conflict: dict) -> Iterator[str]:
    head = ('<th>#</th><th>UTC</th>' + "".join(f'<th class="zone">{_zone_head(z)}</th>' for z in zones)
            + ('<th class="stack">Local</th>' if zones else "")
            + "<th>Kind</th><th>What happened</th><th>Sources</th>")
    span = 5 + 2 * len(zones)
    yield from ['<table class="events">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for e in timeline.events:
        kind = f'<span class="nw">{_e(e.kind)}</span>' + "".join(
            f' <a class="flag nw" href="#{c.id}">⚠ {c.id}</a>' for c in in_conflict.get(e.id, []))
        local = "".join(f'<td class="t zone">{_when(clock(e.span, z, day=False))}</td>' for z in zones)
        if zones:
            local += '<td class="t stack">' + "".join(
                f"<div>{_when(clock(e.span, z, day=False))}</div>" for z in zones) + "</td>"
        sources = "<br>".join(_e(_name(s)) for s in dict.fromkeys(c.source for c in e.claims))
        key = f'<br><span class="key">{_e(e.key)}</span>' if e.key else ""
        fixed = "".join(f'<div class="corrected">✎ {_e(c.text())}</div>' for c in e.corrections)
        yield (f'<tr id="{_e(e.id)}"><td>{_e(e.id)}{key}</td><td class="t utc">{_when(clock(e.span))}</td>{local}'
               f'<td>{kind}</td><td class="wrap">{_e(e.summary)}{fixed}</td><td class="src">{sources}</td></tr>')
        cites = f"{len(e.claims)} citation{'s' if len(e.claims) > 1 else ''}"
        yield (f'<tr class="why"><td></td><td colspan="{span}"><details><summary>Quotes and how the time '
               f'was read ({cites})</summary>{_derivation(e)}</details></td></tr>')
    yield from ["</tbody>", "</table>"]


def _conflicts(timeline: Timeline) -> list[str]:
    if not timeline.conflicts:
        return []
    out = ["<h2>Conflicting reports</h2>"]
    for c in timeline.conflicts:
        out.append(f'<h3 id="{c.id}">{_e(conflict_heading(c))}</h3>')
        out.append("<table><thead><tr><th>Event</th><th>UTC</th><th>Read as</th><th>Source</th><th>Says</th></tr></thead><tbody>")
        for r in c.readings:
            out.append(f'<tr><td><a href="#{_e(r.event)}">{_e(r.event)}</a></td><td class="t">{_when(clock(r.span))}</td>'
                       f'<td class="wrap">{_e(reading_as(r))}</td>'
                       f'<td class="src">{_e(r.claim.source)} ({_e(r.claim.role)})</td>'
                       f'<td class="wrap">{_e(r.claim.quote)}</td></tr>')
        out.append("</tbody></table>")
        if c.evidence:
            out += [f'<p class="wrap">{_e(line)}</p>' for line in evidence_lines(timeline, c)]
    return out


def _metrics(timeline: Timeline) -> list[str]:
    if not timeline.metrics:
        return []
    out = ["<h2>Incident metrics</h2>", "<table><thead><tr><th>Metric</th><th>Value</th><th>Range</th><th>Measures</th></tr></thead><tbody>"]
    for name, m in timeline.metrics.items():
        spread = metric_range(m)
        out.append(f"<tr><td>{_e(name.replace('_', ' '))}</td><td>{_e(describe(m['minutes']))}</td><td>{_e(spread)}</td>"
                   f"<td>{_e(m['measures'])} ({_e(m['from'])} → {_e(m['to'])})</td></tr>")
    out.append("</tbody></table>")
    return out


def _decisions(timeline: Timeline) -> list[str]:
    """The case file's decisions, applied or orphaned, and the events they took out of the timeline."""
    if not timeline.decisions:
        return []
    out = ["<h2>Decisions</h2>", "<ul>"]
    out += [f'<li class="wrap">{_e(decision_text(timeline, c))}</li>' for c in timeline.decisions]
    out += [f"<li class=\"wrap\">Rejected <span class=\"key\">{_e(e.key)}</span>: {_e(clock(e.span))} {_e(e.kind)}, "
            f"“{_e(e.summary)}” ({_e(', '.join(c.source for c in e.claims))})</li>" for e in timeline.rejected]
    out.append("</ul>")
    return out


def _reading(timeline: Timeline) -> list[str]:
    out = ["<h2>How times were read</h2>", "<ul>"]
    for r in timeline.sources:
        s = r.source
        fixed = "".join(f"; {_e(c.text())}" for c in source_corrections(timeline, s.path))
        out.append(f"<li><code>{_e(s.path)}</code> ({_e(s.type)}, {_e(s.role)}): {_e(zone_text(s.zone, s.zone_rule))}; "
                   f"published {_e(s.published or 'unknown')}; {r.mentions} time mentions, {r.used} used{fixed}</li>")
    out.append("</ul>")
    assumptions = zone_assumptions(timeline)
    if assumptions:
        out.append("<p>Zones not written next to the time:</p><ul>")
        out += [f'<li class="wrap"><a href="#{_e(e.id)}">{_e(e.id)}</a> “{_e(c.local_text)}” in {_e(_name(c.source))}: '
                f"{_e(c.span.zone)}, {_e(c.span.zone_rule)} ({_e(rule_text(c.span.zone_rule))})</li>" for e, c in assumptions]
        out.append("</ul>")
    flags = flagged(timeline)
    if flags:
        out.append("<p>Flags:</p><ul>")
        out += [f'<li class="wrap"><a href="#{_e(e.id)}">{_e(e.id)}</a> {_e(_name(c.source))}: <span class="flag">{_e(f)}</span></li>'
                for e, c, f in flags]
        out.append("</ul>")
    out += [f'<p class="flag wrap">Note: {_e(n)}</p>' for n in timeline.notes]
    skipped = [(r.source.path, s) for r in timeline.sources for s in r.skipped]
    other = elsewhere(timeline)
    if skipped or other:
        out += ["<h2>Left out</h2>"]
        out += [f'<p class="flag wrap"><b>{_e(elsewhere_text(r, timeline))}</b></p>' for r in other]
        out.append("<ul>")
        out += [f'<li class="wrap"><code>{_e(f"{p}:{s.line}" if s.line else p)}</code> {_e(s.what)}: {_e(s.reason)}</li>'
                for p, s in skipped]
        out.append("</ul>")
    return out


def render(timeline: Timeline, zones: list[str] | None = None, title: str | None = None) -> str:
    return "".join(chunks(timeline, zones, title))


LINES = 512
"""Lines of the page per piece of ``chunks``."""


def chunks(timeline: Timeline, zones: list[str] | None = None, title: str | None = None) -> Iterator[str]:
    """``render``'s text a few hundred lines (marks of the drawing, rows of the table) at a time."""
    batch: list[str] = []
    for line in _lines(timeline, zones, title):
        batch.append(line)
        if len(batch) >= LINES:
            yield "\n".join(batch) + "\n"
            batch = []
    if batch:
        yield "\n".join(batch) + "\n"


def _lines(timeline: Timeline, zones: list[str] | None, title: str | None) -> Iterator[str]:
    zones = show_zones(timeline, zones)
    in_conflict = conflicts_by_event(timeline)
    window = (f" Incident window {iso(timeline.window[0])} – {iso(timeline.window[1])}." if timeline.window else "")
    local = f" Local times in {_e(', '.join(zones))}." if zones else ""
    heading = title or DEFAULT_TITLE
    sub = "Outage timeline, in UTC. " if title else ""
    yield from [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<h1>{_e(heading)}</h1>",
        f'<p class="sub">{sub}{len(timeline.events)} events from {len(timeline.sources)} sources, '
        f"{len(timeline.conflicts)} conflicts. All times UTC; “~” marks an approximate time, “a–b” an interval."
        f"{window}{local}</p>",
        "<figure>",
    ]
    yield from _svg(timeline, in_conflict)
    yield from _svg(timeline, in_conflict, NARROW_WIDTH, NARROW_LEFT, "narrow")
    yield from [_legend(timeline), "</figure>"]
    yield from _events_table(timeline, zones, in_conflict)
    yield from [*_conflicts(timeline), *_metrics(timeline), *_decisions(timeline), *_reading(timeline),
                "</body>", "</html>"]
