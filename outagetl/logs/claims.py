"""Log claims: a log's or metric's per-minute counts (``LogSeries``) and notable lines → claims.

A log says nothing in words about an outage; what it shows is its own error rate leaving its own
baseline and coming back. The threshold is robust (median + k·MAD of the quiet minutes, with a
floor), so a noisy but steady log produces no events: no anomaly, no claim.
Everything runs on the per-minute frame with numpy/pandas; only the few claims are built in Python.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ..model import Claim, Flag, FlagCode, Origin, Skip, SourceDoc, TimeSpan, ZoneRule, has_flag
from . import stamps
from .changes import change_table
from .series import LogSeries

K_MAD = 5.0
MAD_SCALE = 1.4826
FLOOR_ADD = 3.0
FLOOR_TIMES = 3.0
GAP_MINUTES = 2
MAX_FILL = 5_000_000
_UTC = timezone.utc


def log_claims(doc: SourceDoc, zone: str | None = None, zone_rule: str | None = None,
               year: int | None = None,
               window: tuple[datetime, datetime] | None = None) -> tuple[list[Claim], list[Skip]]:
    """Claims from one log/metrics SourceDoc.

    ``zone`` is the zone the log's local times are in (``--log-tz``/``--source-tz``/manifest) and
    ``zone_rule`` how it was chosen; lines with offsets or epochs ignore it. ``year`` or ``window``
    (aware UTC) place year-less timestamps; without either, such a log yields no claims.
    """
    series: LogSeries | None = doc.series
    path = doc.source.path
    if series is None or len(series) == 0:
        return [], [Skip(path, "log", "no timestamped lines to count")]
    skips: list[Skip] = []
    base = None
    if series.year_missing:
        base = _base_year(series.minutes.index, year, window)
        if base is None:
            return [], [Skip(path, f"{len(series)} minutes",
                             "timestamps have no year, and no --year or incident window to place them")]
    frame = series.minutes.set_axis(stamps.place(series.minutes.index, base))
    lost = frame.index.isna()
    if lost.any():
        skips.append(Skip(path, f"{int(frame['total'][lost].sum())} lines",
                          f"Feb 29 does not exist in {base}"))
        frame = frame[~lost]
    frame = _fill(frame.sort_index(), series)
    where = _Where(zone, zone_rule, series, base)
    marked = _record_claims(doc, series, base, where)
    burst, why = find_burst(frame["errors"])
    if burst is None:
        skips.append(Skip(path, "error rate", why))
        claims = [claim for _, claim in marked]
    else:
        found, missing = _burst_claims(doc, frame, burst, series, where)
        claims, baseline = _inside_burst(marked, found)
        claims += found
        skips += missing + baseline
    claims.sort(key=lambda c: (c.span.best, c.kind, c.summary))
    return claims, skips


def _inside_burst(marked: list[tuple[FlagCode, Claim]], burst: list[Claim]) -> tuple[list[Claim], list[Skip]]:
    """A first or last error in the quiet baseline says nothing about the outage once a burst is
    found: it would put a lone stray error on the timeline as if it were the start."""
    if not burst:
        return [claim for _, claim in marked], []
    lo = min(c.span.earliest for c in burst)
    hi = max(c.span.latest for c in burst) if any(c.kind == "resolved" for c in burst) else None
    kept, skips = [], []
    for mark, claim in marked:
        stray = mark in (FlagCode.FIRST_ERROR, FlagCode.LAST_ERROR) and (
            claim.span.best < lo or (hi is not None and claim.span.best > hi + pd.Timedelta(minutes=1)))
        if stray:
            skips.append(Skip(claim.source, f"{claim.summary} ({claim.local_text})",
                              "part of the quiet baseline, outside the error burst", claim.line))
        else:
            kept.append(claim)
    return kept, skips


def find_burst(errors: pd.Series, k: float = K_MAD, gap: int = GAP_MINUTES) -> tuple[dict | None, str]:
    """The largest run of minutes above a robust threshold, short gaps bridged; or why there is none."""
    values = errors.fillna(0).to_numpy(dtype="float64")
    if values.size < 3:
        return None, "too few minutes to compare against a baseline"
    quiet = values <= np.quantile(values, 0.5)
    threshold = base = 0.0
    for _ in range(5):
        base = float(np.median(values[quiet]))
        mad = float(np.median(np.abs(values[quiet] - base)))
        threshold = max(base + k * MAD_SCALE * mad, base + FLOOR_ADD, FLOOR_TIMES * base)
        now_quiet = values <= threshold
        if (now_quiet == quiet).all() or not now_quiet.any():
            break
        quiet = now_quiet
    pos = np.flatnonzero(values > threshold)
    if pos.size == 0:
        return None, f"error rate never above threshold {threshold:g} (baseline {base:g})"
    breaks = np.flatnonzero(np.diff(pos) > gap + 1)
    starts = pos[np.r_[0, breaks + 1]]
    ends = pos[np.r_[breaks, pos.size - 1]]
    excess = np.r_[0.0, np.cumsum(np.clip(values - base, 0, None))]
    sizes = excess[ends + 1] - excess[starts]
    best = int(np.argmax(sizes))
    start, end = int(starts[best]), int(ends[best])
    peak = start + int(np.argmax(values[start:end + 1]))
    above = int((values[start:end + 1] > threshold).sum())
    if above < 2 and values[peak] < 2 * threshold:
        return None, f"only one minute above threshold {threshold:g} (baseline {base:g})"
    return {"start": start, "end": end, "peak": peak, "baseline": base, "threshold": threshold,
            "minutes": end - start + 1, "above": above}, ""


def _base_year(index: pd.DatetimeIndex, year: int | None,
               window: tuple[datetime, datetime] | None) -> int | None:
    """The year of the log's first line that puts the log nearest the window (or in ``year``)."""
    if window is None:
        return year
    lo, hi = (pd.Timestamp(w).tz_convert(None) if pd.Timestamp(w).tzinfo else pd.Timestamp(w)
              for w in window)
    first, last = index.min(), index.max()

    def distance(candidate: int) -> float:
        span = stamps.place(pd.DatetimeIndex([first, last]), candidate)
        if span.isna().any():
            return float("inf")
        gap = max((lo - span[1]).total_seconds(), (span[0] - hi).total_seconds(), 0.0)
        return gap
    return min(range(lo.year - 2, hi.year + 2), key=lambda y: (distance(y), abs(y - lo.year)))


