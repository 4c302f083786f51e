"""Zones: written abbreviations, offsets and names; season mismatches; DST gaps and repeats; the
order in which a mention's zone is chosen (explicit > pinned > inferred > --tz > assumed UTC).

Every UTC value is computed by hand in the comment next to it.
"""
from __future__ import annotations

import pytest

from timeparse_helpers import check, describe, flags_text, has_flag, mentions, only

# Pinned to Tokyo on purpose: a written zone must beat it, so a wrong rule shows as a 9-hour error.
JUL = dict(published="2019-07-03", zone="Asia/Tokyo")
JAN = dict(published="2020-01-15", zone="Asia/Tokyo")
AUG = dict(published="2019-08-15", zone="Asia/Tokyo")


def case(sentence, best, *, zone=None, flags=(), no_flags=(), ctx=JUL, rule="explicit", id=None):
    return pytest.param(sentence, ctx, best, zone, rule, flags, no_flags, id=id or sentence)


WRITTEN = [
    # North America on 2019-07-03 (summer): EDT -4, CDT -5, MDT -6, PDT -7
    case("at 9:18 a.m. ET", "2019-07-03 13:18", zone="America/New_York", no_flags=("zone-season",)),
    case("at 9:18 a.m. EDT", "2019-07-03 13:18", zone="America/New_York", no_flags=("zone-season",)),
    case("at 9:18 AM EST", "2019-07-03 13:18", zone="America/New_York", flags=("zone-season",)),
    case("at 10:00 CT", "2019-07-03 15:00", zone="America/Chicago"),
    case("at 10:00 CDT", "2019-07-03 15:00", zone="America/Chicago", no_flags=("zone-season",)),
    case("at 10:00 CST", "2019-07-03 15:00", zone="America/Chicago", flags=("zone-season", "zone-ambiguous")),
    case("at 10:00 MT", "2019-07-03 16:00", zone="America/Denver"),
    case("at 10:00 MDT", "2019-07-03 16:00", zone="America/Denver"),
    # MST in July: Denver is on MDT, Arizona keeps MST (-7) all year → Phoenix: 10:00 + 7 = 17:00Z
    case("at 10:00 MST", "2019-07-03 17:00", zone="America/Phoenix", flags=("zone-season",)),
    case("at 10:00 PT", "2019-07-03 17:00", zone="America/Los_Angeles"),
    case("at 10:00 PDT", "2019-07-03 17:00", zone="America/Los_Angeles"),
    case("at 10:00 PST", "2019-07-03 17:00", zone="America/Los_Angeles", flags=("zone-season",)),
    # Europe in July: CEST +2 (CET written in July → CEST, flagged), BST +1
    case("at 10:00 CET", "2019-07-03 08:00", zone="Europe/Paris", flags=("zone-season",)),
    case("at 14:00 CEST", "2019-07-03 12:00", zone="Europe/Paris", no_flags=("zone-season",)),
    case("at 16:00 BST", "2019-07-03 15:00", zone="Europe/London", no_flags=("zone-season",)),
    # UTC/GMT/Z
    case("at 14:00 UTC", "2019-07-03 14:00", zone="UTC"),
    case("at 14:00 GMT", "2019-07-03 14:00", zone="UTC"),
    case("at 14:00Z", "2019-07-03 14:00", zone="UTC"),
    # IST is read as India (UTC+5:30): 11:30 - 5:30 = 06:00Z, flagged as ambiguous (Ireland, Israel)
    case("at 11:30 IST", "2019-07-03 06:00", zone="Asia/Kolkata", flags=("zone-ambiguous",)),
    # JST +9: 09:00 - 9 = 00:00Z
    case("at 09:00 JST", "2019-07-03 00:00", zone="Asia/Tokyo"),
    # AEST +10 in July (Sydney winter): 10:00 - 10 = 00:00Z
    case("at 10:00 AEST", "2019-07-03 00:00", zone="Australia/Sydney", no_flags=("zone-season",)),
    # AEDT +11 in January: 10:00 Jan 15 - 11 = 23:00Z Jan 14
    case("at 10:00 AEDT", "2020-01-14 23:00", zone="Australia/Sydney", ctx=JAN, no_flags=("zone-season",)),
    # AEST in January: Sydney is on AEDT, Queensland keeps AEST (+10) all year → Brisbane: 10:00 - 10 = 00:00Z
    case("at 10:00 AEST", "2020-01-15 00:00", zone="Australia/Brisbane", ctx=JAN, flags=("zone-season",)),
    # Numeric offsets
    case("at 14:00 +02:00", "2019-07-03 12:00"),   # 14 - 2 = 12
    case("at 14:00 +0200", "2019-07-03 12:00"),
    case("at 14:00 UTC+2", "2019-07-03 12:00"),
    case("at 10:00 UTC-7", "2019-07-03 17:00"),    # 10 + 7 = 17
    case("at 13:05 GMT+1", "2019-07-03 12:05"),
    case("at 14:05 (UTC+02:00)", "2019-07-03 12:05"),
    case("at 08:00 UTC−5", "2019-07-03 13:00", id="unicode minus UTC−5"),  # U+2212 minus: 8 + 5 = 13
    # India's half-hour offset: 11:30 at +05:30 → 06:00Z
    case("at 11:30 UTC+5:30", "2019-07-03 06:00"),
    case("at 11:30 +05:30", "2019-07-03 06:00"),
    # Spelled-out names
    case("at 3pm Pacific time", "2019-07-03 22:00", zone="America/Los_Angeles"),      # 15 + 7
    case("at 9:18 a.m. Eastern Daylight Time", "2019-07-03 13:18", zone="America/New_York"),
    case("at 14:00 Central European Summer Time", "2019-07-03 12:00", zone="Europe/Paris"),
    case("at 10:52 a.m. Pacific", "2019-07-03 17:52", zone="America/Los_Angeles"),
    case("at 4 p.m. Eastern", "2019-07-03 20:00", zone="America/New_York"),
    # IANA names written in the text
    case("at 12:00 Europe/Berlin", "2019-07-03 10:00", zone="Europe/Berlin"),          # CEST +2
    case("at 12:00 America/Sao_Paulo", "2019-07-03 15:00", zone="America/Sao_Paulo"),  # -3 (no DST in 2019)
    case("at 11:45 US/Pacific", "2019-07-03 18:45"),                                   # PDT -7
    # Season mismatches in the other direction
    case("at 10:00 BST", "2020-01-15 10:00", zone="Europe/London", ctx=JAN, flags=("zone-season",)),  # GMT in Jan
    case("at 10:00 PST", "2019-08-15 17:00", zone="America/Los_Angeles", ctx=AUG, flags=("zone-season",)),
    case("at 10:00 EST", "2020-01-15 15:00", zone="America/New_York", ctx=JAN, no_flags=("zone-season",)),
    case("at 10:00 EDT", "2020-01-15 15:00", zone="America/New_York", ctx=JAN, flags=("zone-season",)),  # read as EST
    case("at 10:00 CET", "2020-01-15 09:00", zone="Europe/Paris", ctx=JAN, no_flags=("zone-season",)),
]


