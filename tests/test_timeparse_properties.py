"""Property tests for the time extractor (hypothesis).

- ``find()`` and ``parse_source()`` never raise on arbitrary text, in any source context;
- every mention is an aware-UTC interval with earliest <= best <= latest, and its offsets point at
  its text;
- for a minute-precision clock time with no hedge, ``best`` converted back to the recorded zone
  reproduces the wall clock (and date) that was written;
- extraction is deterministic.
"""
from __future__ import annotations

from datetime import date, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from outagetl.tables import load
from outagetl.timeparse import find, parse_source, zones

from timeparse_helpers import describe, has_flag, make_doc

SETTINGS = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Inputs that made parse_source raise when this suite was written; run first, every time.
CRASHERS = ["Impact: 12:00-13:00 UTC.", "0000UTC-13"]

# Fragments that exercise the grammar: clock shapes, zones, offsets, dates, hedges, joiners.
FRAGMENTS = [
    "9:18", "09:47", "12:00", "13:45", "23:59", "0:00", "7", "12", "2019", "1342", "03", "30",
    "a.m.", "p.m.", "AM", "PM", "am", "pm", "noon", "midnight", "o'clock", "hour", "-ish", "or so",
    "UTC", "GMT", "Z", "ET", "EST", "EDT", "PT", "PDT", "PST", "CET", "CEST", "BST", "IST", "JST",
    "AEST", "Pacific time", "Eastern", "US/Pacific", "Europe/Berlin", "+02:00", "-07:00", "+0530",
    "UTC+2", "UTC-13", "GMT+14", "UTC+5:30", "−05:00",
    "July", "Jul.", "3", "3rd", "7/3", "4/5", "13/7", "2019-07-03", "2019-07-03T11:45:00-07:00",
    "3.7.2019", "Wednesday", "Wed,", "today", "yesterday", "tonight", "last night", "this morning",
    "early afternoon", "in the early hours of", "late", "evening",
    "about", "around", "shortly after", "shortly before", "by", "since", "at", "on", "from", "to",
    "between", "and", "until", "@", "–", "-", "(", ")", ",", ".", ":", "/", "$9.99", "24/7", "50/50",
    "for 3 hours", "in March", "since 2016", "this year", "version 2.30", "HTTP 503", "we", "may",
    "All times are", "all times", "\n",
]

ZONES = [None, "UTC", "America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Paris",
         "Asia/Kolkata", "Australia/Sydney", "Asia/Tokyo"]
PUBLISHED = [None, "2019-07-03", "2019-07-03T20:00:00-04:00", "2020-01-02T09:00:00Z",
             "2019-03-10T12:00:00+01:00", "2019-11-03T01:30:00-04:00", "2019-12-31T23:59:00+14:00", "garbage"]
LOCALES = [None, "en-US", "en-GB", "de-DE", "fr", "ja-JP", "xx-YY"]
DEFAULTS = [None, "UTC", "Europe/Berlin", "America/Chicago"]

fragment_text = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14).map(" ".join)
any_text = st.one_of(st.text(max_size=200), fragment_text)
contexts = st.fixed_dictionaries({
    "zone": st.sampled_from(ZONES), "published": st.sampled_from(PUBLISHED),
    "locale": st.sampled_from(LOCALES), "default_tz": st.sampled_from(DEFAULTS),
    "fallback": st.sampled_from([None, date(2019, 7, 4)]),
})


def _parse(lines, ctx):
    doc = make_doc(*lines, published=ctx["published"], zone=ctx["zone"], locale=ctx["locale"])
    return parse_source(doc, ctx["default_tz"], ctx["fallback"])


def _check_mentions(parsed):
    texts = {r.index: r.text for r in parsed.records}
    for m in parsed.mentions:
        s = m.span
        for v in (s.earliest, s.best, s.latest):
            assert v.tzinfo is not None and v.utcoffset() == timezone.utc.utcoffset(None)
        assert s.earliest <= s.best <= s.latest, describe([m])
        assert s.zone and s.zone_rule
        if not m.own_time:
            assert texts[m.record][m.start:m.end] == m.text, (m.start, m.end, m.text)


@SETTINGS
@given(any_text)
@example("12:00-13:00 UTC")
@example("from 09:00-10:00 UTC")
@example("at 11:30 UTC+5:30")
@example("Wed Jul  3 13:00:00 UTC 2019")
def test_find_never_raises(text):
    found = find(text)
    for e in found:
        assert 0 <= e.start <= e.end <= len(text)
        assert text[e.start:e.end] == e.text


_CTX0 = {"zone": None, "published": "2019-07-03", "locale": None, "default_tz": None, "fallback": None}


@SETTINGS
@given(st.lists(any_text, min_size=1, max_size=4), contexts)
@example([CRASHERS[0]], _CTX0)
def test_parse_source_never_raises_and_spans_are_ordered(lines, ctx):
    _check_mentions(_parse(lines, ctx))


