"""Conflicts: readings of one instant that cannot all be true, each listed with its citation.

The stories are written for these tests; every expected UTC instant is worked out by hand in the
comment beside it (the zone's offset on that date, the hedge's interval from hedges.toml).
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from outagetl.cli import main
from outagetl.merge import conflicts, merge
from outagetl.model import Basis, Claim, Event, Flag, FlagCode, TimeSpan
from outagetl.pipeline import build

UTC = timezone.utc


def timeline(tmp_path, stories: dict[str, str], manifest: dict[str, dict] | None = None):
    """Build the timeline of some stories; ``manifest`` gives each one's sources.toml entry."""
    for name, text in stories.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    if manifest:
        rows = []
        for name, fields in manifest.items():
            rows.append("[[source]]\n" + f'path = "{name}"\n' + "".join(f'{k} = "{v}"\n' for k, v in fields.items()))
        (tmp_path / "sources.toml").write_text("\n".join(rows), encoding="utf-8")
    return build([str(tmp_path)]).timeline


def Z(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def readings(conflict) -> list[tuple[str, str, str]]:
    """(source file, UTC best time, how it was taken) of each reading, in the conflict's order."""
    return [(r.claim.source.rsplit("/", 1)[-1], f"{r.span.best:%H:%M}", str(r.taken)) for r in conflict.readings]


def only(found, kind):
    chosen = [c for c in found if c.kind == kind]
    assert len(chosen) == 1, found
    return chosen[0]


NY = {"timezone": "America/New_York", "published": "2023-03-14"}   # EDT (UTC-4) since 12 March 2023


# 1. Readings disagree beyond their precision: "about 8:30" (08:15–08:45) and "about 9:00"
# (08:45–09:15) touch at 08:45, but neither one's time lies in the other's interval.

@pytest.mark.parametrize("first, second, utc", [
    # 8:30 EDT = 12:30Z, 9:00 EDT = 13:00Z
    ("the bank's app stopped working at about 8:30 a.m. ET on Tuesday.",
     "the app went down around 9 a.m. Eastern time, according to outage trackers.", ("12:30", "13:00")),
    # 10:15 p.m. EDT = 02:15Z next day; 10:45 p.m. = 02:45Z
    ("card payments began failing roughly at 10:15 p.m. ET on Tuesday.",
     "problems began about 10:45 p.m. ET on Tuesday, shoppers said.", ("02:15", "02:45")),
    # 6:00 a.m. EDT = 10:00Z; 6:40 a.m. = 10:40Z (a time at minute precision beside a hedged one)
    ("the first complaints that the app was down came in around 6 a.m. ET on Tuesday.",
     "the outage began at 6:40 a.m. ET on Tuesday, the bank said.", ("10:00", "10:40")),
])
def test_hedged_times_that_only_touch_are_a_conflict(tmp_path, first, second, utc):
    found = timeline(tmp_path, {"a.txt": f"Harbor Bank outage. Customers said {first}",
                                "b.txt": f"Harbor Bank outage. Reports said {second}"},
                     {"a.txt": NY, "b.txt": NY}).conflicts
    conflict = only(found, "start")
    assert conflict.basis is Basis.MILESTONE
    assert [(src, t) for src, t, _ in readings(conflict)] == [("a.txt", utc[0]), ("b.txt", utc[1])]
    spread = (datetime.strptime(utc[1], "%H:%M") - datetime.strptime(utc[0], "%H:%M")).seconds // 60
    assert conflict.spread_minutes == spread


@pytest.mark.parametrize("first, second", [
    # about 8:30 (08:15–08:45) and 8:40: 8:40 lies within the first's interval.
    ("the bank's app stopped working at about 8:30 a.m. ET on Tuesday.", "the outage began at 8:40 a.m. ET on Tuesday."),
    # this morning (06:00–12:00 local) holds 9:52.
    ("the app went down this morning.", "the app went down at 9:52 a.m. ET, the bank said."),
    # 11:02 and 11:06 are within the five minutes' tolerance.
    ("the app went down at 11:02 a.m. ET on Tuesday.", "the app stopped working at 11:06 a.m. ET on Tuesday."),
])
def test_readings_within_each_others_precision_are_no_conflict(tmp_path, first, second):
    found = timeline(tmp_path, {"a.txt": f"Harbor Bank outage. Customers said {first}",
                                "b.txt": f"Harbor Bank outage. Reports said {second}"},
                     {"a.txt": NY, "b.txt": NY}).conflicts
    assert [c for c in found if c.kind == "start"] == []


# 2. A mislabelled zone stands as its own reading: "EST" on a summer date is read as EDT (and
# flagged), and the instant the letters give taken as written is a reading a reader might take.

SUMMER = {"timezone": "America/New_York", "published": "2022-08-09"}


@pytest.mark.parametrize("says, zone, as_read, as_written, fixed", [
    # 9:40 EST written on 9 August: EDT is UTC-4 → 13:40Z; EST as written, UTC-5 → 14:40Z.
    ("The company acknowledged the outage at 9:40 a.m. EST on Tuesday.", "America/New_York", "13:40", "14:40", "Etc/GMT+5"),
    # 6:40 PST on 9 August: PDT is UTC-7 → 13:40Z; PST as written, UTC-8 → 14:40Z.
    ("The company acknowledged the outage at 6:40 a.m. PST on Tuesday.", "America/Los_Angeles", "13:40", "14:40", "Etc/GMT+8"),
    # 15:40 MEZ on 9 August (German): MESZ is UTC+2 → 13:40Z; MEZ as written, UTC+1 → 14:40Z.
    ("Um 15:40 Uhr MEZ bestätigte das Unternehmen, dass es die Berichte prüft.", "Europe/Berlin", "13:40", "14:40", "Etc/GMT-1"),
])
def test_a_mislabelled_zone_is_its_own_reading_beside_another_source(tmp_path, says, zone, as_read, as_written, fixed):
    post = {"id": 1, "created_at": "2022-08-09T13:40:00Z", "text": "We are aware of problems with payments and are investigating.",
            "user": {"screen_name": "HarborBank"}}
    lang = {"language": "de"} if "Uhr" in says else {}
    tl = timeline(tmp_path, {"story.txt": f"Harbor Bank outage.\n\n{says}", "posts.json": json.dumps([post])},
                  {"story.txt": {"timezone": zone, "published": "2022-08-09", **lang}, "posts.json": {"role": "official"}})
    conflict = only(tl.conflicts, "acknowledged")
    assert readings(conflict) == [("posts.json", "13:40", "as-read"), ("story.txt", as_read, "as-read"),
                                  ("story.txt", as_written, "zone-as-written")]
    assert conflict.spread_minutes == 60
    assert conflict.official == conflict.readings[0].event
    assert conflict.readings[-1].span.zone == fixed  # the offset the letters name (IANA's signs are inverted)


def test_a_mislabelled_zone_alone_is_a_flag_not_a_conflict(tmp_path):
    tl = timeline(tmp_path, {"story.txt": "Harbor Bank outage.\n\nThe company acknowledged the outage at 9:40 a.m. EST on Tuesday."},
                  {"story.txt": SUMMER})
    (event,) = [e for e in tl.events if e.kind == "acknowledged"]
    assert event.span.best == Z("2022-08-09 13:40")
    assert [f.code for f in event.claims[0].span.flags] == [FlagCode.ZONE_SEASON]
    assert event.claims[0].span.flags[0].literal_shift == timedelta(hours=1)
    assert tl.conflicts == ()


@pytest.mark.parametrize("written", ["9:40 a.m. EDT", "9:40 a.m. ET", "9:40 a.m. Eastern time"])
def test_a_zone_written_for_its_season_gives_no_second_reading(tmp_path, written):
    post = {"id": 1, "created_at": "2022-08-09T13:40:00Z", "text": "We are aware of problems with payments and are investigating.",
            "user": {"screen_name": "HarborBank"}}
    tl = timeline(tmp_path, {"story.txt": f"Harbor Bank outage.\n\nThe company acknowledged the outage at {written} on Tuesday.",
                             "posts.json": json.dumps([post])}, {"story.txt": SUMMER, "posts.json": {"role": "official"}})
    assert [c for c in tl.conflicts if c.kind == "acknowledged"] == []


# 3. One time written in two zones that do not agree is a conflict of the source's own.

@pytest.mark.parametrize("sentence, first, second", [
    # 10:05 ET on 12 July 2023 is EDT, 14:05Z; the story's 15:05 GMT is an hour later.
    ("The payment network went down at 10:05 a.m. ET, or 15:05 GMT, on Wednesday.", "14:05", "15:05"),
    # 16:20 CEST is 14:20Z; "(15:20 UTC)" is an hour later.
    ("The payment network went down at 16:20 CEST (15:20 UTC) on Wednesday.", "14:20", "15:20"),
    # 7:30 p.m. PT is PDT, 02:30Z on the 13th; "/ 03:30 GMT" is an hour later.
    ("The payment network went down at 7:30 p.m. PT / 03:30 GMT on Wednesday.", "02:30", "03:30"),
])
def test_one_time_in_two_zones_that_disagree_is_a_conflict(tmp_path, sentence, first, second):
    tl = timeline(tmp_path, {"wire.txt": f"Payments outage.\n\n{sentence}"},
                  {"wire.txt": {"published": "2023-07-12", "timezone": "America/New_York"}})
    (conflict,) = tl.conflicts
    assert conflict.basis is Basis.TWO_ZONES and conflict.kind == "start"
    assert [t for _, t, _ in readings(conflict)] == [first, second]
    assert conflict.spread_minutes == 60
    # The second zone's reading is the same statement: it reports the same milestone.
    assert [e.kind for e in tl.events] == ["start", "start"]


@pytest.mark.parametrize("sentence", [
    "The payment network went down at 10:05 a.m. ET, or 14:05 GMT, on Wednesday.",
    "The payment network went down at 16:20 CEST (14:20 UTC) on Wednesday.",
    "The payment network went down at 7:30 p.m. PT / 02:30 GMT on Wednesday.",
])
def test_two_zones_that_agree_are_one_reading(tmp_path, sentence):
    tl = timeline(tmp_path, {"wire.txt": f"Payments outage.\n\n{sentence}"},
                  {"wire.txt": {"published": "2023-07-12", "timezone": "America/New_York"}})
    assert tl.conflicts == () and len(tl.events) == 1


# 4. Kinds that are wrong do not hide a conflict; a source's distinct updates are not one.

T0 = datetime(2023, 5, 2, 9, 0, tzinfo=UTC)


def span(minutes, before=0, after=0, precision="minute", flags=()):
    best = T0 + timedelta(minutes=minutes)
    if (before or after) and precision == "minute":
        precision = "approximate"
    return TimeSpan(best - timedelta(minutes=before), best, best + timedelta(minutes=after), precision, "UTC",
                    "explicit", flags)


def claim(source, kind, minutes, quote, role="press", primary=False, record=0, start=0, **kw):
    return Claim(source=source, role=role, kind=kind, span=span(minutes, **kw), summary=quote[:40], quote=quote,
                 local_text=f"+{minutes}", local="", record=record, origin="timestamp" if primary else "text",
                 start=start, end=start + 5)


def event(id, kind, *claims):
    return Event(id, kind, claims[0].span, claims[0].summary, tuple(claims))


def test_a_start_claim_inside_an_event_of_another_kind_is_a_reading():
    # The story's "began" claim (at 10:00) joined the official acknowledgement it quotes; a
    # second story says it began at 09:00. Comparing events by kind alone hid the disagreement.
    ack = event("E2", "acknowledged",
                claim("status.json", "acknowledged", 60, "We are investigating failed logins.", role="official", primary=True),
                claim("story.txt", "start", 60, 'Logins began failing at 10:00, the company wrote: "We are investigating failed logins."'))
    early = event("E1", "start", claim("other.txt", "start", 0, "Logins began failing at 9:00."))
    (conflict,) = conflicts([early, ack])
    assert conflict.kind == "start" and conflict.events == ("E1", "E2")
    assert [(r.claim.source, r.event) for r in conflict.readings] == [("other.txt", "E1"), ("story.txt", "E2")]
    assert conflict.spread_minutes == 60


@pytest.mark.parametrize("claims", [
    # One story: partly restored at 10:00, fully at 12:00; the page: resolved at 12:00.
    [("story.txt", "resolved", 60), ("story.txt", "resolved", 180), ("page.json", "resolved", 180)],
    # One story gives the start and, later, when a second wave began; another story the first start.
    [("a.txt", "start", 0), ("a.txt", "start", 240), ("b.txt", "start", 2)],
    # Acknowledged twice by the same page (two investigating updates), once by a story at the first.
    [("page.json", "acknowledged", 10), ("page.json", "acknowledged", 70), ("story.txt", "acknowledged", 12)],
])
def test_a_sources_later_updates_are_not_a_conflict(claims):
    built = [claim(src, kind, minutes, f"{src} says {kind} {minutes}", record=minutes) for src, kind, minutes in claims]
    assert merge(built).conflicts == ()


@pytest.mark.parametrize("ends, mitigated_at, spread", [
    # The page: resolved at 12:00; story c's last word is a restoration finished at 11:00.
    ((180,), 120, 60),
    # c's last word comes after the page's resolution: still restoring at 12:40.
    ((180,), 220, 40),
    # Two sources give the resolution (12:00, 14:00); c's last mitigation at 10:30 is a third end,
    # listed; the spread is the resolutions' own (12:00 → 14:00).
    ((180, 300), 90, 120),
])
def test_a_sources_last_mitigation_is_its_end_beside_a_resolution(ends, mitigated_at, spread):
    # A source that never says resolved ends its story with its last mitigation ("the restoration
    # work finished at 17:30", "all data stores were back an hour later"): an end a reader could take.
    built = [claim(f"s{i}.txt", "resolved", m, f"Story {i}: everything was back to normal.") for i, m in enumerate(ends)]
    built[0] = replace(built[0], source="page.json", role="official", origin="timestamp")
    c = claim("c.txt", "mitigated", mitigated_at, "Engineers finished the restoration work on the last cluster.")
    (conflict,) = merge([*built, c]).conflicts
    assert conflict.kind == "resolved"
    assert [(r.claim.source, r.claim.kind, r.context) for r in conflict.readings if r.claim.source == "c.txt"] == [
        ("c.txt", "mitigated", True)]
    assert conflict.spread_minutes == spread


@pytest.mark.parametrize("built", [
    # The last mitigation agrees with the resolution (12:03 beside 12:00): one end.
    [("page.json", "resolved", 180), ("c.txt", "mitigated", 183)],
    # Nobody says it was resolved: two sources' last mitigations are not a resolution conflict.
    [("b.txt", "mitigated", 60), ("c.txt", "mitigated", 180)],
    # A source that gives a resolution is compared by it, not by its mitigation.
    [("page.json", "resolved", 180), ("c.txt", "mitigated", 60), ("c.txt", "resolved", 182)],
])
def test_a_mitigation_that_agrees_or_stands_alone_is_no_end_conflict(built):
    claims = [claim(src, kind, m, f"{src} reports {kind} at {m}", record=m) for src, kind, m in built]
    assert [c for c in merge(claims).conflicts if c.kind == "resolved"] == []


def test_a_sources_earlier_end_is_listed_beside_a_conflict_never_its_cause():
    # The postmortem declares everything operational at 11:00, then fully resolved at 15:00; a
    # write-up says 13:00. The postmortem's earlier end is listed; the spread runs 13:00 → 15:00.
    pm = [claim("pm.md", "resolved", 120, "We declared all services operational in every region.", record=1),
          claim("pm.md", "resolved", 360, "The incident was fully resolved once the backfill finished.", record=2)]
    writeup = claim("writeup.md", "resolved", 240, "Service fully recovered about a day later.")
    (conflict,) = merge([*pm, writeup]).conflicts
    assert [(r.claim.source, f"{r.span.best:%H:%M}", r.earlier) for r in conflict.readings] == [
        ("pm.md", "11:00", True), ("writeup.md", "13:00", False), ("pm.md", "15:00", False)]
    assert conflict.spread_minutes == 120
    assert merge(pm).conflicts == ()   # alone, the postmortem's two ends are no conflict


# 5. The same statement, word for word, dated differently by two sources.

ENTRY = "the responding team decided to freeze all deployments to prevent further changes to the clusters"


@pytest.mark.parametrize("official, retelling", [
    # A retelling that pairs the entry with the heading above it (23:07 vs 22:54).
    (f"### 2018 October 21 23:07 UTC\n\nBy this point {ENTRY}.", f"- **2018 October 21 22:54 UTC** - By this point {ENTRY}."),
    # A timeline list, and a blog that copies the line with another time.
    (f"- October 21, 23:07 UTC: {ENTRY}.", f"At 22:54 UTC on October 21 {ENTRY}, according to the report."),
    # Both as sentences.
    (f"At 23:07 UTC on October 21 {ENTRY}.", f"On October 21 at 22:54 UTC {ENTRY}."),
])
def test_the_same_words_at_two_times_are_a_conflict(tmp_path, official, retelling):
    intro = "Last week we had an incident that degraded service for a day. This is the timeline of what happened."
    tl = timeline(tmp_path, {"report.md": f"Incident report\n\n{intro}\n\n{official}\n",
                             "retelling.md": f"Student write-up\n\n{retelling}\n"},
                  {"report.md": {"published": "2018-10-30"}, "retelling.md": {"published": "2018-11-02"}})
    (conflict,) = [c for c in tl.conflicts if c.basis is Basis.SAME_WORDS]
    assert [(src, t) for src, t, _ in readings(conflict)] == [("retelling.md", "22:54"), ("report.md", "23:07")]
    assert conflict.spread_minutes == 13


def test_words_repeated_by_their_source_at_the_time_a_story_gives_are_no_conflict():
    words = "We are continuing to investigate reports of failed card payments at some shops."
    first = claim("page.json", "update", 0, words, role="official", primary=True)
    again = claim("page.json", "update", 30, words, role="official", primary=True)
    story = claim("story.txt", "update", 30, f'At 9:30 the company said: "{words}"')
    found = merge([first, again, story]).conflicts
    assert found == ()


def test_two_posts_with_the_same_words_are_two_statements():
    words = "Card payments are failing at some shops; we are investigating the cause now."
    a = claim("bank-a.json", "update", 0, words, primary=True)
    b = claim("bank-b.json", "update", 45, words, primary=True)
    assert merge([a, b]).conflicts == ()


# 6. One source's two times never join through a vaguer third.

def test_one_sources_times_do_not_chain_through_a_vague_one():
    # "on the morning" (06:00–12:00 as an interval) overlaps both 09:30 and ~11:00, which are two
    # statements of the source: they stay two events.
    morning = claim("story.txt", "resolved", 60, "Full service is expected back in the morning.", before=180, after=180,
                    precision="part-of-day", record=1)
    half_past = claim("story.txt", "resolved", 30, "East Japan is targeted for 9:30.", record=2)
    eleven = claim("story.txt", "resolved", 120, "West Japan is expected around 11.", before=15, after=15, record=3)
    events = merge([morning, half_past, eleven]).events
    assert sorted(len(e.claims) for e in events) == [1, 2]
    assert {e.span.best for e in events} == {T0 + timedelta(minutes=30), T0 + timedelta(minutes=120)}


# 7. What every output shows.

def test_json_conflicts_gain_basis_and_readings_and_keep_their_fields(tmp_path):
    post = {"id": 1, "created_at": "2022-08-09T13:40:00Z", "text": "We are aware of problems with payments and are investigating.",
            "user": {"screen_name": "HarborBank"}}
    (tmp_path / "story.txt").write_text("Harbor Bank outage.\n\nThe company acknowledged the outage at 9:40 a.m. EST on Tuesday.",
                                        encoding="utf-8")
    (tmp_path / "posts.json").write_text(json.dumps([post]), encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\npath = "story.txt"\ntimezone = "America/New_York"\npublished = "2022-08-09"\n'
                                           '[[source]]\npath = "posts.json"\nrole = "official"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json"])
    (conflict,) = json.loads(result.stdout)["conflicts"]
    assert set(conflict) == {"id", "kind", "events", "spread_minutes", "official", "evidence", "basis", "readings"}
    assert conflict["basis"] == "milestone" and conflict["kind"] == "acknowledged" and conflict["spread_minutes"] == 60
    assert [(r["source"].rsplit("/", 1)[-1], r["time"], r["taken"], r["role"]) for r in conflict["readings"]] == [
        ("posts.json", "2022-08-09T13:40:00Z", "as-read", "official"),
        ("story.txt", "2022-08-09T13:40:00Z", "as-read", "press"),
        ("story.txt", "2022-08-09T14:40:00Z", "zone-as-written", "press")]
    assert conflict["readings"][2]["local"] == "2022-08-09 09:40 UTC-05:00"
    assert conflict["readings"][2]["quote"] == "The company acknowledged the outage at 9:40 a.m. EST on Tuesday."
    markdown = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "markdown"]).stdout
    assert "the official source is" in markdown and "posts.json" in markdown.split("#### C1")[1].split("\n")[0]
    assert "= 2022-08-09 09:40 UTC-05:00 (zone as written)" in markdown


