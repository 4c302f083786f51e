"""Which zone and which date a bare time belongs to, from the structure of its source: a zone
written in the paragraph carries to the times after it; a date far from the one the story tells
about dates only its own paragraph; a post cannot tell of a time after it was written; weekdays
counted from the publication date look back. Every UTC value is worked out by hand beside it."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from outagetl.events import classify
from outagetl.model import Record, Source, SourceDoc
from outagetl.timeparse import parse_source

from timeparse_helpers import Z, check, describe


def doc(*paragraphs, published=None, zone=None, language=None):
    """Each argument is a paragraph: a string (one sentence) or a tuple of sentences."""
    records, i = [], 0
    for p, para in enumerate(paragraphs):
        for sentence in (para,) if isinstance(para, str) else para:
            records.append(Record(source="s.txt", index=i, text=sentence, line=i + 1, paragraph=p))
            i += 1
    source = Source(path="s.txt", published=published, zone=zone, zone_rule="pinned:manifest" if zone else None,
                    language=language)
    return SourceDoc(source, tuple(records), text="\n\n".join(r.text for r in records))


def timed(parsed):
    return [m for m in parsed.mentions if m.span.precision in ("minute", "approximate")]


# --- a written zone carries through its paragraph ------------------------------------------------

CARRY = [
    # Feb 2024: ET = EST (UTC-5); 15:10 EST = 20:10Z, though the outlet is in Chicago
    ((("At 11:15 a.m. ET, the carrier said most customers had service.",
       "Then, at 3:10 p.m., it said all service was back."),), "2024-02-22", "America/Chicago",
     "2024-02-22 20:10", "America/New_York"),
    # July 2019: PT = PDT (UTC-7); 10:40 PDT = 17:40Z, though the outlet is in New York
    ((("Engineers rolled back at 9:05 a.m. PT.", "At 10:40 a.m. the errors had stopped."),), "2019-07-03",
     "America/New_York", "2019-07-03 17:40", "America/Los_Angeles"),
    # one sentence, two clauses: 14:30 stays UTC, not the Berlin outlet's CEST
    (("The fault began at 14:02 UTC; at 14:30 the team failed over to the second region.",), "2019-07-03",
     "Europe/Berlin", "2019-07-03 14:30", "UTC"),
]


@pytest.mark.parametrize("paragraphs,published,zone,best,region", CARRY)
def test_a_zone_written_in_a_paragraph_carries_to_later_times(paragraphs, published, zone, best, region):
    ms = timed(parse_source(doc(*paragraphs, published=published, zone=zone)))
    assert len(ms) == 2, describe(ms)
    check(ms[1], best, zone=region, rule="carried")


def test_a_zone_does_not_carry_into_the_next_paragraph():
    # 15:10 in the Chicago outlet's own zone, CST (UTC-6) in February: 21:10Z
    ms = timed(parse_source(doc("At 11:15 a.m. ET the carrier spoke.", "The fix came at 3:10 p.m.",
                                published="2024-02-22", zone="America/Chicago")))
    check(ms[1], "2024-02-22 21:10", zone="America/Chicago", rule="pinned:manifest")


def test_the_last_zone_written_is_the_one_that_carries():
    # 9:00 PDT = 16:00Z; 1:00 p.m. EDT = 17:00Z; 2:00 p.m. carries ET: 18:00Z
    ms = timed(parse_source(doc(("The alert fired at 9:00 a.m. PT.", "By 1:00 p.m. ET a fix was out.",
                                 "At 2:00 p.m. the all-clear came."),
                                published="2019-07-03", zone="America/Denver")))
    assert [m.span.best for m in ms] == [Z("2019-07-03 16:00"), Z("2019-07-03 17:00"), Z("2019-07-03 18:00")]
    assert ms[2].span.zone == "America/New_York"


# --- a date far from the story's dates only its own paragraph ------------------------------------

def test_a_year_old_date_does_not_re_date_the_next_paragraphs():
    # published Thursday 2024-02-22 (PST, UTC-8): "about 12:30 a.m. PT" is that day, 08:30Z
    parsed = parse_source(doc("The network was back on Thursday afternoon.",
                              "A similar outage on Aug. 11, 2019, lasted hours.",
                              "Reports began at about 12:30 a.m. PT.",
                              published="2024-02-22", zone="America/Los_Angeles"))
    check(timed(parsed)[-1], "2024-02-22 08:30", "2024-02-22 08:15", "2024-02-22 08:45")


def test_a_later_report_date_does_not_re_date_the_timeline():
    # the timeline is 3 March (UTC); a follow-up five days on is its own paragraph's date
    parsed = parse_source(doc("On March 3 at 06:03 UTC the upgrade went out.",
                              "A report followed on March 8 at 10:00 UTC.",
                              "At 09:13 UTC the web app was back.",
                              published="2023-03-10", zone="UTC"))
    assert [m.span.best for m in timed(parsed)] == [Z("2023-03-03 06:03"), Z("2023-03-08 10:00"), Z("2023-03-03 09:13")]


def test_in_its_own_paragraph_a_far_date_still_dates_the_time_after_it():
    # Aug 11, 2019 in LA is PDT (UTC-7): 9 a.m. = 16:00Z
    parsed = parse_source(doc("On Aug. 11, 2019, a similar outage began at 9 a.m.",
                              published="2024-02-22", zone="America/Los_Angeles"))
    check(timed(parsed)[0], "2019-08-11 16:00")


def test_a_multi_day_timeline_moves_on_a_day_at_a_time():
    # Oct 21 → Oct 22: the last paragraph's 23:03 UTC is on the 22nd
    parsed = parse_source(doc("On October 21 at 22:52 UTC the link failed.",
                              "On October 22 at 06:51 UTC the restores finished.",
                              "At 23:03 UTC all systems were green again.",
                              published="2018-10-30", zone="UTC"))
    assert timed(parsed)[-1].span.best == Z("2018-10-22 23:03")


# --- other readings are kept for the times whose date or half of the day is not written -----------

def test_a_time_with_no_meridiem_carries_the_other_half_of_the_day():
    # 6:03 EST in December: 11:03Z as written, 23:03Z if p.m.
    [m] = timed(parse_source(doc("The dashboard said at 6:03 EST that most services had recovered.",
                                 published="2021-12-07", zone="America/New_York")))
    assert m.span.best == Z("2021-12-07 11:03")
    assert Z("2021-12-07 23:03") in {a.span.best for a in m.alternatives if a.other_half and not a.other_date}


def test_a_time_dated_in_its_own_sentence_has_no_other_date():
    [m] = timed(parse_source(doc("On July 2 at 13:42 UTC errors spiked.", published="2019-07-03", zone="UTC")))
    assert not any(a.other_date for a in m.alternatives)


# --- a post cannot tell of a time after it was written --------------------------------------------

POST_CASES = [
    # posted 10:30 EDT (14:30Z) on 3 July: "since about 3pm" is 3 p.m. the day before, 19:00Z on 2 July
    ("Our app has been down since about 3pm.", "2019-07-03T14:30:00+00:00", "2019-07-02 19:00"),
    # posted 08:00 EDT (12:00Z): "at 11:45 p.m." is the night before, 03:45Z
    ("Problems started at 11:45 p.m. and are not fixed yet.", "2019-07-03T12:00:00+00:00", "2019-07-03 03:45"),
    # posted 23:10 EDT (03:10Z on the 4th): "at 9:30 p.m." that evening (01:30Z on the 4th) is before it
    ("We have been restoring service since 9:30 p.m.", "2019-07-04T03:10:00+00:00", "2019-07-04 01:30"),
]


@pytest.mark.parametrize("text,posted,best", POST_CASES)
def test_a_time_in_a_post_is_not_after_the_post(text, posted, best):
    stamp = datetime.fromisoformat(posted).astimezone(timezone.utc)
    record = Record(source="p.json", index=0, text=text, timestamp=stamp, timestamp_text=posted, author="@svc")
    source = Source(path="p.json", type="post", zone="America/New_York", zone_rule="pinned:manifest")
    parsed = parse_source(SourceDoc(source, (record,), text=text))
    [m] = [m for m in parsed.mentions if not m.own_time]
    assert m.span.best == Z(best), describe([m])
    assert m.span.best <= stamp


# --- weekdays from the publication date look back ---------------------------------------------------

@pytest.mark.parametrize("text,published,day", [
    ("Tuesday's outage took down support tickets.", "2021-12-11", "2021-12-07"),  # Saturday → the Tuesday before
    ("The outage on Monday was worse.", "2019-07-03", "2019-07-01"),                # Wednesday → Monday before
    ("Maintenance is planned for Thursday.", "2019-07-03", "2019-07-04"),           # Wednesday → tomorrow
])
def test_a_weekday_counted_from_the_publication_date(text, published, day):
    [m] = parse_source(doc(text, published=published, zone="UTC")).mentions
    assert m.span.earliest.date().isoformat() == day, describe([m])


# --- the ends of a range of impact -----------------------------------------------------------------

@pytest.mark.parametrize("text,kinds", [
    ("Users could not log in from 9:00 until 10:30 UTC.", ("start", "update")),
    ("Support cases were impacted from 7:33 AM until 2:25 PM PST.", ("start", "update")),
    ("Between 08:12 and 09:41 PT some customers saw failed requests.", ("start", "update")),
    # the range is the outage's own span: its end is the resolution
    ("The situation continued for 61 hours from 1:35 a.m. on July 2 to 3 p.m. on July 4.", ("start", "resolved")),
    ("The outage lasted from about 12:25 p.m. to about 4 p.m. on Sunday.", ("start", "resolved")),
    ("Der Ausfall dauerte von 06:09 Uhr bis 07:27 Uhr.", ("start", "resolved")),
])
def test_the_end_of_a_range_of_impact_is_not_a_resolution(text, kinds):
    lang = "de" if "Uhr" in text else "en"
    parsed = parse_source(doc(text, published="2021-12-07", zone="UTC", language=lang))
    got = tuple(classify(text, m.start, m.end, m.role, lang) for m in parsed.mentions)
    assert got == kinds


@pytest.mark.parametrize("lang,text,kinds", [
    ("ja", "通信障害は22時から2時まで続いた。", ("start", "resolved")),
    ("ja", "回線の障害は午前6時から午前9時まで続きました。", ("start", "resolved")),
    ("ja", "22時から2時まで点検を実施した。", ("start", "update")),
    ("zh", "故障从晚上8点到11点持续了三个小时。", ("start", "resolved")),
    ("fr", "La panne a duré de 15h30 à 17h.", ("start", "resolved")),
    ("es", "El apagón duró de las 11 a las 14 horas.", ("start", "resolved")),
    ("pt", "A falha durou das 9h às 11h.", ("start", "resolved")),
])
def test_a_range_said_to_be_the_outages_own_span_ends_in_its_resolution(lang, text, kinds):
    """"まで続いた", "a duré", "durou": the range is how long the outage lasted, so its end is when it
    ended; a range of work or impact without such a word keeps its end an update."""
    parsed = parse_source(doc(text, published="2024-07-19", zone="UTC", language=lang))
    assert tuple(classify(text, m.start, m.end, m.role, lang) for m in parsed.mentions) == kinds


def test_a_range_whose_end_is_said_to_be_the_end_is_resolved():
    text = "The outage ran from 9:00 and ended at 10:30 UTC."
    parsed = parse_source(doc(text, published="2021-12-07", zone="UTC"))
    assert classify(text, parsed.mentions[-1].start, parsed.mentions[-1].end, parsed.mentions[-1].role) == "resolved"


# --- in an export of many authors' posts, each author's zone is their own -------------------------

def _post(i, author, text, posted):
    stamp = datetime.fromisoformat(posted).astimezone(timezone.utc)
    return Record(source="posts.jsonl", index=i, text=text, timestamp=stamp, timestamp_text=posted, author=author)


def test_one_authors_zone_does_not_set_anothers():
    # @east writes ET twice; @uk never writes a zone: its "since 14:05" is read as the export gives
    # (no offset, no locale: UTC, flagged), not as ET. 14:05 UTC stays 14:05Z, before the 15:00Z post.
    records = (
        _post(0, "@east", "Down since 9:40 a.m. ET for us.", "2019-07-03T14:00:00+00:00"),
        _post(1, "@east", "Still down at 10:15 a.m. ET.", "2019-07-03T14:20:00+00:00"),
        _post(2, "@uk", "Our shop has had errors since 14:05.", "2019-07-03T15:00:00+00:00"),
    )
    parsed = parse_source(SourceDoc(Source(path="posts.jsonl", type="post"), records, text=""))
    [uk] = [m for m in parsed.mentions if m.record == 2 and not m.own_time]
    assert uk.span.best == Z("2019-07-03 14:05") and uk.span.zone == "UTC", describe([uk])
    [east] = [m for m in parsed.mentions if m.record == 1 and not m.own_time]
    assert east.span.best == Z("2019-07-03 14:15")  # 10:15 EDT


def test_an_author_who_writes_a_zone_keeps_it_for_their_bare_times():
    # @pdx writes PT once, then a bare 8:05 a.m.: PDT, 15:05Z; @nyc's bare time is read in ET, its own
    records = (
        _post(0, "@pdx", "Errors from 7:50 a.m. PT on our dashboards.", "2019-07-03T15:00:00+00:00"),
        _post(1, "@pdx", "It came back at 8:05 a.m.", "2019-07-03T15:10:00+00:00"),
        _post(2, "@nyc", "Saw it at 10:52 a.m. ET.", "2019-07-03T15:00:00+00:00"),
        _post(3, "@nyc", "Recovered by 11:04 a.m.", "2019-07-03T15:10:00+00:00"),
    )
    parsed = parse_source(SourceDoc(Source(path="posts.jsonl", type="post"), records, text=""))
    got = {m.record: m.span.best for m in parsed.mentions if not m.own_time}
    assert got[1] == Z("2019-07-03 15:05") and got[3] == Z("2019-07-03 15:04")


# --- a correction withdraws the time it quotes ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Earlier reports that the fault had lasted since 5am were incorrect.",
    "A report that service was restored at 3 p.m. was wrong; it came back later.",
    "This story has been corrected: the outage did not begin at 9:15 a.m.",
])
def test_a_correction_withdraws_the_time_it_quotes(text):
    from outagetl.events import claims

    parsed = parse_source(doc(text, published="2019-07-03", zone="UTC"))
    found, skipped = claims(parsed)
    assert found == [] and any("withdrawn" in s.reason for s in skipped)


@pytest.mark.parametrize("text", [
    "On 2019-07-03 the outage began; by 12:00 UTC on July 3, 2019 it was over.",
    "The 2019-07-03 incident ended at 12:00 UTC.",
    "July 3, 2019: the status page said at 12:00 UTC that service was restored.",
])
def test_a_date_alone_is_never_the_same_instant_as_a_time_that_day(text):
    # the date's interval has its best at noon UTC; the written 12:00 UTC is a claim of its own
    from outagetl.events import claims

    found, _ = claims(parse_source(doc(text, published="2019-07-05", zone="UTC")))
    assert Z("2019-07-03 12:00") in {c.span.best for c in found if c.span.precision != "day"}
