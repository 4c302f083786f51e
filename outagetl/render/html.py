"""One self-contained HTML report: an SVG timeline (one lane per source), the event table, the derivations.

Nothing is fetched and nothing runs: no script at all, a Content-Security-Policy that allows only the
page's own stylesheet (by hash), ``<details>`` for the derivations, SVG ``<title>`` for hover.
Every piece of source text goes through ``html.escape``.
"""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta
from html import escape
from pathlib import PurePath

from ..metrics import describe
from ..model import Event, Timeline
from .common import (
    clock,
    conflicts_by_event,
    decision_text,
    event_by_id,
    evidence_lines,
    flagged,
    iso,
    rule_text,
    show_zones,
    source_corrections,
    span_text,
    widening,
    zone_assumptions,
)

KIND_FILL = {"start": "#7048e8", "detected": "#ae3ec9", "acknowledged": "#1971c2", "update": "#868e96",
             "mitigated": "#0c8599", "resolved": "#2f9e44", "other": "#495057"}
CONFLICT_FILL = "#e8590c"
WIDTH, LEFT, RIGHT, TOP, LANE = 960, 200, 24, 40, 34
STEPS = (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440)

CSS = "\n".join([
    "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:70em;padding:0 1em;color:#212529}",
    "table{border-collapse:collapse;width:100%;margin:1em 0}",
    "th,td{border:1px solid #dee2e6;padding:.3em .5em;text-align:left;vertical-align:top}",
    "th{background:#f1f3f5}tr:target{background:#fff3bf}",
    "blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ced4da}",
    "dl{display:grid;grid-template-columns:max-content auto;gap:0 .8em;margin:.2em 0 .8em}dt{font-weight:600}dd{margin:0}",
    "summary{cursor:pointer}.flag{color:#c92a2a}.num{white-space:nowrap}tr.why td{border-top:0;background:#f8f9fa}table.events{table-layout:fixed}col.c-id{width:2.5em}col.c-t{width:9.5em}col.c-z{width:9em}col.c-k{width:8.5em}col.c-s{width:11em}th{font-size:.9em}",
    ".src{overflow-wrap:anywhere;font-size:.9em}",
    "col.c-id{width:5.5em}.key{font:.8em ui-monospace,monospace;color:#868e96}.corrected{font-style:italic;color:#5f3dc4}",
    "svg{width:100%;height:auto;font:11px system-ui,sans-serif}svg .axis{stroke:#adb5bd}svg .lane{stroke:#e9ecef}",
    "svg .bar{fill-opacity:.35}svg .mark.conflict circle,svg .mark.conflict rect{stroke:#862e9c;stroke-width:1}",
    "svg .cite{opacity:.55}svg text{fill:#495057}",
    ".sw{display:inline-block;width:.9em;height:.9em;border-radius:50%;vertical-align:-.1em;margin:0 .2em 0 .8em}",
    *(f".k-{k}{{fill:{c};background:{c}}}" for k, c in KIND_FILL.items()),
    f".conflict{{fill:{CONFLICT_FILL};background:{CONFLICT_FILL}}}",
])


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; form-action 'none'; base-uri 'none'"


def _e(text) -> str:
    return escape("" if text is None else str(text))


def _name(path: str) -> str:
    return PurePath(path).name or path


def _f(x: float) -> str:
    return f"{x:.1f}"


