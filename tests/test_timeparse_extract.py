"""Finding time expressions: clock shapes, hedges, ranges, relative words, negatives.

Each expected UTC value below is computed by hand in the comment next to it. Unless a case says
otherwise, the context is a story published Wednesday 2019-07-03 20:00 EDT with its zone pinned to
America/New_York (EDT = UTC-4 on that date).
"""
from __future__ import annotations

import pytest

from outagetl.timeparse import find

from timeparse_helpers import check, describe, mentions, only, parse

NY = dict(published="2019-07-03T20:00:00-04:00", zone="America/New_York")
NY_FRI = dict(published="2019-07-05T10:00:00-04:00", zone="America/New_York")  # Friday
NY_MORNING = dict(published="2019-07-03T09:00:00-04:00", zone="America/New_York")
PINNED = "pinned:manifest"


def case(sentence, best, earliest=None, latest=None, *, precision="minute", rule=None,
         flags=(), no_flags=(), ctx=NY, id=None):
    return pytest.param(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags,
                        id=id or sentence[:60])


def run(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags):
    m = only(sentence, **ctx)
    check(m, best, earliest, latest, precision=precision, rule=rule, flags=flags, no_flags=no_flags)


# --- clock times in the pinned source zone ---------------------------------------------------

CLOCKS = [
    # 9:18 EDT = UTC-4 → 13:18Z
    case("The outage began at 9:18 AM.", "2019-07-03 13:18", rule=PINNED, no_flags=("clock-12h", "zone-assumed")),
    # 7:09 PM = 19:09 EDT → 23:09Z
    case("Service came back at 7:09 PM.", "2019-07-03 23:09", rule=PINNED),
    case("Service came back at 7:09pm.", "2019-07-03 23:09", rule=PINNED),
    case("Service came back at 7:09 P.M.", "2019-07-03 23:09", rule=PINNED),
    # 15:30 EDT → 19:30Z
    case("Errors spiked at 15:30.", "2019-07-03 19:30", rule=PINNED, no_flags=("clock-12h",)),
    # 8 a.m. EDT → 12:00Z (a point, like the design's "about 8 a.m. ET" example)
    case("Users first noticed problems at 8 a.m.", "2019-07-03 12:00", rule=PINNED),
    case("Users first noticed problems at 8am.", "2019-07-03 12:00", rule=PINNED),
    # 01:00 EDT → 05:00Z; a leading zero says 24-hour
    case("A config push went out at 01:00.", "2019-07-03 05:00", rule=PINNED, no_flags=("clock-12h",)),
    # noon EDT → 16:00Z
    case("The fix was deployed at noon.", "2019-07-03 16:00", rule=PINNED),
    # midnight = 00:00 EDT on the 3rd → 04:00Z
    case("Traffic collapsed at midnight.", "2019-07-03 04:00", rule=PINNED),
    # shortly after midnight = 00:00 EDT → 04:00Z, widen [0, +10, +30]
    case("Shortly after midnight, DNS failed.", "2019-07-03 04:10", "2019-07-03 04:00", "2019-07-03 04:30",
         precision="approximate"),
    # 12:30 a.m. = 00:30 EDT → 04:30Z
    case("The first alert fired at 12:30 a.m.", "2019-07-03 04:30", rule=PINNED),
    # 12 p.m. = noon → 16:00Z
    case("Engineers convened at 12 p.m.", "2019-07-03 16:00", rule=PINNED),
    # 12 a.m. = 00:00 → 04:00Z
    case("Logins failed from 12 a.m.", "2019-07-03 04:00", rule=PINNED),
    # 12:45 p.m. = 12:45 EDT → 16:45Z (12 p.m. is not 24:00)
    case("A second wave hit at 12:45 p.m.", "2019-07-03 16:45", rule=PINNED),
    # a bare 9:18 with no am/pm is read 24-hour (09:18 EDT → 13:18Z) and flagged
    case("The outage began at 9:18.", "2019-07-03 13:18", rule=PINNED, flags=("clock-12h",)),
    # 23:59 EDT → 03:59Z on the 4th
    case("The last error was logged at 23:59.", "2019-07-04 03:59", rule=PINNED),
]


