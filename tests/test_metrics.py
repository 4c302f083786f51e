"""Incident metrics come from the readings the sources agree on; a negative one is no fact.

Times are minutes after 09:00 UTC on 2 May 2023; every expected figure is worked out by hand
from the claims written in each test.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.cli import main
from outagetl.merge import merge
from outagetl.metrics import _support, agreed, compute, describe
from outagetl.model import Claim, Event, TimeSpan

T0 = datetime(2023, 5, 2, 9, 0, tzinfo=timezone.utc)


def claim(source, kind, minutes, quote, role="press", primary=False):
    best = T0 + timedelta(minutes=minutes)
    return Claim(source=source, role=role, kind=kind, span=TimeSpan(best, best, best, "minute", "UTC", "explicit"),
                 summary=quote[:40], quote=quote, local_text=f"+{minutes}", local="", record=minutes,
                 origin="timestamp" if primary else "text", start=0, end=5)


ACK = claim("status.json", "acknowledged", 100, "We are investigating failed card payments.", role="official", primary=True)


@pytest.mark.parametrize("outlier", [
    -300,   # a story that misread the start five hours early
    90,     # one that dates it ten minutes before the acknowledgement
    -1440,  # one a day early (the date of the publication taken for the outage's)
])
def test_a_start_only_one_source_gives_does_not_set_the_value(outlier):
    # Two stories agree the payments failed at 09:00; a third gives another start.
    events = merge([claim("a.txt", "start", 0, "Card payments began failing at 9 a.m."),
                    claim("b.txt", "start", 0, "Payments stopped working at 09:00, users said."),
                    claim("c.txt", "start", outlier, "The outage started then."), ACK]).events
    m = compute(events)["time_to_acknowledge"]
    assert m["minutes"] == 100                       # 09:00 (agreed) → 10:40
    assert (m["min"], m["max"]) == (min(100, 100 - outlier), max(100, 100 - outlier))
    assert m["flags"] == []


def test_without_agreement_every_stated_start_counts():
    events = merge([claim("a.txt", "start", 0, "Card payments began failing at 9 a.m."),
                    claim("c.txt", "start", 30, "The outage started at 9:30."), ACK]).events
    m = compute(events)["time_to_acknowledge"]
    assert (m["minutes"], m["min"], m["max"]) == (100, 70, 100)


def test_a_negative_metric_is_not_measured_and_names_its_events():
    # The agreed start is 09:00; the page acknowledged at 08:50, ten minutes before it.
    early_ack = claim("status.json", "acknowledged", -10, "We are investigating failed card payments.",
                      role="official", primary=True)
    events = merge([claim("a.txt", "start", 0, "Card payments began failing at 9 a.m."),
                    claim("b.txt", "start", 0, "Payments stopped working at 09:00, users said."), early_ack]).events
    m = compute(events)["time_to_acknowledge"]
    ack = next(e for e in events if e.kind == "acknowledged")
    start = next(e for e in events if e.kind == "start")
    assert m["minutes"] is None and (m["min"], m["max"]) == (-10, -10)
    assert m["flags"] == [f"negative: {ack.id} (acknowledged 2023-05-02 08:50Z) is 10 min before {start.id} "
                          "(start 2023-05-02 09:00Z): one of them is misread or misclassified"]
    assert describe(m["minutes"]) == "not measured"


def test_a_range_below_zero_is_flagged_with_the_readings_that_cause_it():
    # Starts at 09:00 and 11:00 (one source each), acknowledged at 10:40: the range reaches -20 min.
    events = merge([claim("a.txt", "start", 0, "Card payments began failing at 9 a.m."),
                    claim("c.txt", "start", 120, "The outage started at 11."), ACK]).events
    m = compute(events)["time_to_acknowledge"]
    late = next(e for e in events if e.kind == "start" and e.span.best == T0 + timedelta(minutes=120))
    ack = next(e for e in events if e.kind == "acknowledged")
    assert (m["minutes"], m["min"], m["max"]) == (100, -20, 100)
    assert m["flags"] == [f"negative: {ack.id} (acknowledged 2023-05-02 10:40Z) is 20 min before {late.id} "
                          "(start 2023-05-02 11:00Z): one of them is misread or misclassified"]


def test_the_markdown_never_prints_a_negative_metric_as_a_fact(tmp_path):
    (tmp_path / "a.txt").write_text("Payments outage.\n\nCard payments began failing at 9:00 UTC on May 2, 2023.\n")
    (tmp_path / "b.txt").write_text("Payments outage.\n\nPayments stopped working at 09:00 UTC on May 2, 2023.\n")
    (tmp_path / "c.txt").write_text("Payments outage.\n\nThe bank acknowledged the problem at 08:50 UTC on May 2, 2023.\n")
    out = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "markdown"]).stdout
    row = next(line for line in out.splitlines() if line.startswith("| time to acknowledge"))
    assert "not measured" in row and "negative:" in row and "-10 min" not in row


# Agreement found by bisection (metrics._support) against the definition, every pair tested.

def _event(number, source, earliest, best, latest, precision="minute"):
    span = TimeSpan(T0 + timedelta(minutes=earliest), T0 + timedelta(minutes=best), T0 + timedelta(minutes=latest),
                    precision, "UTC", "explicit")
    said = Claim(source=source, role="press", kind="start", span=span, summary="It went down.",
                 quote="It went down.", local_text=f"+{best}", local="", record=number, origin="text", start=0, end=5)
    return Event(id=f"E{number}", kind="start", span=span, summary="It went down.", claims=(said,))


def _support_pairwise(events):
    """The definition: each event against every other, the sources of those that agree (either's
    best reading in the other's span widened by the tolerance)."""
    from outagetl.metrics import TOLERANCE, _sources

    def agree(a, b):
        return (b.span.earliest - TOLERANCE <= a.span.best <= b.span.latest + TOLERANCE
                or a.span.earliest - TOLERANCE <= b.span.best <= a.span.latest + TOLERANCE)

    return [len(set().union(*(_sources(o) for o in events if o is e or agree(e, o)))) for e in events]


def test_a_day_wide_start_agrees_with_the_minutes_inside_it_and_only_with_them():
    # Two stories give 09:00 and 09:03; a third says only "on 2 May" (a day wide); a fourth 13:00.
    events = [_event(1, "a.txt", 0, 0, 0), _event(2, "b.txt", 3, 3, 3),
              _event(3, "c.txt", -540, 0, 899, "day"), _event(4, "d.txt", 240, 240, 240)]
    # 09:00 and 09:03 agree with each other (3 min apart) and lie inside the day; so does 13:00;
    # the day agrees with all four, but 13:00 agrees with the day alone: it has two sources.
    assert [e.id for e in agreed(events)] == ["E3"]
    events = events[:2] + events[3:]  # without the day: 09:00 and 09:03, two sources each
    assert [e.id for e in agreed(events)] == ["E1", "E2"]


def test_starts_six_minutes_apart_do_not_agree_and_five_apart_do():
    assert [e.id for e in agreed([_event(1, "a.txt", 0, 0, 0), _event(2, "b.txt", 6, 6, 6)])] == ["E1", "E2"]
    assert [e.id for e in agreed([_event(1, "a.txt", 0, 0, 0), _event(2, "b.txt", 5, 5, 5),
                                  _event(3, "c.txt", 60, 60, 60)])] == ["E1", "E2"]


spans = st.tuples(st.integers(-180_000, 180_000), st.integers(0, 5400),
                  st.sampled_from([0, 0, 1, 30, 59, 60, 299, 300, 301, 900, 3540, 43_200, 86_399]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), spans), max_size=30))
def test_support_by_bisection_is_support_pair_by_pair(drawn):
    """Times in seconds, spans from none to a day wide, at and around the 5-minute tolerance."""
    events = []
    for number, (source, (best, before, width)) in enumerate(drawn):
        earliest = best - min(before, width)
        events.append(_event(number, f"{source}.txt", earliest / 60, best / 60, max(earliest + width, best) / 60))
    events += events[:2]  # the same event twice agrees with itself
    assert _support(events) == _support_pairwise(events)