def test_flag_text_is_unchanged_by_the_shift_it_carries():
    flag = Flag(FlagCode.ZONE_SEASON, "EST written for 2022-08-09", literal_shift=timedelta(hours=1))
    assert str(flag) == "zone-season: EST written for 2022-08-09"


# 8. The same figure, dated apart by two sources: a count is reached once.

@pytest.mark.parametrize("first, second", [
    # English, thousands with commas: 9:30 a.m. and 8 a.m. ET.
    (("Tracker figures showed more than 48,200 outage reports by 9:30 a.m.", "9:30 a.m.", 90),
     ("Some 48,200 outages were logged as of 8 a.m., the tracker said.", "8 a.m.", 0)),
    # German, thousands with dots.
    (("Bis 11 Uhr meldeten 48.200 Nutzer Störungen beim Zahlungsdienst.", "11 Uhr", 120),
     ("Gegen 9 Uhr waren es bereits 48.200 Nutzer, die Probleme meldeten.", "Gegen 9 Uhr", 0)),
    # French, thousands with a narrow no-break space; a time that leads its sentence.
    (("À 14 h, 48\u202f200 signalements avaient été enregistrés.", "À 14 h", 300),
     ("Le pic de 48\u202f200 signalements a été atteint vers 10 h.", "vers 10 h", 60)),
    # Japanese, in myriads (4万8200 = 4.82万 = 48,200), counted in 件.
    (("午前11時までに約4万8200件の障害報告が寄せられた。", "午前11時", 120),
     ("午前9時の時点で障害報告は4.82万件に上った。", "午前9時", 0)),
])
def test_the_same_figure_at_two_times_is_a_conflict(first, second):
    a = replace(claim("a.txt", "other", first[2], first[0]), local_text=first[1])
    b = replace(claim("b.txt", "other", second[2], second[0]), local_text=second[1])
    (conflict,) = merge([a, b]).conflicts
    assert conflict.basis is Basis.SAME_FIGURE
    assert sorted(r.claim.source for r in conflict.readings) == ["a.txt", "b.txt"]
    assert conflict.spread_minutes == abs(first[2] - second[2])


