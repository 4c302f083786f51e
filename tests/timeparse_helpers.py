"""Shared helpers for the independent timeparse test suite (tests/test_timeparse_*.py).

Every test builds a SourceDoc by hand (no reader involved) so a failure points at the
extractor/anchoring code and nothing else.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from outagetl.model import Record, Source, SourceDoc
from outagetl.timeparse import parse_source

UTC = timezone.utc


def Z(text: str) -> datetime:
    """'2019-07-03 13:18' → aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_doc(*lines: str, published: str | None = None, zone: str | None = None,
             locale: str | None = None, language: str | None = None) -> SourceDoc:
    """One Record per line, each its own paragraph; the document text is the lines joined by blank lines."""
    source = Source(
        path="t.txt", published=published, zone=zone,
        zone_rule="pinned:manifest" if zone else None, locale=locale, language=language,
    )
    # Each line is a paragraph of its own (a zone written in one carries only within it).
    records = tuple(Record(source="t.txt", index=i, text=t, line=i + 1, paragraph=i) for i, t in enumerate(lines))
    return SourceDoc(source, records=records, text="\n".join(lines))


def parse(*lines: str, published: str | None = None, zone: str | None = None,
          locale: str | None = None, language: str | None = None,
          default_tz: str | None = None, fallback: date | None = None):
    doc = make_doc(*lines, published=published, zone=zone, locale=locale, language=language)
    return parse_source(doc, default_tz, fallback)


def mentions(*lines: str, **ctx):
    return parse(*lines, **ctx).mentions


def only(*lines: str, **ctx):
    """The single mention found; fails with a readable listing otherwise."""
    ms = mentions(*lines, **ctx)
    assert len(ms) == 1, f"expected exactly one mention in {lines!r}, got {describe(ms)}"
    return ms[0]


def describe(ms) -> str:
    return "; ".join(
        f"{m.text!r} → {m.span.earliest:%Y-%m-%d %H:%M}/{m.span.best:%H:%M}/{m.span.latest:%Y-%m-%d %H:%M}Z "
        f"{m.span.precision} {m.span.zone} {m.span.zone_rule} {[str(f) for f in m.span.flags]}"
        for m in ms
    ) or "(none)"


def flags_text(m) -> str:
    return " | ".join(map(str, m.span.flags))


def has_flag(m, prefix: str) -> bool:
    return any(prefix in str(f) for f in m.span.flags)


def check(m, best: str, earliest: str | None = None, latest: str | None = None, *,
          precision: str | None = None, zone: str | None = None, rule: str | None = None,
          flags: tuple[str, ...] = (), no_flags: tuple[str, ...] = ()) -> None:
    """Assert a mention's span; ``earliest``/``latest`` default to ``best`` (a point)."""
    got = describe([m])
    assert m.span.best == Z(best), got
    assert m.span.earliest == Z(earliest or best), got
    assert m.span.latest == Z(latest or best), got
    if precision is not None:
        assert m.span.precision == precision, got
    if zone is not None:
        assert m.span.zone == zone, got
    if rule is not None:
        assert m.span.zone_rule == rule or m.span.zone_rule.startswith(rule), got
    for f in flags:
        assert has_flag(m, f), f"flag {f!r} missing: {got}"
    for f in no_flags:
        assert not has_flag(m, f), f"unexpected flag {f!r}: {got}"
