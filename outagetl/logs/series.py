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
    import pandas as pd


class SeriesKind(StrEnum):
    LOG = "log"
    METRICS = "metrics"


@dataclass(frozen=True, eq=False)
class LogSeries:
    """Per-minute counts of one log or metrics export and how they were read.

    ``minutes`` is a pandas DataFrame indexed by ``minute`` (naive: UTC when ``zone == "UTC"``,
    else local as written; placeholder years when ``year_missing``) with ``total`` and ``errors``,
    and for logs ``first_line``, ``first_error_line`` (1-based line numbers) and ``ts_text`` (the
    minute's first timestamp as written).
    """

    kind: SeriesKind
    format: str
    minutes: pd.DataFrame
    lines: int
    parsed: int
    zone: str | None = None
    """``"UTC"`` when the timestamps carry offsets or epochs, else None (local, zone unknown)."""
    year_missing: bool = False
    unit: str = "/min"
    fill_gaps: bool = True
    """Logs: a minute with no lines is a minute with no errors. Metrics keep their own buckets."""
    record_times: Mapping[int, pd.Timestamp] = field(default_factory=dict)
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