@pytest.mark.parametrize("first, second", [
    # The same count at times that agree (09:00 and 09:03).
    (("More than 48,200 reports were logged by 9 a.m.", "9 a.m.", 0, "a.txt"),
     ("At 9:03 a.m. 48,200 outage reports had been filed.", "9:03 a.m.", 3, "b.txt")),
    # Two different counts.
    (("More than 48,200 reports were logged by 9 a.m.", "9 a.m.", 0, "a.txt"),
     ("By 11 a.m. 61,000 reports had been filed.", "11 a.m.", 120, "b.txt")),
    # One source gives its count twice.
    (("More than 48,200 reports were logged by 9 a.m.", "9 a.m.", 0, "a.txt"),
     ("By noon 48,200 reports had been filed, it said later.", "noon", 180, "a.txt")),
    # The count belongs to another clause than the time.
    (("Outages, which began at about 6 a.m., peaked at 48,200 reports.", "about 6 a.m.", -180, "a.txt"),
     ("By 9 a.m. 48,200 reports had been filed.", "9 a.m.", 0, "b.txt")),
    # Small numbers and years tie nothing together.
    (("In 2023 three regions failed at 9 a.m.", "9 a.m.", 0, "a.txt"),
     ("In 2023 the 1402 UTC deploy broke three regions at 11 a.m.", "11 a.m.", 120, "b.txt")),
])
def test_counts_that_agree_differ_or_are_one_sources_are_no_conflict(first, second):
    a = replace(claim(first[3], "other", first[2], first[0], record=1), local_text=first[1])
    b = replace(claim(second[3], "other", second[2], second[0], record=2), local_text=second[1])
    assert [c for c in merge([a, b]).conflicts if c.basis is Basis.SAME_FIGURE] == []


