"""What a log timestamp means, in one place for every engine (reference, fast, Spark) and for claims.

- Month names come from a fixed English table, never from the machine's locale.
- A two-digit year pivots at 69, as POSIX ``strptime`` does: 69–99 → 19xx, 00–68 → 20xx.
- A year-less timestamp (RFC 3164 syslog, ``MM-DD`` app logs) is parsed into a *placeholder* leap
  year, so Feb 29 survives parsing: 2000 for the first line, then one step of 4 years per New Year
  crossed in file order (2000, 2004, 2008…). ``place`` later maps the placeholders onto real years
  once the incident window (or ``--year``) is known; a Feb 29 that lands on a common year is lost
  there, and reported.
- Epoch numbers are seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude.
- Datetimes are nanoseconds since 1970 in 64 bits: years 1678–2261 only. A stamp outside that range
  is a bad line, never a failed file.

Functions take and return numpy arrays or pandas objects; numpy and pandas are imported when called,
so importing this module costs nothing.
"""
from __future__ import annotations

MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}

YEAR_PIVOT = 69
PLACEHOLDER_YEAR = 2000
YEAR_STEP = 4
DAYS_PER_STEP = 1461
"""Days from one placeholder leap year to the next (2000-01-01 → 2004-01-01)."""
NEW_YEAR_DROP = 6
"""A month that falls by this much or more from one line to the next means a New Year was crossed."""

MIN_YEAR, MAX_YEAR = 1678, 2261
"""The years a nanosecond datetime64 holds whole."""

MAX_EPOCH_NS = 4.1e18
EPOCH_SCALES = ((1e11, 1e9), (1e14, 1e6), (1e17, 1e3))
"""(below this magnitude, multiply by this to get ns): seconds, then ms, then µs; else ns."""


def century(yy):
    """Two-digit years → four digits by the POSIX pivot (works on numbers and arrays)."""
    import numpy as np

    return yy + np.where(yy < YEAR_PIVOT, 2000, 1900)


def epoch_ns(value):
    """Epoch numbers of any unit → nanoseconds (float), by magnitude."""
    import numpy as np

    return value * np.select([value < bound for bound, _ in EPOCH_SCALES],
                             [scale for _, scale in EPOCH_SCALES], 1.0)


def is_leap(year):
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def placeholder_shift(steps):
    """The offset that moves a stamp parsed in ``PLACEHOLDER_YEAR`` by ``steps`` New Years."""
    import pandas as pd

    return pd.to_timedelta(steps * DAYS_PER_STEP, unit="D")


def real_year(placeholder: int, base: int) -> int:
    """The real year of a placeholder year when the log's first year is ``base``."""
    return base + (placeholder - PLACEHOLDER_YEAR) // YEAR_STEP


def place(index, base: int | None):
    """Placeholder-year minutes → real years from ``base``; NaT where Feb 29 lands on a common year.
    ``base=None`` leaves the index as it is (the log had years of its own)."""
    import pandas as pd

    index = pd.DatetimeIndex(index)
    if base is None:
        return index
    years = base + (index.year - PLACEHOLDER_YEAR) // YEAR_STEP
    parts = pd.DataFrame({"year": years, "month": index.month, "day": index.day, "hour": index.hour,
                          "minute": index.minute, "second": index.second,
                          "microsecond": index.microsecond})
    return pd.DatetimeIndex(pd.to_datetime(parts, errors="coerce"), name=index.name)
