"""Log claims: a log's or metric's per-minute counts (``LogSeries``) and notable lines → claims.

A log says nothing in words about an outage; what it shows is its own error rate leaving its own
baseline and coming back. The threshold is robust (median + k·MAD of the quiet minutes, with a
floor), so a noisy but steady log produces no events: no anomaly, no claim.
Everything runs on the per-minute arrays with numpy; only the few claims are built in Python.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from ..model import Claim, ErrorRate, Flag, FlagCode, Origin, Skip, SourceDoc, TimeSpan, ZoneRule, has_flag
from . import stamps
from .changes import change_words
from .series import LogSeries, Minutes

K_MAD = 5.0
MAD_SCALE = 1.4826
FLOOR_ADD = 3.0
FLOOR_TIMES = 3.0
GAP_MINUTES = 2
RECOVERY_MINUTES = 5
"""A recovery is this many minutes in a row back at baseline."""
CALM_QUANTILE = 0.99
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
    base, leap_day = None, None
    if series.year_missing:
        base = _base_year(series.minutes.minute, year, window)
        if base is None:
            return [], [Skip(path, f"{len(series)} minutes",
                             "timestamps have no year, and no --year or incident window to place them")]
        leap_day = _leap_day(series.minutes.minute, base, window)
    minutes = series.minutes
    placed = stamps.place(minutes.minute, base)
    lost = np.isnat(placed)
    if lost.any():
        skips.append(Skip(path, f"{int(np.nansum(minutes.total[lost]))} lines",
                          f"Feb 29 does not exist in {base}"))
    frame = _fill(_placed(minutes, placed, ~lost), series)
    where = _Where(zone, zone_rule, series, base)
    if leap_day:
        where.flags += (leap_day,)
    marked = _record_claims(doc, series, base, where)
    burst, why = find_burst(frame.errors)
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


RATE_BUCKETS = 300
"""At most this many buckets in a drawn error rate: finer than a lane's pixels need."""