def _outcome(lines, ctx):
    try:
        parsed = _parse(lines, ctx)
    except Exception as exc:  # determinism is checked on the outcome, whatever it is
        return ("raised", type(exc).__name__, str(exc))
    return (parsed.mentions, parsed.skipped)


@pytest.mark.parametrize("text", CRASHERS + ["The outage began at 10:00 UTC-13."])
def test_parse_source_never_raises_regressions(text):
    # pinned regressions found by the fuzzing above; each must parse (mention or skip), never raise
    _check_mentions(_parse([text], dict(zone=None, published="2019-07-03", locale=None, default_tz=None,
                                        fallback=None)))


@SETTINGS
@given(st.lists(any_text, min_size=1, max_size=4), contexts)
def test_deterministic(lines, ctx):
    assert _outcome(lines, ctx) == _outcome(list(lines), dict(ctx))
    assert [find(t) for t in lines] == [find(t) for t in lines]


# --- written clock round-trips --------------------------------------------------------------

ABBRS = sorted(a for a in load("zones")["abbreviations"] if a != "Z")
NAMES = sorted(load("zones")["names"])
IANA = ["Europe/Berlin", "America/Sao_Paulo", "Asia/Singapore", "Australia/Adelaide", "America/Chicago"]
OFFSETS = ["+02:00", "-07:00", "+0900", "UTC+2", "UTC-5", "GMT+1", "UTC+10", "-03:00"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def _clock(hour: int, minute: int, style: str) -> str:
    if style == "24":
        return f"{hour:02d}:{minute:02d}"
    h12 = hour % 12 or 12
    mer = {"dots": "a.m." if hour < 12 else "p.m.", "caps": "AM" if hour < 12 else "PM",
           "tight": "am" if hour < 12 else "pm"}[style]
    sep = "" if style == "tight" else " "
    return f"{h12}:{minute:02d}{sep}{mer}"


def _date(d: date, style: str) -> str:
    if style == "mdy":
        return f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}"
    if style == "dmy":
        return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
    return d.isoformat()


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


@SETTINGS
@given(
    hour=st.integers(0, 23), minute=st.integers(0, 59), style=st.sampled_from(["24", "dots", "caps", "tight"]),
    zone=st.sampled_from(ABBRS + NAMES + IANA + OFFSETS + ["UTC", "GMT"]),
    day=dates, date_style=st.sampled_from(["mdy", "dmy", "iso"]),
)
def test_written_clock_round_trips(hour, minute, style, zone, day, date_style):
    sentence = f"The outage began on {_date(day, date_style)} at {_clock(hour, minute, style)} {zone}."
    doc = make_doc(sentence, published=(day.isoformat()))
    ms = [m for m in parse_source(doc).mentions if m.span.precision == "minute" and not m.hedge]
    assert len(ms) == 1, f"{sentence!r}: {describe(parse_source(doc).mentions)}"
    m = ms[0]
    assume(not has_flag(m, "dst-gap"))
    local = m.span.best.astimezone(zones.zone(m.span.zone))
    assert (local.date(), local.hour, local.minute) == (day, hour, minute), f"{sentence!r}: {describe(ms)}"


@SETTINGS
@given(
    hour=st.integers(0, 23), minute=st.integers(0, 59), style=st.sampled_from(["24", "dots", "caps", "tight"]),
    zone=st.sampled_from([z for z in ZONES if z]), day=dates,
)
def test_clock_in_pinned_zone_round_trips(hour, minute, style, zone, day):
    sentence = f"Errors began on {_date(day, 'mdy')} at {_clock(hour, minute, style)}."
    doc = make_doc(sentence, published=day.isoformat(), zone=zone)
    ms = parse_source(doc).mentions
    assert len(ms) == 1, f"{sentence!r}: {describe(ms)}"
    m = ms[0]
    assert m.span.precision == "minute" and m.span.zone == zone and m.span.zone_rule == "pinned:manifest"
    assume(not has_flag(m, "dst-gap"))
    local = m.span.best.astimezone(ZoneInfo(zone))
    assert (local.date(), local.hour, local.minute) == (day, hour, minute), f"{sentence!r}: {describe(ms)}"


@SETTINGS
@given(hour=st.integers(0, 23), minute=st.integers(0, 59),
       offset=st.integers(-12, 14), day=dates, sep=st.sampled_from(["T", " "]))
def test_iso_with_offset_round_trips(hour, minute, offset, day, sep):
    # 2019-07-03T11:45:00-07:00 → UTC = local - offset
    sign = "+" if offset >= 0 else "-"
    stamp = f"{day.isoformat()}{sep}{hour:02d}:{minute:02d}:00{sign}{abs(offset):02d}:00"
    doc = make_doc(f"First error at {stamp} in the logs.", published=day.isoformat(), zone="Asia/Tokyo")
    ms = parse_source(doc).mentions
    assert len(ms) == 1, f"{stamp}: {describe(ms)}"
    from datetime import datetime, timedelta
    expected = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc) - timedelta(hours=offset)
    assert ms[0].span.best == expected, f"{stamp}: {describe(ms)}"