# 9. A mislabelled zone widens its event: which instant the writer meant is not known.

@pytest.mark.parametrize("says, lang", [
    ("The company acknowledged the outage at 9:40 a.m. EST on Tuesday.", {}),     # EDT 13:40Z, EST 14:40Z
    ("The company acknowledged the outage at 6:40 a.m. PST on Tuesday.", {}),     # PDT 13:40Z, PST 14:40Z
    ("Um 15:40 Uhr MEZ bestätigte das Unternehmen den Ausfall.", {"language": "de"}),  # MESZ 13:40Z, MEZ 14:40Z
])
def test_an_event_read_in_a_mislabelled_zone_covers_both_instants(tmp_path, says, lang):
    zone = "America/Los_Angeles" if "PST" in says else "Europe/Berlin" if "MEZ" in says else "America/New_York"
    tl = timeline(tmp_path, {"story.txt": f"Harbor Bank outage.\n\n{says}"},
                  {"story.txt": {"timezone": zone, "published": "2022-08-09", **lang}})
    (event,) = [e for e in tl.events if e.kind == "acknowledged"]
    assert (event.span.earliest, event.span.best, event.span.latest) == (
        Z("2022-08-09 13:40"), Z("2022-08-09 13:40"), Z("2022-08-09 14:40"))
    assert event.claims[0].span.latest == Z("2022-08-09 13:40")   # the citation keeps its own reading