@pytest.mark.parametrize("sentence,ctx,best,earliest,latest,precision,rule,flags,no_flags", CLOCKS)
def test_clock_times(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags):
    run(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags)


# --- explicit UTC shapes and ISO stamps -------------------------------------------------------

UK = dict(published="2019-07-03T15:00:00+01:00", locale="en-GB")

EXPLICIT = [
    case("The incident started at 1342 UTC.", "2019-07-03 13:42", rule="explicit"),
    case("Errors began at 13:42Z.", "2019-07-03 13:42", rule="explicit"),
    case("Errors began at 1342Z.", "2019-07-03 13:42", rule="explicit"),
    case("Recovery began at 2200 GMT.", "2019-07-03 22:00", rule="explicit"),
    case("Recovery began at 1342 hrs UTC.", "2019-07-03 13:42", rule="explicit"),
    # 1:45 p.m. GMT = 13:45Z
    case("Engineers rolled back at 1:45 p.m. GMT.", "2019-07-03 13:45", rule="explicit"),
    # UK style: 11.57am BST (source offset +01:00, en-GB → Europe/London) = 10:57Z
    case("The site went down at 11.57am.", "2019-07-03 10:57", rule="inferred:publication-offset", ctx=UK),
    # 6.40pm BST = 18:40 - 1h = 17:40Z
    case("Services were back at 6.40pm BST.", "2019-07-03 17:40", rule="explicit", flags=("zone-ambiguous",)),
    # ISO with the zone pinned to UTC
    case("2019-06-02 11:45 first 5xx responses", "2019-06-02 11:45",
         ctx=dict(published="2019-06-03", zone="UTC"), rule=PINNED),
    # ISO with offsets: 11:45-07:00 → 18:45Z; 11:45+02:00 → 09:45Z; 23:30-07:00 → 06:30Z next day
    case("First error: 2019-06-02T11:45:00-07:00", "2019-06-02 18:45", rule="explicit"),
    case("First error: 2019-06-02T11:45:00+02:00", "2019-06-02 09:45", rule="explicit"),
    case("First error: 2019-06-02T11:45Z", "2019-06-02 11:45", rule="explicit"),
    case("First error: 2019-06-02 11:45 UTC", "2019-06-02 11:45", rule="explicit"),
    case("Last error: 2019-06-02T23:30:00-07:00", "2019-06-03 06:30", rule="explicit"),
]


@pytest.mark.parametrize("sentence,ctx,best,earliest,latest,precision,rule,flags,no_flags", EXPLICIT)
def test_explicit_and_iso(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags):
    run(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags)


# --- hedges widen the interval (hedges.toml) ---------------------------------------------------