def _fill(frame: pd.DataFrame, series: LogSeries) -> pd.DataFrame:
    """Minutes with no lines are minutes with zero errors (logs); metrics keep their buckets."""
    frame = frame[~frame.index.duplicated(keep="first")]
    if not series.fill_gaps or len(frame) < 2:
        return frame
    span = (frame.index[-1] - frame.index[0]) / pd.Timedelta(minutes=1)
    if span > MAX_FILL:
        return frame
    full = pd.date_range(frame.index[0], frame.index[-1], freq="min", name=frame.index.name)
    out = frame.reindex(full)
    out[["total", "errors"]] = out[["total", "errors"]].fillna(0)
    return out


class _Where:
    """Turns a naive log time into a UTC TimeSpan with the zone, its rule and the flags."""

    def __init__(self, zone: str | None, zone_rule: str | None, series: LogSeries, base: int | None):
        self.flags: tuple[Flag, ...] = ()
        if series.zone == "UTC":
            self.zone, self.rule = "UTC", ZoneRule.EXPLICIT
        elif zone:
            self.zone, self.rule = zone, zone_rule or ZoneRule.PINNED
        else:
            self.zone, self.rule, self.flags = "UTC", ZoneRule.ASSUMED, (Flag(FlagCode.ZONE_ASSUMED, "UTC", ":"),)
        if base is not None:
            self.flags += (Flag(FlagCode.YEAR_INFERRED, str(base), ":"),)
        self.info = ZoneInfo(self.zone)

    def span(self, naive: datetime) -> tuple[TimeSpan, str]:
        early = naive.replace(tzinfo=self.info, fold=0)
        late = naive.replace(tzinfo=self.info, fold=1)
        flags = self.flags
        if early.utcoffset() != late.utcoffset():
            back = early.astimezone(_UTC).astimezone(self.info).replace(tzinfo=None)
            gap = back != naive
            flags += (Flag(FlagCode.DST_GAP if gap else FlagCode.DST_AMBIGUOUS, self.zone, ":"),)
        a, b = sorted((early.astimezone(_UTC), late.astimezone(_UTC)))
        if has_flag(flags, FlagCode.DST_GAP):
            a = b = early.astimezone(_UTC)
        abbr = "UTC" if self.zone == "UTC" else early.tzname()
        span = TimeSpan(a, a, b, "minute", self.zone, self.rule, flags)
        return span, f"{naive:%Y-%m-%d %H:%M} {abbr}"