def test_a_zone_written_for_its_season_keeps_its_event_exact(tmp_path):
    tl = timeline(tmp_path, {"story.txt": "Harbor Bank outage.\n\nThe company acknowledged the outage at 9:40 a.m. EDT on Tuesday."},
                  {"story.txt": SUMMER})
    (event,) = [e for e in tl.events if e.kind == "acknowledged"]
    assert event.span.earliest == event.span.best == event.span.latest == Z("2022-08-09 13:40")


@pytest.mark.parametrize("other_kind", ["mitigated", "resolved"])
@pytest.mark.parametrize("mitigated_at, resolution, conflict_expected", [
    # "resolved by 11:00" (10:00–11:00, a bound) beside a restoration at 10:05: two ends.
    (65, dict(minutes=120, before=60), True),
    # ... beside one at 10:57: the same end within the tolerance.
    (117, dict(minutes=120, before=60), False),
    # "resolved about 11:00" (10:45–11:15, a hedge) beside one at 10:50: within its width.
    (110, dict(minutes=120, before=15, after=15), False),
])
def test_a_bound_on_the_resolution_does_not_absorb_another_sources_end(mitigated_at, resolution, conflict_expected,
                                                                       other_kind):
    # The other source's end is its last mitigation, or a resolution of its own ("traffic was restored").
    bounds = dict(resolution)
    page = claim("page.txt", "resolved", bounds.pop("minutes"), "The company declared it resolved.", **bounds)
    story = claim("story.txt", other_kind, mitigated_at, "Engineers disabled the faulty rule set and traffic recovered.")
    found = [c for c in merge([page, story]).conflicts if c.kind == "resolved"]
    assert bool(found) is conflict_expected