HEDGES = [
    # about 8 a.m. ET: 12:00Z ±15 → [11:45, 12:15]  (the DESIGN example)
    case("The outage began at about 8 a.m. ET.", "2019-07-03 12:00", "2019-07-03 11:45", "2019-07-03 12:15",
         precision="approximate", rule="explicit"),
    # around 9:18 AM EDT: 13:18Z ±15
    case("Problems started around 9:18 AM.", "2019-07-03 13:18", "2019-07-03 13:03", "2019-07-03 13:33",
         precision="approximate"),
    # roughly 10:30 a.m. EDT: 14:30Z ±15
    case("It recovered roughly 10:30 a.m.", "2019-07-03 14:30", "2019-07-03 14:15", "2019-07-03 14:45",
         precision="approximate"),
    # approximately 11:45 a.m. PT: 11:45 PDT = UTC-7 → 18:45Z ±15
    case("The failure began at approximately 11:45 a.m. PT.", "2019-07-03 18:45", "2019-07-03 18:30",
         "2019-07-03 19:00", precision="approximate", rule="explicit"),
    # shortly after 4pm EDT: 20:00Z, widen [0, +10, +30]
    case("Shortly after 4pm, users saw errors.", "2019-07-03 20:10", "2019-07-03 20:00", "2019-07-03 20:30",
         precision="approximate"),
    # shortly before 4pm EDT: 20:00Z, widen [-30, -10, 0]
    case("Shortly before 4pm, alerts fired.", "2019-07-03 19:50", "2019-07-03 19:30", "2019-07-03 20:00",
         precision="approximate"),
    # just after 8 p.m. EDT = 00:00Z on the 4th, widen [0, +5, +15]
    case("Just after 8 p.m., the site went dark.", "2019-07-04 00:05", "2019-07-04 00:00", "2019-07-04 00:15",
         precision="approximate"),
    # by 9 a.m. EDT = 13:00Z, widen [-60, 0, 0]
    case("Service was restored by 9 a.m.", "2019-07-03 13:00", "2019-07-03 12:00", "2019-07-03 13:00",
         precision="approximate"),
    # after 9 a.m. EDT = 13:00Z, widen [0, 0, +60]
    case("The errors began after 9 a.m.", "2019-07-03 13:00", "2019-07-03 13:00", "2019-07-03 14:00",
         precision="approximate"),
    # 8pm-ish EDT = 00:00Z on the 4th, ±20
    case("It came back at 8pm-ish.", "2019-07-04 00:00", "2019-07-03 23:40", "2019-07-04 00:20",
         precision="approximate"),
    # around 2:15 p.m. Eastern time: 14:15 EDT → 18:15Z ±15
    case("The feed stalled around 2:15 p.m. Eastern time.", "2019-07-03 18:15", "2019-07-03 18:00",
         "2019-07-03 18:30", precision="approximate", rule="explicit",
         ctx=dict(published="2019-07-03", zone="America/Los_Angeles")),
    # "at" and "since" do not widen: 15:30 EDT → 19:30Z, a point
    case("Errors have persisted since 15:30.", "2019-07-03 19:30", precision="minute"),
    # "in the early afternoon" = [12, 15) EDT → [16:00, 19:00]Z, midpoint 17:30
    case("The outage hit in the early afternoon.", "2019-07-03 17:30", "2019-07-03 16:00", "2019-07-03 19:00",
         precision="part-of-day"),
    # "in the late afternoon" = [15, 18) EDT → [19:00, 22:00]Z, midpoint 20:30
    case("A second outage hit in the late afternoon.", "2019-07-03 20:30", "2019-07-03 19:00",
         "2019-07-03 22:00", precision="part-of-day"),
]


@pytest.mark.parametrize("sentence,ctx,best,earliest,latest,precision,rule,flags,no_flags", HEDGES)
def test_hedges_widen(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags):
    run(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags)


def test_hedge_is_recorded_on_the_mention():
    m = only("The outage began at about 8 a.m. ET.", **NY)
    assert m.hedge == "about"
    assert "about" in m.text and "8 a.m. ET" in m.text


def test_since_marks_a_start_role():
    m = only("Starting at 09:12 UTC on 15 March 2023, API calls failed.", published="2023-03-16")
    assert m.role == "start"


# --- relative words, anchored to the publication date in the source's zone -------------------