def _record_claims(doc: SourceDoc, series: LogSeries, base: int | None,
                   where: _Where) -> list[tuple[FlagCode, Claim]]:
    """A claim per reason a notable line was kept (its flags), with that reason beside it."""
    name = Path(doc.source.path).name
    _, kinds, _ = change_table()
    out = []
    for record in doc.records:
        when = series.record_times.get(record.index)
        if when is None or pd.isna(when):
            continue
        real = stamps.place(pd.DatetimeIndex([when]), base)[0]
        if pd.isna(real):
            continue
        span, local = where.span(real.floor("us").to_pydatetime())
        for flag in record.flags:
            if flag.code is FlagCode.FIRST_ERROR:
                kind, summary = "update", f"first error in {name}"
            elif flag.code is FlagCode.LAST_ERROR:
                kind, summary = "update", f"last error in {name}"
            elif flag.code is FlagCode.CHANGE:
                sort = flag.detail
                kind, summary = kinds.get(sort, "update"), f"{sort} logged in {name}"
            else:
                continue
            out.append((flag.code, Claim(
                source=doc.source.path, role="system", kind=kind, span=span, summary=summary,
                quote=record.text, local_text=record.timestamp_text or "", local=local,
                record=record.index, line=record.line, lines=(record.line,) if record.line else (),
                origin=Origin.LOG)))
    return out


def _burst_claims(doc: SourceDoc, frame: pd.DataFrame, burst: dict, series: LogSeries,
                  where: _Where) -> tuple[list[Claim], list[Skip]]:
    path = doc.source.path
    unit = series.unit
    errors = frame["errors"].fillna(0)
    base, threshold = burst["baseline"], burst["threshold"]
    peak_value = float(errors.iloc[burst["peak"]])
    shared = (("baseline", base), ("threshold", threshold), ("minutes", float(burst["minutes"])))
    wanted = [("start", burst["start"], f"errors rose from {_n(base)}{unit} to {_n(peak_value)}{unit}"),
              ("update", burst["peak"], f"errors peaked at {_n(peak_value)}{unit}")]
    skips = []
    if burst["start"] == 0:
        wanted.pop(0)
        skips.append(Skip(path, "error-rate onset", "the log starts inside the error burst"))
    after = burst["end"] + 1
    if after < len(frame):
        wanted.append(("resolved", after,
                       f"errors back to {_n(float(errors.iloc[after]))}{unit} (baseline {_n(base)}{unit})"))
    else:
        skips.append(Skip(path, "error-rate recovery", "errors are still above baseline where the log ends"))
    out = []
    for kind, i, summary in wanted:
        row = frame.iloc[i]
        minute = frame.index[i].to_pydatetime()
        span, local = where.span(minute)
        cite = row.get("first_error_line") if kind != "resolved" else row.get("first_line")
        lines = (int(cite),) if cite is not None and pd.notna(cite) else ()
        total = row.get("total")
        counts = (("errors", float(errors.iloc[i])),) + (
            (("total", float(total)),) if total is not None and pd.notna(total) else ()) + shared
        raw = row.get("ts_text")
        quote = f"{_n(float(errors.iloc[i]))} errors in the minute {minute:%H:%M} (baseline {_n(base)}{unit})"
        out.append(Claim(source=path, role="system", kind=kind, span=span, summary=summary, quote=quote,
                         local_text=raw if isinstance(raw, str) else f"{minute:%Y-%m-%d %H:%M}",
                         local=local, record=-1, line=lines[0] if lines else None, lines=lines,
                         counts=counts, origin=Origin.LOG))
    return out, skips


def _n(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 or value >= 100 else f"{value:.1f}"
