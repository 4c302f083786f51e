"""Turn parsed batches of log lines into per-minute counts, a few notable lines, and skips.

Memory stays flat: each batch is reduced to one row per minute and folded into the running
totals, and only notable lines (first/last error, change announcements) are kept as text.
The reduction is a GROUP BY minute with SUM/MIN (numpy, no DataFrames), so it maps one-to-one
onto Spark SQL.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Flag, FlagCode, Record, Skip, Source, SourceDoc, ZoneRule
from . import stamps
from .changes import change_words
from .formats import Parser
from .series import LogSeries, Minutes, SeriesKind

_MAX_TEXT = 2000


@dataclass(frozen=True, eq=False)
class Batch:
    """One engine's reading of a batch of lines, as the numpy columns ``Tally`` counts.

    ``ok`` is True for a line with a timestamp that parsed (``reason`` says why not, elsewhere);
    ``when`` is naive datetime64[ns] (UTC when ``zoned``, else local as written), ``month`` the
    month (for New Year roll-over), ``error`` whether the line's level is error, ``change`` the
    change sort its message announces (or None); ``level`` the level word (or None) as
    ``level_names[level_codes]`` (-1: none). ``text`` and ``ts_text`` are per-line sequences
    (lists or Arrow arrays) read only for the few lines that are kept.
    """

    line: np.ndarray
    ok: np.ndarray
    reason: np.ndarray
    when: np.ndarray
    zoned: np.ndarray
    month: np.ndarray
    error: np.ndarray
    change: np.ndarray
    level_codes: np.ndarray
    level_names: tuple[str, ...]
    text: Sequence
    ts_text: Sequence

    def __len__(self) -> int:
        return len(self.line)

    def level(self, i: int) -> str | None:
        code = int(self.level_codes[i])
        return self.level_names[code] if code >= 0 else None


def pick(values: Sequence, rows: np.ndarray) -> list:
    """``values[rows]`` as Python objects, for a list, a numpy array or an Arrow array."""
    if hasattr(values, "take") and hasattr(values, "to_pylist"):
        from .arrow import take

        return take(values, np.asarray(rows)).to_pylist()
    return [values[int(i)] for i in rows]


def _groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(values, return_index=True, return_inverse=True)`` without the ``numpy.ma``
    import numpy's makes (10-40 ms of start-up): the sorted distinct values, the first row of
    each, each row's group."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.empty(values.size, np.int64)
    group[order] = np.cumsum(new) - 1
    return ordered[new], order[new], group


class Tally:
    """Running per-minute totals and notable lines for one file."""

    def __init__(self, display: str, parser: Parser, mode: str | None = None):
        self.display = display
        self.parser = parser
        self.parts: list[tuple] = []
        self.reasons: dict[str, list[int]] = {}
        self.first_error: dict | None = None
        self.last_error: dict | None = None
        self.changes: list[dict] = []
        self.changes_dropped = 0
        self.lines = 0
        self.parsed = 0
        self.mode: str | None = mode
        self.year_step = 0
        self.last_month = float("nan")
        self.first_month = float("nan")

    def add(self, batch: Batch) -> None:
        self.lines += len(batch)
        ok = self._zone_mode(batch)
        if not ok.all():
            self._skips(batch, ok)
        rows = np.flatnonzero(ok)
        if rows.size == 0:
            return
        when = self._roll_years(batch.when[rows], batch.month[rows])
        self.parsed += rows.size
        self._count(batch, rows, when)
        self._notable(batch, rows, when)

    def _zone_mode(self, batch: Batch) -> np.ndarray:
        """A file is either all UTC (offsets, epochs) or all local; the first parsed lines decide."""
        ok = batch.ok
        if self.mode is None and ok.any():
            self.mode = "utc" if batch.zoned[ok].mean() >= 0.5 else "local"
        if self.mode is None:
            return ok
        odd = ok & (batch.zoned != (self.mode == "utc"))
        if odd.any():
            batch.reason[odd] = ("no UTC offset, unlike the rest of the file" if self.mode == "utc"
                                 else "has a UTC offset, unlike the rest of the file")
            ok = ok & ~odd
        return ok

    def _roll_years(self, when: np.ndarray, month: np.ndarray) -> np.ndarray:
        """Year-less lines: count New Years crossed (month falls by 6 or more) in file order."""
        if self.parser.has_year:
            return when
        if not self.parsed:
            self.first_month = float(month[0])
        previous = np.empty_like(month)
        previous[0] = self.last_month
        previous[1:] = month[:-1]
        with np.errstate(invalid="ignore"):
            steps = np.cumsum((previous - month) >= stamps.NEW_YEAR_DROP) + self.year_step
        self.year_step = int(steps[-1])
        self.last_month = float(month[-1])
        return when + stamps.placeholder_shift(steps).astype("timedelta64[ns]")

    def _skips(self, batch: Batch, ok: np.ndarray) -> None:
        for i in np.flatnonzero(~ok):
            entry = self.reasons.setdefault(batch.reason[i], [0, int(batch.line[i])])
            entry[0] += 1

    def _count(self, batch: Batch, rows: np.ndarray, when: np.ndarray) -> None:
        minute = when.astype("datetime64[m]").astype("datetime64[ns]")
        line = batch.line[rows]
        err = batch.error[rows]
        if (minute[1:] >= minute[:-1]).all():  # lines in time order, as most logs: one pass, no sort
            first = np.flatnonzero(np.r_[True, minute[1:] != minute[:-1]])
            keys, totals = minute[first], np.diff(np.r_[first, minute.size])
            errors = np.add.reduceat(err.astype(np.int64), first)
            first_error = np.minimum.reduceat(np.where(err, line.astype("float64"), np.inf), first)
            first_error[first_error == np.inf] = np.nan
        else:
            keys, first, group = _groups(minute)
            totals = np.bincount(group, minlength=len(keys))
            errors = np.bincount(group, weights=err, minlength=len(keys)).astype(np.int64)
            first_error = np.full(len(keys), np.nan)
            np.fmin.at(first_error, group[err], line[err].astype("float64"))
        self.parts.append((keys, totals, errors, line[first], first_error, pick(batch.ts_text, rows[first])))

    def _notable(self, batch: Batch, rows: np.ndarray, when: np.ndarray) -> None:
        errors = np.flatnonzero(batch.error[rows])
        if errors.size:
            at = when[errors]
            first = errors[int(np.argmin(at))]
            last = errors[errors.size - 1 - int(np.argmax(at[::-1]))]
            if self.first_error is None or when[first] < self.first_error["when"]:
                self.first_error = self._row(batch, rows[first], when[first], Flag(FlagCode.FIRST_ERROR))
            if self.last_error is None or when[last] >= self.last_error["when"]:
                self.last_error = self._row(batch, rows[last], when[last], Flag(FlagCode.LAST_ERROR))
        changed = np.flatnonzero((batch.change != None)[rows])  # noqa: E711 - elementwise, on the whole column (no object copies)
        if changed.size == 0:
            return
        limit = change_words()[2]
        keep = max(limit - len(self.changes), 0)
        self.changes_dropped += max(changed.size - keep, 0)
        for i in changed[:keep]:
            sort = batch.change[rows[i]]
            self.changes.append(self._row(batch, rows[i], when[i], Flag(FlagCode.CHANGE, sort, ":")))

    def absorb(self, later: Tally) -> None:
        """Fold in the tally of the lines right after this one's (read by another process, its
        lines numbered from 1 and its year-less stamps placed as if it were the whole file): the
        result is the tally of both parts read in one go."""
        lines, shift = self.lines, np.timedelta64(0, "ns")
        if not self.parser.has_year and later.parsed:
            crossed = bool(self.parsed) and self.last_month - later.first_month >= stamps.NEW_YEAR_DROP
            steps = self.year_step + int(crossed)
            shift = np.timedelta64(int(stamps.placeholder_shift(steps)), "ns")
            self.year_step, self.last_month = steps + later.year_step, later.last_month
            if not self.parsed:
                self.first_month = later.first_month
        self.parts += [(keys + shift, counts, errors, first + lines, first_error + lines, ts)
                       for keys, counts, errors, first, first_error, ts in later.parts]
        for reason, (n, first) in later.reasons.items():
            self.reasons.setdefault(reason, [0, first + lines])[0] += n

        def moved(row: dict) -> dict:
            return dict(row, line=row["line"] + lines, when=row["when"] + shift)

        if later.first_error and (self.first_error is None or later.first_error["when"] + shift < self.first_error["when"]):
            self.first_error = moved(later.first_error)
        if later.last_error and (self.last_error is None or later.last_error["when"] + shift >= self.last_error["when"]):
            self.last_error = moved(later.last_error)
        keep = max(change_words()[2] - len(self.changes), 0)
        self.changes += [moved(row) for row in later.changes[:keep]]
        self.changes_dropped += later.changes_dropped + max(len(later.changes) - keep, 0)
        self.lines += later.lines
        self.parsed += later.parsed
        self.mode = self.mode or later.mode

    @staticmethod
    def _row(batch: Batch, i: int, when, flag: Flag) -> dict:
        text, ts_text = pick(batch.text, np.array([i]))[0], pick(batch.ts_text, np.array([i]))[0]
        return {"line": int(batch.line[i]), "text": str(text)[:_MAX_TEXT], "ts_text": ts_text,
                "level": batch.level(i), "when": when, "flag": flag}

    def finish(self) -> SourceDoc:
        fmt = self.parser.name
        utc = self.mode == "utc"
        year_missing = not self.parser.has_year
        flags = ((Flag(FlagCode.YEAR_MISSING),) if year_missing else ()) + (() if utc else (Flag(FlagCode.ZONE_MISSING),))
        notable: dict[int, dict] = {}
        for row in [self.first_error, self.last_error, *self.changes]:
            if row is None:
                continue
            kept = notable.setdefault(row["line"], dict(row, flags=()))
            kept["flags"] = tuple(dict.fromkeys(kept["flags"] + (row["flag"],)))
        records, times = [], {}
        for i, line in enumerate(sorted(notable)):
            row = notable[line]
            records.append(Record(source=self.display, index=i, text=row["text"], line=line,
                                  timestamp_text=row["ts_text"], label=row["level"],
                                  flags=row["flags"] + flags))
            times[i] = row["when"]
        source = Source(path=self.display, type="log", role="system", title=fmt, reader="log",
                        zone="UTC" if utc else None, zone_rule=ZoneRule.EXPLICIT if utc else None)
        series = LogSeries(SeriesKind.LOG, fmt, self._minutes(), lines=self.lines, parsed=self.parsed,
                           zone="UTC" if utc else None, year_missing=year_missing,
                           record_times=times, changes_not_kept=self.changes_dropped)
        return SourceDoc(source, tuple(records), self._skip_list(), series=series)

    def _minutes(self) -> Minutes:
        if not self.parts:
            empty = np.zeros(0, np.int64)
            return Minutes(np.zeros(0, "datetime64[ns]"), empty, empty, empty, empty, ())
        keys = np.concatenate([p[0] for p in self.parts])
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])

        def column(i, reduce):
            return reduce.reduceat(np.concatenate([p[i] for p in self.parts])[order], starts)

        first_error = column(4, np.fmin)
        stamps_ = [s for p in self.parts for s in p[5]]
        return Minutes(keys[starts], column(1, np.add).astype(np.int64), column(2, np.add).astype(np.int64),
                       column(3, np.minimum).astype(np.int64),
                       np.nan_to_num(first_error, nan=0).astype(np.int64),
                       tuple(stamps_[order[s]] for s in starts))

    def _skip_list(self) -> tuple[Skip, ...]:
        out = [Skip(self.display, f"{n} line{'s' if n != 1 else ''}", f"{reason} (first at line {first})",
                    line=first)
               for reason, (n, first) in sorted(self.reasons.items(), key=lambda kv: kv[1][1])]
        if self.changes_dropped:
            out.append(Skip(self.display, f"{self.changes_dropped} change lines",
                            "counted, but not kept as records (limit reached)"))
        return tuple(out)