RELATIVE = [
    # today (Jul 3 EDT): [04:00Z Jul 3, 04:00Z Jul 4), midpoint 16:00Z
    case("The site was down today.", "2019-07-03 16:00", "2019-07-03 04:00", "2019-07-04 04:00", precision="day"),
    # yesterday = Jul 2 EDT
    case("The site was down yesterday.", "2019-07-02 16:00", "2019-07-02 04:00", "2019-07-03 04:00", precision="day"),
    # tonight = [18, 24) EDT Jul 3 → [22:00Z Jul 3, 04:00Z Jul 4], mid 01:00Z
    case("Maintenance is planned tonight.", "2019-07-04 01:00", "2019-07-03 22:00", "2019-07-04 04:00",
         precision="part-of-day"),
    # last night = [18, 30) EDT Jul 2 → [22:00Z Jul 2, 10:00Z Jul 3], mid 04:00Z Jul 3
    case("The service failed last night.", "2019-07-03 04:00", "2019-07-02 22:00", "2019-07-03 10:00",
         precision="part-of-day"),
    # this morning = [6, 12) EDT → [10:00, 16:00]Z, mid 13:00
    case("Users could not log in this morning.", "2019-07-03 13:00", "2019-07-03 10:00", "2019-07-03 16:00",
         precision="part-of-day"),
    # this afternoon = [12, 18) EDT → [16:00, 22:00]Z, mid 19:00
    case("Service degraded this afternoon.", "2019-07-03 19:00", "2019-07-03 16:00", "2019-07-03 22:00",
         precision="part-of-day"),
    # this evening = [18, 22) EDT → [22:00Z, 02:00Z Jul 4], mid 00:00Z Jul 4
    case("Service degraded this evening.", "2019-07-04 00:00", "2019-07-03 22:00", "2019-07-04 02:00",
         precision="part-of-day"),
    # Wednesday morning, published Friday Jul 5 → Wed Jul 3 [6, 12) EDT → [10:00, 16:00]Z
    case("The outage began Wednesday morning.", "2019-07-03 13:00", "2019-07-03 10:00", "2019-07-03 16:00",
         precision="part-of-day", ctx=NY_FRI),
    # yesterday afternoon = Jul 2 [12, 18) EDT → [16:00, 22:00]Z
    case("It started yesterday afternoon.", "2019-07-02 19:00", "2019-07-02 16:00", "2019-07-02 22:00",
         precision="part-of-day"),
    # yesterday at 4:30 p.m. = Jul 2 16:30 EDT → 20:30Z
    case("It started yesterday at 4:30 p.m.", "2019-07-02 20:30"),
    # last night at 11:30 p.m. = Jul 2 23:30 EDT → 03:30Z Jul 3
    case("It started last night at 11:30 p.m.", "2019-07-03 03:30"),
    # tonight at 11 p.m. = Jul 3 23:00 EDT → 03:00Z Jul 4
    case("The fix ships tonight at 11 p.m.", "2019-07-04 03:00"),
    # earlier today at 2:10 p.m. = 18:10Z
    case("It failed earlier today at 2:10 p.m.", "2019-07-03 18:10"),
    # In the early hours of Monday: Mon Jul 1, [0, 5) EDT → [04:00, 09:00]Z, mid 06:30
    case("In the early hours of Monday, payments failed.", "2019-07-01 06:30", "2019-07-01 04:00",
         "2019-07-01 09:00", precision="part-of-day"),
    # Tuesday night = Tue Jul 2 [21, 30) EDT → [01:00Z, 10:00Z] Jul 3, mid 05:30Z
    case("The outage started Tuesday night.", "2019-07-03 05:30", "2019-07-03 01:00", "2019-07-03 10:00",
         precision="part-of-day"),
    # Published at 09:00 EDT on Jul 3: "last night at 1 a.m." is 01:00 EDT on Jul 3 (the small hours
    # that followed yesterday evening), i.e. 05:00Z Jul 3 — not 01:00 on Jul 2, 32 hours earlier.
    case("Logins broke last night at 1 a.m.", "2019-07-03 05:00", ctx=NY_MORNING),
]


@pytest.mark.parametrize("sentence,ctx,best,earliest,latest,precision,rule,flags,no_flags", RELATIVE)
def test_relative_words(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags):
    run(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags)