def _svg(timeline: Timeline, in_conflict: dict) -> str:
    claims = [(e, i, c) for e in timeline.events for i, c in enumerate(e.claims)]
    lanes = [r.source.path for r in timeline.sources]
    for _, _, c in claims:
        if c.source not in lanes:
            lanes.append(c.source)
    height = TOP + LANE * max(len(lanes), 1) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="Timeline of {len(timeline.events)} events in UTC">']
    if not claims:
        return "\n".join(out + ["</svg>"])
    t0 = min(c.span.earliest for _, _, c in claims)
    t1 = max(c.span.latest for _, _, c in claims)
    pad = max((t1 - t0) * 0.04, timedelta(minutes=15))
    t0, t1 = t0 - pad, t1 + pad
    total = (t1 - t0).total_seconds()

    def x(t: datetime) -> float:
        return LEFT + (t - t0).total_seconds() / total * (WIDTH - LEFT - RIGHT)

    step = next((s for s in STEPS if total / 60 / s <= 12), STEPS[-1])
    tick = t0.replace(hour=0, minute=0, second=0, microsecond=0)
    while tick < t0:
        tick += timedelta(minutes=step)
    last_day = None
    while tick <= t1:
        label = f"{tick:%H:%M}" if tick.date() == last_day else f"{tick:%m-%d %H:%M}"
        last_day = tick.date()
        out.append(f'<line class="axis" x1="{_f(x(tick))}" y1="{TOP - 14}" x2="{_f(x(tick))}" y2="{height - 10}"/>'
                   f'<text x="{_f(x(tick))}" y="{TOP - 18}" text-anchor="middle">{label}</text>')
        tick += timedelta(minutes=step)
    out.append(f'<text x="8" y="{TOP - 18}">times in UTC</text>')
    for n, path in enumerate(lanes):
        y = TOP + LANE * n + LANE / 2
        out.append(f'<line class="lane" x1="{LEFT}" y1="{_f(y)}" x2="{WIDTH - RIGHT}" y2="{_f(y)}"/>'
                   f'<text x="{LEFT - 8}" y="{_f(y + 4)}" text-anchor="end"><title>{_e(path)}</title>'
                   f'{_e(_name(path)[:30])}</text>')
    for e, i, c in claims:
        y = TOP + LANE * lanes.index(c.source) + LANE / 2
        classes = f"mark k-{e.kind}" + (" conflict" if e.id in in_conflict else "") + ("" if i == 0 else " cite")
        attr = f'data-event="{_e(e.id)}"' if i == 0 else f'data-citation="{_e(e.id)}.{i + 1}"'
        tip = f"{e.id} {e.kind}: {span_text(c.span)} UTC; “{c.local_text}” ({c.local}) in {_name(c.source)}"
        shape = ""
        if c.span.latest > c.span.earliest:
            lo, hi = x(c.span.earliest), x(c.span.latest)
            shape = f'<rect class="bar" x="{_f(lo)}" y="{_f(y - 6)}" width="{_f(max(hi - lo, 2))}" height="12" rx="3"/>'
        shape += f'<circle cx="{_f(x(c.span.best))}" cy="{_f(y)}" r="{5 if i == 0 else 4}"/>'
        label = f'<text x="{_f(x(c.span.best))}" y="{_f(y - 9)}" text-anchor="middle">{_e(e.id)}</text>' if i == 0 else ""
        out.append(f'<g class="{classes}" {attr}><a href="#{_e(e.id)}"><title>{_e(tip)}</title>{shape}{label}</a></g>')
    out.append("</svg>")
    return "\n".join(out)


def _legend(timeline: Timeline) -> str:
    kinds = list(dict.fromkeys(e.kind for e in timeline.events))
    items = "".join(f'<span class="sw k-{k}"></span>{_e(k)}' for k in kinds)
    if timeline.conflicts:
        items += '<span class="sw conflict"></span>in a conflict'
    return (f"<figcaption>One lane per source; a dot is a stated time, a bar the interval it may mean "
            f"(approximate or part of day). {items}</figcaption>")


def _derivation(e: Event) -> str:
    parts = ["<ol>"]
    for i, c in enumerate(e.claims):
        line = f", line {c.line}" if c.line else ""
        primary = " — primary: the event's time is this one" if i == 0 else ""
        flags = "".join(f'<div class="flag">{_e(f)}</div>' for f in map(str, c.span.flags)) or "none"
        parts.append(
            f"<li><b>{_e(c.source)}</b> ({_e(c.role)}{line}){primary}<blockquote>{_e(c.quote)}</blockquote><dl>"
            f"<dt>Read</dt><dd>“{_e(c.local_text)}” as {_e(c.local)}</dd>"
            f"<dt>Zone</dt><dd>{_e(c.span.zone)} — {_e(c.span.zone_rule)}: {_e(rule_text(c.span.zone_rule))}</dd>"
            f"<dt>UTC</dt><dd>earliest {iso(c.span.earliest)}, best {iso(c.span.best)}, latest {iso(c.span.latest)} "
            f"({_e(c.span.precision)})</dd>"
            f"<dt>Widening</dt><dd>{_e(widening(c.span, c.local_text))}</dd>"
            f"<dt>Flags</dt><dd>{flags}</dd></dl></li>")
    parts.append("</ol>")
    if e.merged_because:
        parts.append("<p>Merged because: " + "; ".join(_e(m) for m in e.merged_because) + "</p>")
    return "".join(parts)