def error_rate(doc: SourceDoc, zone: str | None = None, zone_rule: str | None = None, year: int | None = None,
               window: tuple[datetime, datetime] | None = None, buckets: int = RATE_BUCKETS) -> ErrorRate | None:
    """The source's errors per minute in at most ``buckets`` equal buckets, placed in UTC as
    :func:`log_claims` places its claims (the same year and zone); None when it cannot be placed."""
    series: LogSeries | None = doc.series
    if series is None or len(series) == 0:
        return None
    base = _base_year(series.minutes.minute, year, window) if series.year_missing else None
    if series.year_missing and base is None:
        return None
    placed = stamps.place(series.minutes.minute, base)
    frame = _fill(_placed(series.minutes, placed, ~np.isnat(placed)), series)
    if len(frame) == 0:
        return None
    minute = np.timedelta64(1, "m").astype("timedelta64[ns]")
    at = ((frame.minute - frame.minute[0]) // minute).astype(np.int64)
    native = int(median(np.diff(at))) if len(at) > 1 else 1
    span = int(at[-1]) + native
    step = max(native, -(-span // buckets))
    slot = at // step
    sums = np.bincount(slot, weights=np.nan_to_num(frame.errors.astype("float64"), nan=0.0))
    where = _Where(zone, zone_rule, series, base)
    first = _datetime(frame.minute[0])
    times = tuple(where.span(first + timedelta(minutes=int(i * step)))[0].best for i in range(len(sums)))
    return ErrorRate(times, tuple(round(float(v) / step, 3) for v in sums), step)


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
            claim.span.best < lo or (hi is not None and claim.span.best > hi + timedelta(minutes=1)))
        if stray:
            skips.append(Skip(claim.source, f"{claim.summary} ({claim.local_text})",
                              "part of the quiet baseline, outside the error burst", claim.line))
        else:
            kept.append(claim)
    return kept, skips


def find_burst(errors: np.ndarray, k: float = K_MAD, gap: int = GAP_MINUTES) -> tuple[dict | None, str]:
    """The largest run of minutes above a robust threshold (median + k·MAD of the quiet minutes,
    with a floor; gaps of up to ``gap`` minutes bridged), widened to the errors around it; or why
    there is none.

    A minute is at baseline ("calm") when its count is one the quiet minutes make likely, by a Poisson model of
    their mean rate (what holds for small counts: over a baseline near zero, 2 errors in a minute
    is not baseline) or, for large noisy counts, by their spread. The burst ends where a sustained
    return to baseline (``RECOVERY_MINUTES`` calm minutes in a row) begins: a dip to 3/min inside
    a burst of 1-5/min is not a recovery, and two stretches of errors with no such return between
    them are one burst. ``recovered`` is False when the log ends first."""
    values = np.nan_to_num(np.asarray(errors, dtype="float64"), nan=0.0)
    if values.size < 3:
        return None, "too few minutes to compare against a baseline"
    quiet = values <= median(values)
    threshold = base = mad = 0.0
    for _ in range(5):
        base = median(values[quiet])
        mad = median(np.abs(values[quiet] - base))
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
    best = int(np.argmax(excess[ends + 1] - excess[starts]))
    core_start, core_end = int(starts[best]), int(ends[best])
    if (values[core_start:core_end + 1] > threshold).sum() < 2 and values[core_start:core_end + 1].max() < 2 * threshold:
        return None, f"only one minute above threshold {threshold:g} (baseline {base:g})"
    # Widen the run to every minute off baseline around it, up to a sustained calm on each side.
    calm = min(calm_level(_baseline_rate(values, threshold, base), base, mad), threshold)
    busy = np.flatnonzero(values > calm)
    cuts = np.flatnonzero(np.diff(busy) > RECOVERY_MINUTES)
    first, last = busy[np.r_[0, cuts + 1]], busy[np.r_[cuts, busy.size - 1]]
    segment = int(np.searchsorted(last, core_start))
    start, end = int(first[segment]), int(last[segment])
    peak = start + int(np.argmax(values[start:end + 1]))
    return {"start": start, "end": end, "peak": peak, "baseline": base, "threshold": threshold, "calm": calm,
            "minutes": end - start + 1, "above": int((values[start:end + 1] > threshold).sum()),
            "recovered": values.size - end - 1 >= RECOVERY_MINUTES,
            "calm_before_end": int(values.size - end - 1)}, ""


def median(values: np.ndarray) -> float:
    """``np.median`` of a non-empty array, by sorting: numpy's own imports ``numpy.ma`` (10-40 ms
    of a run's start-up) to check for masked arrays."""
    ordered = np.sort(np.asarray(values, dtype="float64"))
    mid = ordered.size // 2
    return float(ordered[mid]) if ordered.size % 2 else float((ordered[mid - 1] + ordered[mid]) / 2)


def _baseline_rate(values: np.ndarray, threshold: float, base: float) -> float:
    """The mean count of the minutes away from any minute above the threshold (more than
    ``RECOVERY_MINUTES`` from one): the incident's own quieter minutes do not raise the baseline."""
    near = np.zeros(values.size + 1, np.int64)
    above = np.flatnonzero(values > threshold)
    np.add.at(near, np.clip(above - RECOVERY_MINUTES, 0, None), 1)
    np.add.at(near, np.clip(above + RECOVERY_MINUTES + 1, None, values.size), -1)
    away = np.cumsum(near)[:-1] == 0
    return float(values[away].mean()) if away.any() else base


def calm_level(rate: float, base: float, mad: float) -> float:
    """The most errors in a minute that still count as baseline: the 99th percentile of a Poisson
    count at the quiet minutes' mean ``rate``, or, for large noisy counts, ``base`` + 3 spreads."""
    level, term = 0, np.exp(-rate)
    cumulative = term
    while cumulative < CALM_QUANTILE and level < 10_000:
        level += 1
        term *= rate / level
        cumulative += term
    return max(float(level), base + 3 * MAD_SCALE * mad)


def _base_year(minute: np.ndarray, year: int | None,
               window: tuple[datetime, datetime] | None) -> int | None:
    """The year of the log's first line that puts the log nearest the window (or in ``year``);
    a log with a Feb 29 is only placed where that day exists."""
    if window is None:
        return year
    lo, hi = (_naive_utc(w) for w in window)
    ends = np.array([minute.min(), minute.max()], dtype="datetime64[ns]")
    leap_day = _has_leap_day(minute)

    def distance(candidate: int) -> float:
        span = stamps.place(ends, candidate)
        if np.isnat(span).any() or (leap_day and np.isnat(stamps.place(minute, candidate)).any()):
            return float("inf")
        first, last = (_datetime(v) for v in span)
        return max((lo - last).total_seconds(), (first - hi).total_seconds(), 0.0)
    return min(range(lo.year - 4, hi.year + 4), key=lambda y: (distance(y), abs(y - lo.year)))


def _has_leap_day(minute: np.ndarray) -> bool:
    _, month, day, _ = stamps.civil(minute[~np.isnat(minute)])
    return bool(((month == 2) & (day == 29)).any())


def _leap_day(minute: np.ndarray, base: int, window) -> Flag | None:
    """The flag for a log without years that has a Feb 29: it decides (or defeats) the year."""
    if not _has_leap_day(minute):
        return None
    placed = stamps.place(minute, base)
    if np.isnat(placed).any():
        return Flag(FlagCode.LEAP_DAY, f"Feb 29 does not exist in {base}: those lines are not counted", ": ")
    _, month, day, _ = stamps.civil(minute[~np.isnat(minute)])
    year = stamps.civil(placed[~np.isnat(minute)][(month == 2) & (day == 29)][:1])[0][0]
    detail = f"the log has Feb 29, so it is placed in {year}, a leap year"
    if window is not None:
        lo, hi = (_naive_utc(w) for w in window)
        if not lo.year <= year <= hi.year:
            detail += f", not in the incident window's {lo.year}" if lo.year == hi.year else \
                f", outside the incident window's {lo.year}-{hi.year}"
    return Flag(FlagCode.LEAP_DAY, detail, ": ")


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(_UTC).replace(tzinfo=None) if when.tzinfo else when


def _datetime(value: np.datetime64) -> datetime:
    """A naive datetime of a datetime64, floored to the microsecond."""
    return np.datetime64(value, "ns").astype("datetime64[us]").item()


def _placed(minutes: Minutes, placed: np.ndarray, keep: np.ndarray) -> Minutes:
    """The minutes kept, at their placed times, in time order (the first of equal minutes only)."""
    rows = np.flatnonzero(keep)
    rows = rows[np.argsort(placed[rows], kind="stable")]
    out = minutes.take(rows)
    out = Minutes(placed[rows], out.total, out.errors, out.first_line, out.first_error_line, out.ts_text)
    if len(out) > 1:
        first = np.r_[True, out.minute[1:] != out.minute[:-1]]
        if not first.all():
            out = out.take(first)
    return out


def _fill(minutes: Minutes, series: LogSeries) -> Minutes:
    """Minutes with no lines are minutes with zero errors (logs); metrics keep their buckets."""
    if not series.fill_gaps or len(minutes) < 2:
        return minutes
    step = np.timedelta64(1, "m").astype("timedelta64[ns]")
    span = int((minutes.minute[-1] - minutes.minute[0]) // step)
    if span > MAX_FILL or span + 1 == len(minutes):
        return minutes
    full = minutes.minute[0] + np.arange(span + 1) * step
    at = ((minutes.minute - minutes.minute[0]) // step).astype(np.int64)

    def spread(values, missing, dtype):
        out = np.full(span + 1, missing, dtype=dtype)
        out[at] = values
        return out

    stamps_ = [None] * (span + 1)
    for i, text in zip(at, minutes.ts_text, strict=True):
        stamps_[i] = text
    return Minutes(full, spread(minutes.total, 0, minutes.total.dtype), spread(minutes.errors, 0, minutes.errors.dtype),
                   spread(minutes.first_line, 0, np.int64), spread(minutes.first_error_line, 0, np.int64),
                   tuple(stamps_))


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
    _, kinds, _ = change_words()
    out = []
    for record in doc.records:
        when = series.record_times.get(record.index)
        if when is None or np.isnat(when):
            continue
        real = stamps.place(np.array([when], dtype="datetime64[ns]"), base)[0]
        if np.isnat(real):
            continue
        span, local = where.span(_datetime(real))
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


def _burst_claims(doc: SourceDoc, frame: Minutes, burst: dict, series: LogSeries,
                  where: _Where) -> tuple[list[Claim], list[Skip]]:
    path = doc.source.path
    unit = series.unit
    errors = np.nan_to_num(frame.errors.astype("float64"), nan=0.0)
    base, threshold = burst["baseline"], burst["threshold"]
    peak_value = float(errors[burst["peak"]])
    shared = (("baseline", base), ("threshold", threshold), ("minutes", float(burst["minutes"])))
    wanted = [("start", burst["start"], f"errors rose from {_n(base)}{unit} to {_n(peak_value)}{unit}"),
              ("update", burst["peak"], f"errors peaked at {_n(peak_value)}{unit}")]
    skips = []
    if burst["start"] == 0:
        wanted.pop(0)
        skips.append(Skip(path, "error-rate onset", "the log starts inside the error burst"))
    after = burst["end"] + 1
    if burst["recovered"]:
        wanted.append(("resolved", after,
                       f"errors back to {_n(float(errors[after]))}{unit} (baseline {_n(base)}{unit})"))
    elif burst["calm_before_end"]:
        n = burst["calm_before_end"]
        skips.append(Skip(path, "error-rate recovery",
                          f"errors are back at baseline only for the last {n} minute{'s' if n != 1 else ''} of the log: "
                          f"a recovery needs {RECOVERY_MINUTES} in a row"))
    else:
        skips.append(Skip(path, "error-rate recovery", "errors are still above baseline where the log ends"))
    out = []
    for kind, i, summary in wanted:
        minute = _datetime(frame.minute[i])
        span, local = where.span(minute)
        cite = int(frame.first_error_line[i] if kind != "resolved" else frame.first_line[i])
        lines = (cite,) if cite > 0 else ()
        total = float(frame.total[i])
        counts = (("errors", float(errors[i])),) + ((("total", total),) if not np.isnan(total) else ()) + shared
        raw = frame.ts_text[i]
        quote = f"{_n(float(errors[i]))} errors in the minute {minute:%H:%M} (baseline {_n(base)}{unit})"
        out.append(Claim(source=path, role="system", kind=kind, span=span, summary=summary, quote=quote,
                         local_text=raw if isinstance(raw, str) else f"{minute:%Y-%m-%d %H:%M}",
                         local=local, record=-1, line=lines[0] if lines else None, lines=lines,
                         counts=counts, origin=Origin.LOG))
    return out, skips


def _n(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 or value >= 100 else f"{value:.1f}"