def test_relative_words_use_the_local_publication_date():
    # Published 2019-07-04 02:00Z = 2019-07-03 19:00 PDT, source pinned to Los Angeles:
    # "yesterday" is Jul 2 local; 3 p.m. PDT (UTC-7) Jul 2 → 22:00Z Jul 2.
    m = only("The API went down yesterday at 3 p.m.", published="2019-07-04T02:00:00Z", zone="America/Los_Angeles")
    check(m, "2019-07-02 22:00", precision="minute")


# --- ranges: both ends get the zone / meridiem -------------------------------------------------

def test_range_between_hours_shares_meridiem_and_zone():
    # Source pinned to London so an unshared zone would show: 8 a.m. EDT → 12:00Z, 10 a.m. EDT → 14:00Z
    ms = mentions("The outage lasted between 8 and 10 a.m. ET.", published="2019-07-03", zone="Europe/London")
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 12:00", zone="America/New_York", rule="explicit:range")
    check(ms[1], "2019-07-03 14:00", zone="America/New_York", rule="explicit")


def test_range_from_to_utc():
    # source pinned to New York; both ends are UTC: 12:02Z and 13:45Z
    ms = mentions("Errors ran from 12:02 to 13:45 UTC.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 12:02", zone="UTC", rule="explicit:range")
    check(ms[1], "2019-07-03 13:45", zone="UTC", rule="explicit")


def test_range_en_dash():
    ms = mentions("Impact window: 12:02–13:45 UTC.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 12:02", zone="UTC", rule="explicit:range")
    check(ms[1], "2019-07-03 13:45", zone="UTC")


def test_range_am_to_pm():
    # 11 a.m. PDT = 18:00Z; 2 p.m. PDT = 21:00Z
    ms = mentions("Uploads failed between 11 a.m. and 2 p.m. PT.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 18:00", zone="America/Los_Angeles")
    check(ms[1], "2019-07-03 21:00", zone="America/Los_Angeles")


def test_range_from_11_to_2_pm_keeps_the_morning_start():
    # "from 11 to 2 p.m." — 11 must be a.m. (11 p.m. would end before it starts): 18:00Z, 21:00Z
    ms = mentions("Uploads failed from 11 to 2 p.m. PT.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 18:00")
    check(ms[1], "2019-07-03 21:00")


def test_range_with_minutes_start():
    # 10:00 EDT → 14:00Z; 11:30 EDT → 15:30Z
    ms = mentions("The API was down between 10 and 11:30 a.m. EDT.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 14:00")
    check(ms[1], "2019-07-03 15:30")


def test_range_crossing_midnight_ends_the_next_day():
    # 9:45 p.m. EDT Jul 3 → 01:45Z Jul 4; 12:30 a.m. EDT is Jul 4 00:30 → 04:30Z Jul 4
    ms = mentions("The site was unreachable from 9:45 p.m. to 12:30 a.m. ET.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-04 01:45")
    check(ms[1], "2019-07-04 04:30")


def test_range_hyphenated_hours_without_from():
    # 8 a.m. EDT → 12:00Z; 10 a.m. EDT → 14:00Z
    ms = mentions("Maintenance ran 8–10 a.m. ET on Wednesday.", **NY)
    times = [m for m in ms if m.span.precision == "minute"]
    assert [m.span.best.strftime("%H:%M") for m in times] == ["12:00", "14:00"], describe(ms)


# --- phrasings not in the seed example ---------------------------------------------------------

