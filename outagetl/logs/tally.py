"""Turn parsed batches of log lines into per-minute counts, a few notable lines, and skips.

Memory stays flat: each batch is reduced to one row per minute and folded into the running
totals, and only notable lines (first/last error, change announcements) are kept as text.
The reduction is a GROUP BY minute with SUM/MIN, so it maps one-to-one onto Spark SQL.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import Flag, FlagCode, Record, Skip, Source, SourceDoc, ZoneRule
from . import stamps
from .changes import change_table
from .formats import Parser
from .series import LogSeries, SeriesKind

_MAX_TEXT = 2000


class Tally:
    """Running per-minute totals and notable lines for one file."""

    def __init__(self, display: str, parser: Parser):
        self.display = display
        self.parser = parser
        self.parts: list[pd.DataFrame] = []
        self.reasons: dict[str, list[int]] = {}
        self.first_error: dict | None = None
        self.last_error: dict | None = None
        self.changes: list[dict] = []
        self.changes_dropped = 0
        self.lines = 0
        self.parsed = 0
        self.mode: str | None = None
        self.year_step = 0
        self.last_month = float("nan")

    def add(self, chunk: pd.DataFrame) -> None:
        self.lines += len(chunk)
        chunk = self._zone_mode(chunk)
        ok = chunk["reason"].isna()
        if ok.all():
            parsed = chunk
        else:
            self._skips(chunk[~ok])
            parsed = chunk[ok]
        if parsed.empty:
            return
        parsed = parsed.assign(when=self._roll_years(parsed))
        parsed = parsed.assign(minute=parsed["when"].dt.floor("min"),
                               err=(parsed["level"] == "error").astype("int64"))
        self.parsed += len(parsed)
        self._count(parsed)
        self._notable(parsed)

    def _zone_mode(self, chunk: pd.DataFrame) -> pd.DataFrame:
        """A file is either all UTC (offsets, epochs) or all local; the first parsed lines decide."""
        ok = chunk["reason"].isna()
        if self.mode is None and ok.any():
            self.mode = "utc" if chunk.loc[ok, "zoned"].mean() >= 0.5 else "local"
        if self.mode is None:
            return chunk
        odd = ok & (chunk["zoned"] != (self.mode == "utc"))
        if odd.any():
            chunk = chunk.copy()
            chunk.loc[odd, "reason"] = ("no UTC offset, unlike the rest of the file" if self.mode == "utc"
                                        else "has a UTC offset, unlike the rest of the file")
        return chunk

    def _roll_years(self, parsed: pd.DataFrame) -> pd.Series:
        """Year-less lines: count New Years crossed (month falls by 6 or more) in file order."""
        if self.parser.has_year:
            return parsed["when"]
        month = parsed["month"]
        previous = month.shift(1)
        previous.iloc[0] = self.last_month
        steps = ((previous - month) >= stamps.NEW_YEAR_DROP).cumsum() + self.year_step
        self.year_step = int(steps.iloc[-1])
        self.last_month = float(month.iloc[-1])
        return parsed["when"] + stamps.placeholder_shift(steps)

    def _skips(self, rows: pd.DataFrame) -> None:
        if rows.empty:
            return
        for reason, group in rows.groupby("reason", sort=False)["line"]:
            entry = self.reasons.setdefault(reason, [0, int(group.iloc[0])])
            entry[0] += len(group)

    def _count(self, parsed: pd.DataFrame) -> None:
        minute = parsed["minute"].to_numpy()
        line = parsed["line"].to_numpy()
        err = parsed["err"].to_numpy()
        keys, first, group = np.unique(minute, return_index=True, return_inverse=True)
        first_error = np.full(len(keys), np.nan)
        np.fmin.at(first_error, group[err == 1], line[err == 1].astype("float64"))
        self.parts.append(pd.DataFrame({
            "total": np.bincount(group, minlength=len(keys)).astype("int64"),
            "errors": np.bincount(group, weights=err, minlength=len(keys)).astype("int64"),
            "first_line": line[first], "first_error_line": first_error,
            "ts_text": np.array(parsed["ts_text"].take(first).tolist(), dtype=object)},
            index=pd.DatetimeIndex(keys, name="minute")))

    def _notable(self, parsed: pd.DataFrame) -> None:
        errors = parsed[parsed["err"] == 1]
        if not errors.empty:
            first = errors.loc[errors["when"].idxmin()]
            last = errors.loc[errors["when"][::-1].idxmax()]
            if self.first_error is None or first["when"] < self.first_error["when"]:
                self.first_error = _row(first, Flag(FlagCode.FIRST_ERROR))
            if self.last_error is None or last["when"] >= self.last_error["when"]:
                self.last_error = _row(last, Flag(FlagCode.LAST_ERROR))
        pattern, _, limit = change_table()
        if "change" in parsed:
            hit = parsed["change"].notna()
            sorts = parsed.loc[hit, "change"]
        else:
            found = parsed["body"].fillna("").astype(object).str.extract(pattern)
            hit = found.notna().any(axis=1)
            sorts = found[hit].notna().idxmax(axis=1) if hit.any() else None
        if not hit.any():
            return
        hits = parsed[hit]
        keep = max(limit - len(self.changes), 0)
        self.changes_dropped += max(len(hits) - keep, 0)
        for (_, row), sort in zip(hits.iloc[:keep].iterrows(), sorts.iloc[:keep], strict=True):
            self.changes.append(_row(row, Flag(FlagCode.CHANGE, sort, ":")))

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
        series = LogSeries(SeriesKind.LOG, fmt, self._series(), lines=self.lines, parsed=self.parsed,
                           zone="UTC" if utc else None, year_missing=year_missing,
                           record_times=times, changes_not_kept=self.changes_dropped)
        return SourceDoc(source, tuple(records), self._skip_list(), series=series)

    def _series(self) -> pd.DataFrame:
        if not self.parts:
            frame = pd.DataFrame({"total": [], "errors": [], "first_line": [], "first_error_line": [],
                                  "ts_text": []}, index=pd.DatetimeIndex([], name="minute"))
            return frame.astype({"total": "int64", "errors": "int64"})
        parts = pd.concat(self.parts) if len(self.parts) > 1 else self.parts[0]
        frame = parts.groupby(level=0).agg({"total": "sum", "errors": "sum", "first_line": "min",
                                            "first_error_line": "min", "ts_text": "first"})
        frame["ts_text"] = frame["ts_text"].astype(object)
        frame.index.name = "minute"
        return frame.astype({"total": "int64", "errors": "int64", "first_line": "Int64",
                             "first_error_line": "Int64"})

    def _skip_list(self) -> tuple[Skip, ...]:
        out = [Skip(self.display, f"{n} line{'s' if n != 1 else ''}", f"{reason} (first at line {first})",
                    line=first)
               for reason, (n, first) in sorted(self.reasons.items(), key=lambda kv: kv[1][1])]
        if self.changes_dropped:
            out.append(Skip(self.display, f"{self.changes_dropped} change lines",
                            "counted, but not kept as records (limit reached)"))
        return tuple(out)


def _row(row: pd.Series, flag: Flag) -> dict:
    level = row["level"]
    return {"line": int(row["line"]), "text": str(row["text"])[:_MAX_TEXT], "ts_text": row["ts_text"],
            "level": level if isinstance(level, str) else None, "when": row["when"], "flag": flag}