def test_a_count_too_long_to_be_one_is_no_figure():
    # Thousands of digit groups (a hostile input) are no count, and never an error.
    huge = "1," + "000," * 2000 + "000"
    a = replace(claim("a.txt", "other", 0, f"By 9 a.m. {huge} reports had been filed."), local_text="By 9 a.m.")
    b = replace(claim("b.txt", "other", 120, f"By 11 a.m. {huge} reports had been filed."), local_text="By 11 a.m.")
    assert [c for c in merge([a, b]).conflicts if c.basis is Basis.SAME_FIGURE] == []


@pytest.mark.parametrize("story, lang, zone, mitigated", [
    # German: partly restored at 14:10 CEST = 12:10Z.
    ("Störung beim Zahlungsdienst.\n\nUm 14:10 Uhr war der Dienst teilweise wiederhergestellt.", "de", "Europe/Berlin", "12:10"),
    # French: a gradual return from 15 h 20 CEST = 13:20Z.
    ("Panne du service de paiement.\n\nÀ 15 h 20, le service revenait progressivement.", "fr", "Europe/Paris", "13:20"),
    # Japanese: the restoration work finished at 19:30 JST = 10:30Z.
    ("決済サービスで障害。\n\n19時30分に復旧作業が終了した。", "ja", "Asia/Tokyo", "10:30"),
])
def test_a_story_ending_on_a_mitigation_in_any_language_is_an_end_beside_the_page(tmp_path, story, lang, zone, mitigated):
    page = "Payments incident.\n\nThe incident was fully resolved at 16:45 UTC on July 12, 2023."
    tl = timeline(tmp_path, {"story.txt": story, "page.txt": page},
                  {"story.txt": {"timezone": zone, "published": "2023-07-12", "language": lang},
                   "page.txt": {"published": "2023-07-13", "role": "official"}})
    conflict = only(tl.conflicts, "resolved")
    assert [(src, t) for src, t, _ in readings(conflict)] == [("story.txt", mitigated), ("page.txt", "16:45")]
    assert [r.context for r in conflict.readings] == [True, False]