PHRASINGS = [
    # Tuesday (Jul 2) 4pm PDT = 16:00 + 7h = 23:00Z, shortly after → [23:00, 23:10, 23:30]
    case("The outage started shortly after 4pm PDT on Tuesday.", "2019-07-02 23:10", "2019-07-02 23:00",
         "2019-07-02 23:30", precision="approximate", rule="explicit"),
    # by 11:30 CET in January: CET = UTC+1 → 10:30Z, widen [-60, 0, 0]
    case("Service was back by 11:30 CET.", "2019-01-15 10:30", "2019-01-15 09:30", "2019-01-15 10:30",
         precision="approximate", rule="explicit", ctx=dict(published="2019-01-15T12:00:00+01:00")),
    # 09:12 UTC on 15 March 2023 → 2023-03-15 09:12Z
    case("Starting at 09:12 UTC on 15 March 2023, API calls failed.", "2023-03-15 09:12", rule="explicit",
         ctx=dict(published="2023-03-16")),
    # the 8 a.m. hour = [08:00, 09:00) EDT → [12:00, 13:00]Z, mid 12:30
    case("Most complaints came in during the 8 a.m. hour.", "2019-07-03 12:30", "2019-07-03 12:00",
         "2019-07-03 13:00", precision="hour"),
    # 14h30 CEST = 14:30 - 2h = 12:30Z
    case("La panne a commencé à 14h30 CEST.", "2019-07-03 12:30", rule="explicit"),
    # 9:18 a.m. Eastern Daylight Time = 13:18Z
    case("It began at 9:18 a.m. Eastern Daylight Time.", "2019-07-03 13:18", rule="explicit"),
    # 3:07 p.m. ET Wednesday (published Friday) = Jul 3 19:07Z
    case("Alerts fired at 3:07 p.m. ET Wednesday.", "2019-07-03 19:07", rule="explicit", ctx=NY_FRI),
    # Just after 8 p.m. on Wednesday, July 3 = 20:00 EDT → 00:00Z Jul 4, [0, +5, +15]
    case("Just after 8 p.m. on Wednesday, July 3, the site went dark.", "2019-07-04 00:05", "2019-07-04 00:00",
         "2019-07-04 00:15", precision="approximate", ctx=NY_FRI),
    # 10:52 a.m. Pacific = 10:52 PDT → 17:52Z. Stories say "Pacific"/"Eastern" without "time".
    case("The outage began at 10:52 a.m. Pacific.", "2019-07-03 17:52", rule="explicit"),
    # 4 p.m. Eastern = 20:00Z; the source is pinned to Los Angeles, so the written zone must win
    case("Service returned at 4 p.m. Eastern.", "2019-07-03 20:00", rule="explicit",
         ctx=dict(published="2019-07-03", zone="America/Los_Angeles")),
]


@pytest.mark.parametrize("sentence,ctx,best,earliest,latest,precision,rule,flags,no_flags", PHRASINGS)
def test_other_phrasings(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags):
    run(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags)


def test_local_time_with_utc_in_parentheses():
    # 10:05 PDT = 17:05Z; the parenthesised UTC says the same instant
    ms = mentions("Facebook said the problem began at 10:05 PDT (17:05 UTC).", **NY)
    assert len(ms) == 2, describe(ms)
    for m in ms:
        check(m, "2019-07-03 17:05", rule="explicit")


def test_local_time_with_utc_in_parentheses_crossing_midnight():
    # 20:30 PDT Jul 3 + 7h = 03:30Z Jul 4; "(03:30 UTC)" restates that instant
    ms = mentions("The problem began at 8:30 p.m. PDT (03:30 UTC) on July 3.", **NY_FRI)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-04 03:30")
    check(ms[1], "2019-07-04 03:30")


# --- negatives: nothing here is a point in time -------------------------------------------------

NEGATIVES = [
    "we",
    "We may restore service soon.",
    "Users will March on City Hall.",
    "We offer 24/7 support.",
    "Upgrading to version 2.30 fixed it.",
    "Reads outnumber writes by a 3:1 ratio.",
    "The outage lasted for a few hours.",
    "The site was down for 3 hours.",
    "The plan costs $9.99 a month.",
    "The odds are 50/50.",
    "Users on Windows 10 were affected.",
    "Service should return in 2 hours.",
    "Clients received HTTP 503 errors.",
    "About 1/2 of users were affected.",
    "Monitors use a 16:9 layout.",
    "Traffic was routed to 10.0.0.1 instead.",
    "Between 300 and 400 servers were affected.",
    "The outage affected 2,000 users across 12 regions.",
]

