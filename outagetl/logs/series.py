"""``LogSeries``: what a log or metrics reader hands to the claims stage, as named, typed fields.

A log is not quoted sentence by sentence: it becomes per-minute counts plus a few notable lines
(first and last error, change announcements). The notable lines are ``Record``s of the source,
their flags (``FlagCode.FIRST_ERROR``, ``CHANGE`` with the change sort…) say why each was kept,
and ``record_times`` when each was written.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class SeriesKind(StrEnum):
    LOG = "log"
    METRICS = "metrics"


@dataclass(frozen=True, eq=False)
class Minutes:
    """Per-minute counts as numpy arrays of one length, sorted by ``minute``.

    ``minute`` is datetime64[ns] (naive: UTC when the series' zone is UTC, else local as written;
    placeholder years when the series has no year); ``total`` and ``errors`` are counts (float64
    for metrics, where a bucket may lack a total: NaN); ``first_line`` and ``first_error_line`` are
    1-based line numbers, 0 where there is none; ``ts_text`` the minute's first timestamp as written.
    """

    minute: np.ndarray
    total: np.ndarray
    errors: np.ndarray
    first_line: np.ndarray
    first_error_line: np.ndarray
    ts_text: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.minute)

    def take(self, rows) -> Minutes:
        """The minutes at ``rows`` (indices or a boolean mask), in that order."""
        import numpy as np

        rows = np.asarray(rows)
        index = np.flatnonzero(rows) if rows.dtype == bool else rows
        return Minutes(self.minute[index], self.total[index], self.errors[index], self.first_line[index],
                       self.first_error_line[index], tuple(self.ts_text[i] for i in index))

    def equals(self, other: Minutes) -> bool:
        import numpy as np

        return (len(self) == len(other) and self.ts_text == other.ts_text
                and all(np.array_equal(getattr(self, f), getattr(other, f), equal_nan=f in ("total", "errors"))
                        for f in ("minute", "total", "errors", "first_line", "first_error_line")))


@dataclass(frozen=True, eq=False)
class LogSeries:
    """Per-minute counts of one log or metrics export (``minutes``) and how they were read."""

    kind: SeriesKind
    format: str
    minutes: Minutes
    lines: int
    parsed: int
    zone: str | None = None
    """``"UTC"`` when the timestamps carry offsets or epochs, else None (local, zone unknown)."""
    year_missing: bool = False
    unit: str = "/min"
    fill_gaps: bool = True
    """Logs: a minute with no lines is a minute with no errors. Metrics keep their own buckets."""
    record_times: Mapping[int, np.datetime64] = field(default_factory=dict)
    """Each notable record's time as parsed (naive, as ``minutes``), by record index."""
    changes_not_kept: int = 0
    services: tuple[str, ...] = ()

    @property
    def unparsed(self) -> int:
        return self.lines - self.parsed

    @property
    def zone_missing(self) -> bool:
        return self.zone != "UTC"

    def __len__(self) -> int:
        return len(self.minutes)
