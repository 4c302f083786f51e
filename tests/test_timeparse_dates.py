"""Dates: written forms, weekdays, combinations with clock times, year inference, numeric
ambiguity, and a time taking the last date stated before it in the same source.

Unless a case says otherwise the story is published Friday 2019-07-05 10:00 EDT, pinned to
America/New_York (EDT = UTC-4). A whole local day D in New York is [D 04:00Z, D+1 04:00Z) with its
midpoint (local noon) at D 16:00Z.
"""
from __future__ import annotations

from datetime import date

import pytest

from timeparse_helpers import check, describe, has_flag, mentions, only, parse

FRI = dict(published="2019-07-05T10:00:00-04:00", zone="America/New_York")


def day_case(sentence, ctx=FRI, *, flags=(), no_flags=("date-ambiguous", "weekday-mismatch")):
    return pytest.param(sentence, ctx, flags, no_flags, id=sentence)


# Every one of these names Wednesday 2019-07-03 → [07-03 04:00Z, 07-04 04:00Z), best 07-03 16:00Z.
JULY_3 = [
    day_case("The outage happened on July 3."),
    day_case("The outage happened on Jul. 3rd."),
    day_case("The outage happened on JULY 3."),
    day_case("The outage happened on July 3rd, 2019."),
    day_case("The outage happened on 3 July 2019."),
    day_case("The outage happened on the 3rd of July."),
    day_case("The outage happened on 2019-07-03."),
    day_case("The outage happened on Wednesday."),
    day_case("The outage happened on Wednesday, July 3."),
    day_case("The outage happened on Wed, Jul 3."),
    day_case("The outage happened on 3.7.2019 in Berlin."),
    day_case("The outage happened on 3.7.2019."),
    day_case("The outage happened on 7/3.", dict(FRI, locale="en-US")),
    day_case("The outage happened on 07/03/2019.", dict(FRI, locale="en-US")),
    day_case("The outage happened on 7/3/19.", dict(FRI, locale="en-US")),
    # day-first locale: 3/7 = 3 July
    day_case("The outage happened on 3/7.", dict(published="2019-07-05T10:00:00-04:00", zone="America/New_York",
                                                locale="en-GB")),
]


@pytest.mark.parametrize("sentence,ctx,flags,no_flags", JULY_3)
def test_dates_naming_july_3(sentence, ctx, flags, no_flags):
    m = only(sentence, **ctx)
    check(m, "2019-07-03 16:00", "2019-07-03 04:00", "2019-07-04 04:00", precision="day",
          flags=flags, no_flags=no_flags)


def test_weekday_mismatch_is_flagged():
    # July 3, 2019 was a Wednesday; "Tuesday, July 3" keeps the written date and says so
    m = only("The outage happened on Tuesday, July 3.", **FRI)
    check(m, "2019-07-03 16:00", "2019-07-03 04:00", "2019-07-04 04:00", precision="day", flags=("weekday-mismatch",))


def test_day_first_by_pinned_european_zone():
    # no locale, zone pinned to Paris → day-first: 3/7 = 3 July; Paris CEST +2: [07-02 22:00Z, 07-03 22:00Z)
    m = only("The outage on 3/7 lasted two hours.", published="2019-07-05", zone="Europe/Paris")
    check(m, "2019-07-03 10:00", "2019-07-02 22:00", "2019-07-03 22:00", precision="day")


# --- dates with clock times ---------------------------------------------------------------------

COMBOS = [
    # 7/3 @ 7:09 PM EDT → 19:09 + 4 = 23:09Z Jul 3
    ("Status 7/3 @ 7:09 PM: still down.", dict(FRI, locale="en-US"), "2019-07-03 23:09", None, None),
    # at 01:00 on July 4 EDT → 05:00Z Jul 4
    ("A fix rolled out at 01:00 on July 4.", FRI, "2019-07-04 05:00", None, None),
    # since about 15:30 today, July 3 (published Jul 3): 15:30 EDT = 19:30Z, about → ±15
    ("Photos have failed to load since about 15:30 today, July 3.",
     dict(published="2019-07-03T18:00:00-04:00", zone="America/New_York"),
     "2019-07-03 19:30", "2019-07-03 19:15", "2019-07-03 19:45"),
    # July 3, 2019 at 9:18 a.m. PT → 09:18 PDT + 7 = 16:18Z
    ("The incident began July 3, 2019 at 9:18 a.m. PT.", FRI, "2019-07-03 16:18", None, None),
    # 3 July 2019, 14:05 BST → 13:05Z
    ("The incident began on 3 July 2019, 14:05 BST.", FRI, "2019-07-03 13:05", None, None),
    # Wednesday at 9:18 AM ET → Jul 3 13:18Z
    ("Users first complained Wednesday at 9:18 AM ET.", FRI, "2019-07-03 13:18", None, None),
    # "on Wednesday, July 3 at 9:18 AM EST" (EST in July → EDT, flagged) → 13:18Z
    ("It started on Wednesday, July 3 at 9:18 AM EST.", FRI, "2019-07-03 13:18", None, None),
    # ISO date + 24h clock, source pinned to UTC
    ("2019-06-02 11:45 first 5xx responses", dict(published="2019-06-03", zone="UTC"), "2019-06-02 11:45", None, None),
]