ADVERSARIAL_NEGATIVES = [
    pytest.param("Between 2 and 3 percent of requests failed."),
    pytest.param("The team scaled from 12 to 15 servers."),
    pytest.param("Latency rose by 2.15 seconds."),
    pytest.param("Shares fell about 1.25 percent."),
    pytest.param("The cluster was upgraded from 1.25 to 1.26 that week."),
    pytest.param("Maintenance windows run on Sundays."),
]


@pytest.mark.parametrize("sentence", NEGATIVES + ADVERSARIAL_NEGATIVES)
def test_no_mention(sentence):
    parsed = parse(sentence, **NY)
    assert parsed.mentions == (), describe(parsed.mentions)


@pytest.mark.parametrize("sentence", ["we", "may", "March on", "24/7 support", "version 2.30", "a 3:1 ratio",
                                      "for a few hours", "for 3 hours", "$9.99", "50/50", "Windows 10",
                                      "in 2 hours", "HTTP 503"])
def test_find_returns_nothing_for_non_times(sentence):
    assert find(sentence) == []


# --- coarse mentions go to .skipped with a reason ----------------------------------------------

@pytest.mark.parametrize("sentence,fragment", [
    ("The feature launched in March.", "March"),
    ("The bug had existed since 2016.", "2016"),
    ("It is the third outage this year.", "this year"),
    ("The company promised fixes by March 2020.", "March 2020"),
])
def test_coarse_mentions_are_skipped_with_a_reason(sentence, fragment):
    parsed = parse(sentence, **NY)
    assert parsed.mentions == (), describe(parsed.mentions)
    hits = [s for s in parsed.skipped if fragment in s.what]
    assert hits, parsed.skipped
    assert all(s.reason for s in hits)
    assert hits[0].line == 1


def test_coarse_next_to_a_real_time_only_skips_the_coarse_part():
    # "since 2016" is coarse; "at 9:18 a.m. ET" (13:18Z) is a mention
    parsed = parse("The bug, present since 2016, surfaced at 9:18 a.m. ET.", **NY)
    assert len(parsed.mentions) == 1, describe(parsed.mentions)
    check(parsed.mentions[0], "2019-07-03 13:18")
    assert any("2016" in s.what for s in parsed.skipped)


def test_mention_offsets_point_at_the_text():
    sentence = "Facebook said the outage began at 9:18 a.m. ET on Wednesday."
    m = only(sentence, **NY)
    assert sentence[m.start:m.end] == m.text
    assert "9:18 a.m. ET" in m.text and "Wednesday" in m.text


def test_multiple_mentions_in_order():
    ms = mentions("Errors began at 9:18 a.m. ET and were fixed by 7:09 p.m. ET.", **NY)
    assert [m.span.best.strftime("%H:%M") for m in ms] == ["13:18", "23:09"], describe(ms)


# --- hyphenated clock ranges, as status pages write them ---------------------------------------

def test_hyphen_range_12_to_13_utc_does_not_crash():
    # "12:00-13:00 UTC" → 12:00Z and 13:00Z
    ms = mentions("Impact: 12:00-13:00 UTC.", **NY)
    assert [m.span.best.strftime("%H:%M") for m in ms] == ["12:00", "13:00"], describe(ms)


def test_hyphen_range_start_gets_the_end_zone():
    # 09:00 UTC and 10:00 UTC
    ms = mentions("Elevated errors from 09:00-10:00 UTC.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 09:00", zone="UTC")
    check(ms[1], "2019-07-03 10:00", zone="UTC")