def _events_table(timeline: Timeline, zones: list[str], in_conflict: dict) -> list[str]:
    head = "".join(f"<th>{_e(h)}</th>" for h in ("#", "UTC", *zones, "Kind", "What happened", "Sources"))
    cols = '<col class="c-id"><col class="c-t">' + '<col class="c-z">' * len(zones) + '<col class="c-k"><col><col class="c-s">'
    out = ['<table class="events">', f"<colgroup>{cols}</colgroup>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for e in timeline.events:
        kind = _e(e.kind) + "".join(f' <a class="flag" href="#{c.id}">⚠ {c.id}</a>' for c in in_conflict.get(e.id, []))
        local = "".join(f'<td class="num">{_e(clock(e.span, z, day=False))}</td>' for z in zones)
        sources = "<br>".join(_e(_name(s)) for s in dict.fromkeys(c.source for c in e.claims))
        key = f'<br><span class="key">{_e(e.key)}</span>' if e.key else ""
        fixed = "".join(f'<div class="corrected">✎ {_e(c.text())}</div>' for c in e.corrections)
        out.append(f'<tr id="{_e(e.id)}"><td>{_e(e.id)}{key}</td><td class="num">{_e(clock(e.span))}</td>{local}'
                   f'<td class="num">{kind}</td><td>{_e(e.summary)}{fixed}</td><td class="src">{sources}</td></tr>')
        cites = f"{len(e.claims)} citation{'s' if len(e.claims) > 1 else ''}"
        out.append(f'<tr class="why"><td></td><td colspan="{4 + len(zones)}"><details><summary>Quotes and how the time '
                   f'was read ({cites})</summary>{_derivation(e)}</details></td></tr>')
    out += ["</tbody>", "</table>"]
    return out


def _conflicts(timeline: Timeline) -> list[str]:
    if not timeline.conflicts:
        return []
    events = event_by_id(timeline)
    out = ["<h2>Conflicting reports</h2>"]
    for c in timeline.conflicts:
        official = f"; the official source is {_e(c.official)}" if c.official else ""
        out.append(f'<h3 id="{c.id}">{c.id}: {_e(c.kind)}, {len(c.events)} readings {c.spread_minutes} min apart{official}</h3>')
        out.append("<table><thead><tr><th>Event</th><th>UTC</th><th>Read as</th><th>Source</th><th>Says</th></tr></thead><tbody>")
        for eid in c.events:
            for claim in events[eid].claims:
                out.append(f'<tr><td><a href="#{_e(eid)}">{_e(eid)}</a></td><td class="num">{_e(clock(claim.span))}</td>'
                           f"<td>“{_e(claim.local_text)}” = {_e(claim.local)}</td><td>{_e(claim.source)} ({_e(claim.role)})</td>"
                           f"<td>{_e(claim.quote)}</td></tr>")
        out.append("</tbody></table>")
        if c.evidence:
            out += [f"<p>{_e(line)}</p>" for line in evidence_lines(timeline, c)]
    return out


def _metrics(timeline: Timeline) -> list[str]:
    if not timeline.metrics:
        return []
    out = ["<h2>Incident metrics</h2>", "<table><thead><tr><th>Metric</th><th>Value</th><th>Range</th><th>Measures</th></tr></thead><tbody>"]
    for name, m in timeline.metrics.items():
        spread = "" if m["min"] == m["max"] else f"{describe(m['min'])} to {describe(m['max'])}"
        out.append(f"<tr><td>{_e(name.replace('_', ' '))}</td><td>{_e(describe(m['minutes']))}</td><td>{_e(spread)}</td>"
                   f"<td>{_e(m['measures'])} ({_e(m['from'])} → {_e(m['to'])})</td></tr>")
    out.append("</tbody></table>")
    return out


def _decisions(timeline: Timeline) -> list[str]:
    """The case file's decisions, applied or orphaned, and the events they took out of the timeline."""
    if not timeline.decisions:
        return []
    out = ["<h2>Decisions</h2>", "<ul>"]
    out += [f"<li>{_e(decision_text(timeline, c))}</li>" for c in timeline.decisions]
    out += [f"<li>Rejected <span class=\"key\">{_e(e.key)}</span>: {_e(clock(e.span))} {_e(e.kind)}, “{_e(e.summary)}” "
            f"({_e(', '.join(c.source for c in e.claims))})</li>" for e in timeline.rejected]
    out.append("</ul>")
    return out


def _reading(timeline: Timeline) -> list[str]:
    out = ["<h2>How times were read</h2>", "<ul>"]
    for r in timeline.sources:
        s = r.source
        fixed = "".join(f"; {_e(c.text())}" for c in source_corrections(timeline, s.path))
        out.append(f"<li><code>{_e(s.path)}</code> ({_e(s.type)}, {_e(s.role)}): zone {_e(s.zone)} ({_e(s.zone_rule)}: "
                   f"{_e(rule_text(s.zone_rule or ''))}); published {_e(s.published or 'unknown')}; "
                   f"{r.mentions} time mentions, {r.used} used{fixed}</li>")
    out.append("</ul>")
    assumptions = zone_assumptions(timeline)
    if assumptions:
        out.append("<p>Zones not written next to the time:</p><ul>")
        out += [f'<li><a href="#{_e(e.id)}">{_e(e.id)}</a> “{_e(c.local_text)}” in {_e(_name(c.source))}: {_e(c.span.zone)}, '
                f"{_e(c.span.zone_rule)} ({_e(rule_text(c.span.zone_rule))})</li>" for e, c in assumptions]
        out.append("</ul>")
    flags = flagged(timeline)
    if flags:
        out.append("<p>Flags:</p><ul>")
        out += [f'<li><a href="#{_e(e.id)}">{_e(e.id)}</a> {_e(_name(c.source))}: <span class="flag">{_e(f)}</span></li>'
                for e, c, f in flags]
        out.append("</ul>")
    out += [f'<p class="flag">Note: {_e(n)}</p>' for n in timeline.notes]
    skipped = [(r.source.path, s) for r in timeline.sources for s in r.skipped]
    if skipped:
        out += ["<h2>Left out</h2>", "<ul>"]
        out += [f"<li><code>{_e(f'{p}:{s.line}' if s.line else p)}</code> {_e(s.what)}: {_e(s.reason)}</li>" for p, s in skipped]
        out.append("</ul>")
    return out


def render(timeline: Timeline, zones: list[str] | None = None) -> str:
    zones = show_zones(timeline, zones)
    in_conflict = conflicts_by_event(timeline)
    window = (f" Incident window {iso(timeline.window[0])} – {iso(timeline.window[1])}." if timeline.window else "")
    local = f" Local times in {_e(', '.join(zones))}." if zones else ""
    body = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Outage timeline (UTC)</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<h1>Outage timeline (UTC)</h1>",
        f"<p>{len(timeline.events)} events from {len(timeline.sources)} sources, {len(timeline.conflicts)} conflicts. "
        f"All times UTC; “~” marks an approximate time, “a–b” an interval.{window}{local}</p>",
        "<figure>", _svg(timeline, in_conflict), _legend(timeline), "</figure>",
        *_events_table(timeline, zones, in_conflict), *_conflicts(timeline), *_metrics(timeline), *_decisions(timeline),
        *_reading(timeline),
        "</body>", "</html>",
    ]
    return "\n".join(body) + "\n"