@pytest.mark.parametrize("sentence,ctx,best,earliest,latest", COMBOS, ids=[c[0] for c in COMBOS])
def test_date_and_time(sentence, ctx, best, earliest, latest):
    m = only(sentence, **ctx)
    check(m, best, earliest, latest)


# --- year inference across New Year -------------------------------------------------------------

def test_year_back_across_new_year():
    # published 2020-01-02: "Dec 31" is 2019-12-31 (2 days back), not 2020-12-31
    m = only("The outage began Dec 31 at 23:50 UTC.", published="2020-01-02T09:00:00+00:00", zone="UTC")
    check(m, "2019-12-31 23:50")


def test_year_forward_across_new_year():
    # published 2019-12-31: "Jan 2" is 2020-01-02 (2 days ahead), not 2019-01-02
    m = only("Maintenance is planned for Jan 2 at 01:00 UTC.", published="2019-12-31", zone="UTC")
    check(m, "2020-01-02 01:00")


def test_numeric_year_back_across_new_year():
    # en-US, published 2020-01-02: 12/31 → 2019-12-31 23:50Z
    m = only("Down since 12/31 at 23:50 UTC.", published="2020-01-02", zone="UTC", locale="en-US")
    check(m, "2019-12-31 23:50")


def test_time_after_new_year_date_keeps_that_year():
    ms = mentions("The outage began Dec 31 at 23:50 UTC.", "Service returned at 00:40 UTC on Jan 1.",
                  published="2020-01-03", zone="UTC")
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-12-31 23:50")
    check(ms[1], "2020-01-01 00:40")


# --- numeric date ambiguity ---------------------------------------------------------------------

def test_month_first_far_other_reading_no_flag():
    # en-US, published Jul 5: 7/3 = July 3 (2 days); 3 July's alternative, March 7, is 4 months off
    m = only("The outage on 7/3 lasted hours.", published="2019-07-05", zone="America/New_York", locale="en-US")
    check(m, "2019-07-03 16:00", "2019-07-03 04:00", "2019-07-04 04:00", no_flags=("date-ambiguous",))


def test_month_first_near_other_reading_flags():
    # en-US, published 2019-04-06: 4/5 = April 5 (1 day back); May 4 (28 days ahead) is also plausible
    m = only("The outage on 4/5 lasted hours.", published="2019-04-06", zone="America/New_York", locale="en-US")
    check(m, "2019-04-05 16:00", "2019-04-05 04:00", "2019-04-06 04:00", flags=("date-ambiguous",))


def test_day_first_locale_reads_day_first():
    # en-GB, published 2019-07-05: 3/7 = 3 July (London BST +1: [07-02 23:00Z, 07-03 23:00Z))
    m = only("The outage on 3/7 lasted hours.", published="2019-07-05", zone="Europe/London", locale="en-GB")
    check(m, "2019-07-03 11:00", "2019-07-02 23:00", "2019-07-03 23:00", no_flags=("date-ambiguous",))


def test_day_first_locale_near_other_reading_flags():
    # en-GB, published 2019-04-06: 4/5 = 4 May (28 days ahead); 5 April is 1 day back → flag either way
    m = only("The outage on 4/5 lasted hours.", published="2019-04-06", zone="Europe/London", locale="en-GB")
    assert has_flag(m, "date-ambiguous"), describe([m])


def test_only_one_valid_reading_no_flag():
    # 13/7 can only be 13 July, even for en-US
    m = only("The outage on 13/7 lasted hours.", published="2019-07-15", zone="America/New_York", locale="en-US")
    check(m, "2019-07-13 16:00", "2019-07-13 04:00", "2019-07-14 04:00", no_flags=("date-ambiguous",))


def test_reading_far_from_publication_is_flagged():
    # en-US, published 2019-03-08: 7/3 month-first is July 3 (4 months in the future) while 7 March is
    # yesterday; whichever is chosen, the reading must be flagged as ambiguous.
    m = only("The outage on 7/3 lasted hours.", published="2019-03-08", zone="America/New_York", locale="en-US")
    assert has_flag(m, "date-ambiguous"), describe([m])


# --- a time without a date takes the last date stated before it ---------------------------------