# --- hedges always contain the unhedged time ----------------------------------------------------

HEDGE_WORDS = sorted(w for w, v in load("hedges")["before"].items() if any(v["widen"]) and w[0].isalpha())


@SETTINGS
@given(hedge=st.sampled_from(HEDGE_WORDS), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_hedge_widening_matches_table(hedge, hour, minute):
    sentence = f"Errors began {hedge} {hour:02d}:{minute:02d} UTC on July 3, 2019."
    plain = f"Errors began at {hour:02d}:{minute:02d} UTC on July 3, 2019."
    doc, ref = make_doc(sentence, published="2019-07-05"), make_doc(plain, published="2019-07-05")
    [m] = parse_source(doc).mentions
    [r] = parse_source(ref).mentions
    lo, mid, hi = load("hedges")["before"][hedge]["widen"]
    assert (m.span.earliest - r.span.best).total_seconds() / 60 == lo, describe([m])
    assert (m.span.best - r.span.best).total_seconds() / 60 == mid, describe([m])
    assert (m.span.latest - r.span.best).total_seconds() / 60 == hi, describe([m])
    assert m.span.precision == "approximate"


# --- words that are never times -------------------------------------------------------------------

SAFE_WORDS = ["we", "may", "march", "on", "sun", "sat", "wed", "am", "pm", "at", "about", "since", "by", "hours",
              "minutes", "version", "support", "ratio", "the", "outage", "users", "servers", "percent", "up",
              "down", "a", "an", "for", "in", "z", "UTC", "ET", "PT", "AM", "PM", "Z", "hour", "day",
              "error", "HTTP", "Windows", "$9.99", "50/50", "3:1"]
# (numbers that become times next to "PM" — "10 PM", "24/7 PM", "at 2.30" — are deliberately left out;
# so is "night-time", a noun for the night as well as an adjective: "in the night-time" is the night)


@SETTINGS
@given(st.lists(st.sampled_from(SAFE_WORDS), min_size=1, max_size=12).map(" ".join))
def test_non_time_vocabulary_yields_no_mentions(sentence):
    doc = make_doc(sentence, published="2019-07-03", zone="UTC")
    ms = parse_source(doc).mentions
    assert ms == (), f"{sentence!r}: {describe(ms)}"


def test_a_ratio_before_a_part_of_day_is_not_a_time():
    # regression: "3:1 at night" once gave "1 at night"; "in the night" stays a part of day
    assert parse_source(make_doc("HTTP 3:1 at night-time Windows", published="2019-07-03", zone="UTC")).mentions == ()
    [m] = parse_source(make_doc("It broke in the night.", published="2019-07-03", zone="UTC")).mentions
    assert m.span.precision == "part-of-day"


@pytest.mark.parametrize("sentence", ["Uploads failed in the night-time.", "It came back in the night-time, users said.",
                                      "Errors rose in the night-time hours."])
def test_in_the_night_time_is_the_night(sentence):
    """Found by the never-a-time property (which listed "night-time"): the noun is the night,
    from 21:00 to 06:00 the next morning, as "in the night" is."""
    [m] = parse_source(make_doc(sentence, published="2019-07-03", zone="UTC")).mentions
    assert m.span.precision == "part-of-day"
    assert (m.span.earliest.isoformat(), m.span.latest.isoformat()) == ("2019-07-03T21:00:00+00:00",
                                                                      "2019-07-04T06:00:00+00:00")


# The extractor skips the templates a text cannot hold (its digits, the signs right after them, the
# words of each required phrase), runs a template that opens with a number from the text's first
# digit, and tries one whose look-behind refuses a digit before that number only at the start of
# each run of digits: skipping must never lose or change a time.
GATED_FRAGMENTS = FRAGMENTS + [
    "the next day", "the day before", "that night", "the next", "day", "next", "this year", "last week",
    "the past month", "15.30", "19.07.2024", "3.", "7.", "1.5", "Uhr", "um", "heute", "am nächsten Morgen",
    "à", "15h30", "hier", "午後3時", "3日", "15時", "翌日",
]


@SETTINGS
@given(st.lists(st.sampled_from(GATED_FRAGMENTS), min_size=1, max_size=10).map(" ".join),
       st.sampled_from(["en", "de", "fr", "ja"]))
def test_the_template_gate_never_loses_a_time(text, lang):
    from outagetl.timeparse import extract

    gated = find(text, lang)
    runnable, nothing, matches = extract._Holds.runnable, extract._Holds.nothing, extract._Holds.matches
    try:  # every template of every group searched for in every text, from its first character
        extract._Holds.runnable = lambda self, group: getattr(self.g, group)
        extract._Holds.nothing = property(lambda self: False)
        extract._Holds.matches = lambda self, template: template.pattern.finditer(self.text)
        ungated = find(text, lang)
    finally:
        extract._Holds.runnable, extract._Holds.nothing, extract._Holds.matches = runnable, nothing, matches
    assert gated == ungated