def test_spaced_hyphen_range_works():
    # "12:00 - 13:00 UTC" → 12:00Z (explicit:range), 13:00Z
    ms = mentions("Impact: 12:00 - 13:00 UTC.", **NY)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 12:00", rule="explicit:range")
    check(ms[1], "2019-07-03 13:00")


def test_zone_followed_by_a_count():
    # 13:00 UTC → 13:00Z; "15 engineers" is a count
    m = only("At 13:00 UTC 15 engineers joined the call.", **NY)
    check(m, "2019-07-03 13:00", zone="UTC")


def test_unix_date_output():
    # Wed Jul 3 13:00:00 UTC 2019 → 13:00Z
    m = only("Wed Jul  3 13:00:00 UTC 2019 kernel: panic", **NY)
    check(m, "2019-07-03 13:00", zone="UTC")


# --- more adversarial phrasings ---------------------------------------------------------------

MORE = [
    # "3:30 in the afternoon" = 15:30 EDT → 19:30Z (the daypart supplies the p.m.)
    case("At 3:30 in the afternoon, the site failed.", "2019-07-03 19:30"),
    # "10 in the morning" = 10:00 EDT → 14:00Z
    case("At 10 in the morning, users complained.", "2019-07-03 14:00"),
    # UK/European dotted 24h clock after a capitalised 'At': Tue Jul 2 14:30 BST → 13:30Z
    case("At 14.30 on Tuesday, payments failed.", "2019-07-02 13:30",
         ctx=dict(published="2019-07-03T15:00:00+01:00", locale="en-GB")),
    # YYYY/MM/DD date: 2019-07-03 11:45Z, not the publication date (Jul 5)
    case("It failed on 2019/07/03 at 11:45 UTC.", "2019-07-03 11:45", ctx=NY_FRI),
    # "on the 3rd" (day of the current month): Jul 3 11:45Z
    case("It failed on the 3rd at 11:45 UTC.", "2019-07-03 11:45", ctx=NY_FRI),
]


@pytest.mark.parametrize("sentence,ctx,best,earliest,latest,precision,rule,flags,no_flags", MORE)
def test_more_phrasings(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags):
    run(sentence, ctx, best, earliest, latest, precision, rule, flags, no_flags)


def test_range_shares_the_date_of_its_end():
    # 13:00 CET (UTC+1) on 2 Jan 2019 → 12:00Z; 15:00 CET → 14:00Z
    ms = mentions("Logins failed between 13:00 and 15:00 CET on 2 January.", published="2019-01-04",
                  zone="America/New_York")
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-01-02 12:00", zone="Europe/Paris")
    check(ms[1], "2019-01-02 14:00", zone="Europe/Paris")


def test_duration_is_not_an_instant_hours_word():
    # "2:30 hours" is a duration, not a clock time
    parsed = parse("The incident lasted 2:30 hours.", **NY)
    assert parsed.mentions == (), describe(parsed.mentions)


def test_a_sentence_remembered_in_one_language_is_read_afresh_in_another():
    # find_kept remembers what find gave for a text in one language: the same words in an English
    # record are read by the English grammar, which has no "Uhr"
    from outagetl.timeparse.extract import find_kept

    sentence = "Der Dienst fiel um 15 Uhr aus."
    assert [(e.text, e.hour, e.minute) for e in find_kept(sentence, "de")] == [("15 Uhr", 15, 0)]
    assert find_kept(sentence, "en") == ()
    assert [(e.text, e.hour) for e in find_kept(sentence, "de")] == [("15 Uhr", 15)]


from types import SimpleNamespace  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from outagetl.timeparse.extract import _clear_of  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=20),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=20))
def test_a_waiting_atom_is_clear_of_the_sure_ones_exactly_when_it_overlaps_none(sure, waiting):
    atoms = [SimpleNamespace(start=s, end=s + w) for s, w in sure]
    clear = _clear_of(atoms)
    for start, width in waiting:
        end = start + width
        assert clear(start, end) == (not any(a.start < end and start < a.end for a in atoms))