@pytest.mark.parametrize("sentence,ctx,best,zone,rule,flags,no_flags", WRITTEN)
def test_written_zone(sentence, ctx, best, zone, rule, flags, no_flags):
    ms = mentions(f"The outage began {sentence}.", **ctx)
    assert len(ms) == 1, describe(ms)
    check(ms[0], best, precision="minute", zone=zone, rule=rule, flags=flags, no_flags=no_flags)


@pytest.mark.parametrize("sentence,ctx,abbr,actual", [
    ("at 9:18 AM EST", JUL, "EST", "EDT"),
    ("at 10:00 PST", AUG, "PST", "PDT"),
    ("at 10:00 CET", JUL, "CET", "CEST"),
    ("at 10:00 BST", JAN, "BST", "GMT"),
])
def test_season_flag_names_both_readings(sentence, ctx, abbr, actual):
    m = only(f"The outage began {sentence}.", **ctx)
    season = [str(f) for f in m.span.flags if f.code == "zone-season"]
    assert season, describe([m])
    assert abbr in season[0] and actual in season[0], season[0]


def test_season_flag_gives_the_literal_alternative():
    # 9:18 EST read as EDT → 13:18Z; literally EST (UTC-5) it would be 14:18Z. Both must be shown.
    m = only("The outage began at 9:18 AM EST on July 3, 2019.", published="2019-07-05")
    text = flags_text(m)
    assert "13:18" in text and "14:18" in text, text


# --- DST gaps and repeats ---------------------------------------------------------------------

def test_dst_gap_is_flagged():
    # 2019-03-10 02:30 does not exist in New York (02:00 EST → 03:00 EDT). Either neighbour
    # reading is acceptable (02:30 EST = 07:30Z, or 02:30 EDT = 06:30Z), but it must be flagged.
    m = only("Backups failed at 2019-03-10 02:30 ET.", published="2019-03-11")
    assert has_flag(m, "dst-gap"), describe([m])
    assert m.span.best.strftime("%H:%M") in ("06:30", "07:30"), describe([m])


def test_dst_gap_in_pinned_zone_spelled_date():
    m = only("On March 10, 2019 at 2:30 a.m. the job failed.", published="2019-03-11", zone="America/New_York")
    assert has_flag(m, "dst-gap"), describe([m])