# 10. A sentence that only points back reports the milestone the sentence before it ends on.

@pytest.mark.parametrize("text, lang, utc", [
    # 14:09 UTC.
    ("Outage.\n\nAt 14:02 UTC engineers switched the rules off, which brought traffic back to normal. "
     "That happened at 14:09 UTC.", None, "14:09"),
    # 16:09 CEST = 14:09Z.
    ("Störung.\n\nDie Techniker schalteten die Regeln ab, danach war die Störung behoben. "
     "Das geschah um 16:09 Uhr.", "de", "14:09"),
    # 16 h 09 CEST = 14:09Z.
    ("Panne.\n\nLes ingénieurs ont coupé les règles et le service a été rétabli. "
     "Cela s'est produit à 16 h 09.", "fr", "14:09"),
])
def test_a_sentence_pointing_back_takes_the_milestone_before_it(tmp_path, text, lang, utc):
    extra = {"language": lang, "timezone": "Europe/Berlin"} if lang else {}
    tl = timeline(tmp_path, {"story.txt": text}, {"story.txt": {"published": "2023-07-12", **extra}})
    (event,) = [e for e in tl.events if f"{e.span.best:%H:%M}" == utc]
    assert event.kind == "resolved"


@pytest.mark.parametrize("text", [
    # "That outage" names the outage: the sentence says what it says (a start).
    "Outage.\n\nEngineers restored traffic later. That outage began at 09:12 UTC.",
    # The sentence before ends on no milestone: the pointing sentence stays an update.
    "Outage.\n\nThe team met to review the rules. That happened at 09:12 UTC.",
    # Pointing back mid-sentence is not opening with it.
    "Outage.\n\nThe site was restored. We checked twice and that happened at 09:12 UTC.",
])
def test_a_sentence_that_does_not_open_by_pointing_back_keeps_its_own_kind(tmp_path, text):
    tl = timeline(tmp_path, {"story.txt": text}, {"story.txt": {"published": "2023-07-12"}})
    (event,) = [e for e in tl.events if f"{e.span.best:%H:%M}" == "09:12"]
    assert event.kind != "resolved"


@pytest.mark.parametrize("relative, conflict_expected", [(True, False), (False, True)])
def test_a_time_counted_from_another_keeps_its_interval(relative, conflict_expected):
    # "acknowledged within 30 minutes" of a 09:00 start is any time to 09:30: the page's 09:12
    # agrees. "acknowledged by 9:30" states 9:30: 18 minutes from the page's 09:12.
    flags = (Flag(FlagCode.RELATIVE, "counted from '9:00'"),) if relative else ()
    story = claim("story.txt", "acknowledged", 30, "The bank acknowledged the fault.", before=30, flags=flags)
    page = claim("page.json", "acknowledged", 12, "We are investigating.", role="official", primary=True)
    found = [c for c in merge([story, page]).conflicts if c.kind == "acknowledged"]
    assert bool(found) is conflict_expected