def test_time_takes_last_date_from_earlier_record():
    ms = mentions(
        "On Tuesday, July 2, the first reports came in.",
        "At 23:50 UTC engineers were paged.",           # Jul 2 23:50Z
        "Service returned at 01:10 UTC on July 3.",     # Jul 3 01:10Z
        "By 02:00 UTC all regions were healthy.",       # Jul 3 02:00Z, widen [-60, 0, 0]
        published="2019-07-05", zone="America/New_York",
    )
    assert len(ms) == 4, describe(ms)
    check(ms[1], "2019-07-02 23:50")
    check(ms[2], "2019-07-03 01:10")
    check(ms[3], "2019-07-03 02:00", "2019-07-03 01:00", "2019-07-03 02:00")


def test_postmortem_timeline():
    ms = mentions(
        "All times are UTC.",
        "June 2, 2019",
        "09:47 Initial onset of errors",
        "10:15 Engineers paged",
        "June 3, 2019",
        "01:00 Mitigation complete",
        published="2019-06-05",
    )
    times = [m for m in ms if m.span.precision == "minute"]
    assert [m.span.best.strftime("%Y-%m-%d %H:%M") for m in times] == [
        "2019-06-02 09:47", "2019-06-02 10:15", "2019-06-03 01:00"], describe(ms)
    for m in times:
        assert m.span.zone == "UTC" and m.span.zone_rule == "inferred:all-times-statement", describe([m])
    assert not has_flag(times[0], "clock-12h"), describe(times)  # "09:47": a leading zero says 24-hour


def test_postmortem_timeline_pinned_zone():
    # pinned Los Angeles (PDT -7): 09:47 → 16:47Z, 23:10 → 06:10Z on Jun 3
    ms = mentions("June 2, 2019", "09:47 Initial onset of errors", "23:10 Rollback finished",
                  published="2019-06-05", zone="America/Los_Angeles")
    times = [m for m in ms if m.span.precision == "minute"]
    assert [m.span.best.strftime("%Y-%m-%d %H:%M") for m in times] == ["2019-06-02 16:47", "2019-06-03 06:10"], describe(ms)


def test_time_before_any_date_takes_publication_date():
    # nothing stated before "09:00 UTC" → the publication date (2019-06-03)
    ms = mentions("At 09:00 UTC the first alerts fired.", "On June 1 the same bug had been seen.",
                  published="2019-06-03", zone="UTC")
    check(ms[0], "2019-06-03 09:00")


def test_relative_day_sets_date_for_later_records():
    # "Yesterday" (Jul 2) then "14:00 UTC" → Jul 2 14:00Z
    ms = mentions("Yesterday, the service failed.", "It recovered at 14:00 UTC.",
                  published="2019-07-03T20:00:00-04:00", zone="America/New_York")
    assert len(ms) == 2, describe(ms)
    check(ms[1], "2019-07-02 14:00")


def test_carried_date_rolls_over_midnight():
    # 11:50 p.m. EDT Jul 2 = 03:50Z Jul 3; the next line's 12:20 a.m. is Jul 3 00:20 EDT = 04:20Z Jul 3
    ms = mentions("On July 2 at 11:50 p.m. ET the first errors appeared.",
                  "By 12:20 a.m. ET, most services were down.",
                  published="2019-07-05", zone="America/New_York")
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 03:50")
    check(ms[1], "2019-07-03 04:20", "2019-07-03 03:20", "2019-07-03 04:20")


# --- no publication date ------------------------------------------------------------------------

def test_no_date_anywhere_is_skipped_with_reason():
    parsed = parse("The outage began on July 3 at 9:18 a.m. ET.")
    assert parsed.mentions == (), describe(parsed.mentions)
    assert parsed.skipped and parsed.skipped[0].reason


def test_first_date_in_source_anchors_relative_words():
    # no publication date: the first full date (2019-07-03) anchors a later bare time; flagged assumed
    ms = mentions("July 3, 2019 — Facebook apps failed.", "The fix landed at 7:09 p.m. ET.")
    assert len(ms) == 2, describe(ms)
    check(ms[1], "2019-07-03 23:09")


def test_year_from_other_sources_is_flagged():
    # no publication date; other sources were published 2019-07-04 → year 2019, flagged as assumed
    m = only("The outage began on July 3 at 9:18 a.m. ET.", fallback=date(2019, 7, 4))
    check(m, "2019-07-03 13:18", flags=("year-assumed",))


def test_relative_word_without_publication_is_flagged():
    # no publication date, fallback 2019-07-04: "yesterday" counted from it must say so
    ms = mentions("The site failed yesterday at 9:18 a.m. ET.", fallback=date(2019, 7, 4))
    assert len(ms) == 1, describe(ms)
    assert has_flag(ms[0], "date-assumed"), describe(ms)