def test_dst_gap_london():
    # 2019-03-31 01:30 does not exist in London (01:00 GMT → 02:00 BST)
    m = only("The job failed on 31 March 2019 at 01:30.", published="2019-04-01", zone="Europe/London")
    assert has_flag(m, "dst-gap"), describe([m])


def test_dst_repeated_is_flagged():
    # 2019-11-03 01:30 happens twice in New York: 01:30 EDT = 05:30Z, then 01:30 EST = 06:30Z.
    m = only("Backups failed at 2019-11-03 01:30 ET.", published="2019-11-04")
    assert has_flag(m, "dst-repeated"), describe([m])
    assert m.span.best.strftime("%H:%M") in ("05:30", "06:30"), describe([m])


def _edge(sentence, best):
    return pytest.param(sentence, best, id=sentence)


@pytest.mark.parametrize("sentence,best", [
    # "01:30 EST" on the fall-back night names the SECOND 01:30 unambiguously: 01:30 + 5 = 06:30Z
    _edge("Backups failed at 2019-11-03 01:30 EST.", "2019-11-03 06:30"),
    # "01:30 EDT" on the fall-back night: the first 01:30, 01:30 + 4 = 05:30Z; EDT was in force at 01:30
    _edge("Backups failed at 2019-11-03 01:30 EDT.", "2019-11-03 05:30"),
    # "01:30 EST" on the spring-forward day: EST was in force until 02:00: 01:30 + 5 = 06:30Z
    _edge("Backups failed at 2019-03-10 01:30 EST.", "2019-03-10 06:30"),
    # Paris falls back 2019-10-27 03:00 CEST → 02:00 CET; "02:30 CET" is the second: 02:30 - 1 = 01:30Z
    _edge("Backups failed at 2019-10-27 02:30 CET.", "2019-10-27 01:30"),
    # "03:30 EDT" on the spring-forward day is plain: 03:30 + 4 = 07:30Z
    _edge("Backups failed at 2019-03-10 03:30 EDT.", "2019-03-10 07:30"),
])
def test_abbreviation_resolves_dst_edges(sentence, best):
    m = only(sentence, published="2019-11-04")
    check(m, best, no_flags=("dst-repeated", "dst-gap", "zone-season"))


# --- which zone, and why ------------------------------------------------------------------------

def test_explicit_beats_pinned():
    m = only("Errors began at 14:00 UTC.", published="2019-07-03", zone="America/Chicago")
    check(m, "2019-07-03 14:00", zone="UTC", rule="explicit")


def test_pinned_beats_all_times_statement():
    # pinned Chicago (CDT -5): 09:47 + 5 = 14:47Z, despite "All times are in UTC"
    ms = mentions("All times are in UTC.", "09:47 Initial onset of errors", published="2019-07-03",
                  zone="America/Chicago")
    assert len(ms) == 1, describe(ms)
    check(ms[0], "2019-07-03 14:47", zone="America/Chicago", rule="pinned:manifest")


@pytest.mark.parametrize("statement,zone,best", [
    ("All times are in UTC.", "UTC", "2019-07-03 09:47"),                          # 09:47Z
    pytest.param("All times UTC.", "UTC", "2019-07-03 09:47"),
    ("(all times US/Pacific)", "America/Los_Angeles", "2019-07-03 16:47"),         # 09:47 PDT + 7
    ("All times are Eastern.", "America/New_York", "2019-07-03 13:47"),            # 09:47 EDT + 4
    ("All timestamps are in Eastern Time.", "America/New_York", "2019-07-03 13:47"),
    ("Times shown are CEST.", "Europe/Paris", "2019-07-03 07:47"),  # 09:47 CEST - 2
    ("All times are in Pacific time.", "America/Los_Angeles", "2019-07-03 16:47"),
])
def test_all_times_statement(statement, zone, best):
    # The statement beats the publication offset (-05:00 would otherwise say Chicago).
    ms = mentions(statement, "09:47 Initial onset of errors", published="2019-07-03T18:00:00-05:00")
    assert len(ms) == 1, describe(ms)
    check(ms[0], best, zone=zone, rule="inferred:all-times-statement", no_flags=("zone-assumed",))


def test_publication_offset_infers_zone():
    # +02:00 in July → Europe/Paris (CEST): 14:00 - 2 = 12:00Z
    m = only("The outage began at 14:00.", published="2019-07-03T18:00:00+02:00")
    check(m, "2019-07-03 12:00", zone="Europe/Paris", rule="inferred:publication-offset")


def test_publication_offset_uk_locale():
    # en-GB, +01:00 in July → Europe/London (BST): 11.57am - 1 = 10:57Z
    m = only("The site went down at 11.57am.", published="2019-07-03T15:00:00+01:00", locale="en-GB")
    check(m, "2019-07-03 10:57", zone="Europe/London", rule="inferred:publication-offset")


