"""Logs: one reader for log exports, from bytes to claims.

- ``formats``: log formats as data (``data/formats``) and recognising a log from its first lines;
- ``stamps``: what a timestamp means (month table, two-digit-year pivot, year-less placeholder);
- ``engine``: the ``Engine`` protocol and the choice of engine; ``reference`` (pandas and ``re``,
  reads everything), ``fast`` (Arrow and RE2, regex formats), ``spark`` (``outagetl aggregate``);
- ``tally``: batches → per-minute counts and notable lines, as a ``LogSeries`` (``series``);
- ``reader``: the source reader the registry calls (sniff, stream);
- ``claims``: a ``LogSeries`` → onset, peak, recovery, first/last error and change claims.

Nothing here is imported until a log is read, and pandas/Arrow only when lines are parsed.
"""
