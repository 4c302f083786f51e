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


CUM_DAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_from_civil(year, month0, day):
    """Days since 1970-01-01 of proleptic Gregorian dates (``month0`` is 0-based; int64 arrays)."""
    import numpy as np

    y = year - 1
    days = 365 * y + y // 4 - y // 100 + y // 400 - 719162
    return days + np.asarray(CUM_DAYS, dtype=np.int64)[month0] + ((month0 > 1) & is_leap(year)) + day - 1


def civil(when):
    """datetime64[ns] array → (year, month, day, nanoseconds into the day), int64 arrays."""
    import numpy as np

    days = when.astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    year = years.astype(np.int64) + 1970
    month = (months - years).astype(np.int64) + 1
    day = (days - months).astype(np.int64) + 1
    return year, month, day, (when - days).astype(np.int64)


def place(minutes, base: int | None):
    """Placeholder-year times (datetime64[ns] array) → real years from ``base``; NaT where Feb 29
    lands on a common year. ``base=None`` leaves them as they are (the log had years of its own)."""
    import numpy as np

    minutes = np.asarray(minutes, dtype="datetime64[ns]")
    if base is None or minutes.size == 0:
        return minutes
    bad = np.isnat(minutes)
    year, month, day, nanos = civil(np.where(bad, np.datetime64(0, "ns"), minutes))
    real = base + (year - PLACEHOLDER_YEAR) // YEAR_STEP
    lost = bad | ((month == 2) & (day == 29) & ~is_leap(real))
    ns = days_from_civil(real, month - 1, day) * 86_400_000_000_000 + nanos
    out = ns.view("datetime64[ns]").copy()
    out[lost] = np.datetime64("NaT")
    return out


def placeholder_shift(steps):
    """Nanoseconds that move a stamp parsed in ``PLACEHOLDER_YEAR`` by ``steps`` New Years."""
    return steps * (DAYS_PER_STEP * 86_400_000_000_000)


def real_year(placeholder: int, base: int) -> int:
    """The real year of a placeholder year when the log's first year is ``base``."""
    return base + (placeholder - PLACEHOLDER_YEAR) // YEAR_STEP