def test_publication_offset_minus_7_in_summer_is_pacific():
    # published at -07:00 in July → America/Los_Angeles; "Feb. 12 ... 9:00 a.m." is PST (-8) → 17:00Z
    ms = mentions("The same service failed on Feb. 12 at 9:00 a.m.", published="2019-07-03T11:00:00-07:00")
    assert len(ms) == 1, describe(ms)
    check(ms[0], "2019-02-12 17:00", zone="America/Los_Angeles")


def test_zone_written_elsewhere_in_source():
    # no pinned zone, no offset; "ET" written in the first sentence → EDT for the bare "7:09 p.m."
    # 19:09 + 4 = 23:09Z
    ms = mentions("The outage began at 9:18 a.m. ET.", "Service was restored at 7:09 p.m.", published="2019-07-03")
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-03 13:18", rule="explicit")
    check(ms[1], "2019-07-03 23:09", zone="America/New_York", rule="inferred:zone-in-source")


def test_locale_zone():
    # de-DE → Europe/Berlin (CEST +2): 14:30 - 2 = 12:30Z
    m = only("Die Störung begann um 14:30 Uhr.", published="2019-07-03", locale="de-DE")
    check(m, "2019-07-03 12:30", zone="Europe/Berlin", rule="inferred:locale")


def test_multi_zone_locale_is_not_guessed():
    # en-US spans several zones: with --tz it must fall to the default, not a guessed US zone
    m = only("The outage began at 14:30.", published="2019-07-03", locale="en-US", default_tz="Europe/Berlin")
    check(m, "2019-07-03 12:30", zone="Europe/Berlin", rule="default:--tz")


def test_default_tz():
    m = only("The outage began at 14:30.", published="2019-07-03", default_tz="Europe/Berlin")
    check(m, "2019-07-03 12:30", zone="Europe/Berlin", rule="default:--tz", no_flags=("zone-assumed",))


def test_assumed_utc_is_flagged():
    m = only("The outage began at 14:30.", published="2019-07-03")
    check(m, "2019-07-03 14:30", zone="UTC", rule="assumed", flags=("zone-assumed",))


def test_explicit_zone_is_not_flagged_assumed():
    m = only("The outage began at 14:30 UTC.", published="2019-07-03")
    check(m, "2019-07-03 14:30", zone="UTC", rule="explicit", no_flags=("zone-assumed",))


def test_local_text_names_the_local_clock():
    m = only("The outage began at 9:18 AM EST.", published="2019-07-03")
    assert "09:18" in m.local and "EDT" in m.local, m.local


# --- zones from zones.toml in every template (issue: the alternation once drifted from the table) ---

PROBES = [
    # NZST = UTC+12 (July is winter in New Zealand): 09:00 NZST on 3 July → 2 July 21:00Z
    ("The fault began at 9 NZST.", "2019-07-02 21:00", "Pacific/Auckland"),
    # SGT = UTC+8: 13:42 SGT → 05:42Z
    ("Customers saw errors from 1342 SGT.", "2019-07-03 05:42", "Asia/Singapore"),
    # Pacific time in July = PDT (UTC-7): 09:00 → 16:00Z
    ("Engineers were paged at 9 Pacific time.", "2019-07-03 16:00", "America/Los_Angeles"),
    # an abbreviation only zones.toml knows, after a bare hour and a cue: HKT = UTC+8, 10:00 → 02:00Z
    ("The exchange halted at 10 HKT.", "2019-07-03 02:00", "Asia/Hong_Kong"),
]


@pytest.mark.parametrize("sentence,best,region", PROBES)
def test_zone_probes_read_the_written_zone(sentence, best, region):
    m = only(sentence, **JUL)
    check(m, best, rule="explicit")
    assert m.span.zone == region


def test_range_of_bare_hours_with_one_zone_gives_both_ends():
    # JST = UTC+9: 08:00 JST → 2019-07-02 23:00Z, 10:00 JST → 2019-07-03 01:00Z; the zone is written once
    ms = mentions("Logins failed between 8 and 10 JST.", **JUL)
    assert len(ms) == 2, describe(ms)
    check(ms[0], "2019-07-02 23:00", rule="explicit:range")
    check(ms[1], "2019-07-03 01:00", rule="explicit")
    assert ms[0].span.zone == ms[1].span.zone == "Asia/Tokyo"


def test_a_bare_number_before_a_region_word_is_not_a_time():
    # "central" names a zone only next to a written clock; "10 central banks" is a count
    assert mentions("About 10 central banks were hit at once.", **JUL) == ()
