"""The decisions stage on its own: each decision type on small hand-written sources, through the one
pipeline (``outagetl.pipeline.build`` with decisions, as a case file supplies them)."""
import json
from datetime import datetime, timezone

import pytest

from outagetl.decisions import (
    Confirm,
    EventRef,
    Made,
    Merge,
    Note,
    PinZone,
    Reject,
    SetKind,
    SetPublished,
    SetRole,
    SourceRef,
    Split,
)
from outagetl.keys import find_event
from outagetl.model import Status
from outagetl.pipeline import Options, build
from outagetl.render import render

from conftest import EXAMPLE

UTC = timezone.utc
WHEN = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)

EARLIER = "Users of ExampleCo first reported errors at 08:40 UTC on July 3, 2019, on social media.\n"
STORY = ("Service outage hits ExampleCo\n\n"
         "The ExampleCo outage began at 09:00 UTC on July 3, 2019, engineers said. "
         "The company said the problem was resolved at 11:30 UTC.\n")
LATER = "ExampleCo's service was restored at 13:00 UTC on July 3, 2019, a spokesperson said.\n"
BARE = ("The ExampleCo outage began at 09:00 on July 3, 2019, engineers said. "
        "The company said the problem was resolved at 11:30.\n")
UNDATED = "ExampleCo's API went down at 10:15 UTC today, the company said.\n"
POSTS = json.dumps([
    {"created_at": "Wed Jul 03 16:00:00 +0000 2019", "id_str": "1", "user": {"screen_name": "westcoastco"},
     "full_text": "Our API has been failing since 08:12 this morning, we are investigating."},
    {"created_at": "Wed Jul 03 16:05:00 +0000 2019", "id_str": "2", "user": {"screen_name": "londonuser"},
     "full_text": "Still down here, broken since 14:30 for us."},
])


def made(n: int, why: str | None = None) -> Made:
    return Made(n, WHEN, "alice", why)


@pytest.fixture
def folder(tmp_path):
    for name, text in (("earlier.txt", EARLIER), ("story.txt", STORY), ("later.txt", LATER)):
        (tmp_path / name).write_text(text)
    return tmp_path


def timeline(paths, *decisions):
    return build([str(p) for p in paths], Options(), tuple(decisions)).timeline


def times(t):
    return [(e.kind, f"{e.span.best:%H:%M}", e.claims[0].local_text) for e in t.events]


def ref(t, event_id: str) -> EventRef:
    return EventRef.to(find_event(t.events, event_id))


def test_without_decisions_the_three_stories_give_four_events_and_a_conflict(folder):
    t = timeline([folder])
    assert times(t) == [("other", "08:40", "08:40 UTC on July 3, 2019"), ("start", "09:00", "09:00 UTC on July 3, 2019"),
                        ("resolved", "11:30", "11:30 UTC"), ("resolved", "13:00", "13:00 UTC on July 3, 2019")]
    assert [(c.kind, c.events) for c in t.conflicts] == [("resolved", ("E3", "E4"))]
    assert t.metrics["duration"]["minutes"] == 240 and t.decisions == () and t.rejected == ()


def test_reject_takes_the_event_out_and_accounts_for_it(folder):
    before = timeline([folder])
    t = timeline([folder], Reject(made(1, "a different outage"), ref(before, "E4")))
    assert times(t)[-1] == ("resolved", "11:30", "11:30 UTC")
    assert t.conflicts == ()
    assert t.metrics["duration"]["minutes"] == 150  # 09:00 → 11:30
    assert [e.summary for e in t.rejected] == [before.events[3].summary]
    (applied,) = t.decisions
    assert applied.status == Status.APPLIED and applied.target == before.events[3].key
    later = next(r for r in t.sources if r.source.path.endswith("later.txt"))
    assert later.used == 0
    assert [(s.what, s.reason) for s in later.skipped] == [
        ("'13:00 UTC on July 3, 2019'", "rejected by alice (D1): a different outage")]
    page = json.loads(render("json", t))
    assert page["rejected"][0]["key"] == before.events[3].key and page["rejected"][0]["decisions"] == ["D1"]
    assert page["rejected"][0]["id"] == ""  # out of the timeline, it has no place in it
    assert page["decisions"][0] == {"id": "D1", "action": "reject", "target": before.events[3].key, "source": None,
                                    "detail": "rejected: not part of the incident", "by": "alice",
                                    "at": "2024-05-02T09:30:00Z", "why": "a different outage", "status": "applied",
                                    "reason": None}


def test_set_kind_and_confirm_change_the_milestones_the_metrics_use(folder):
    before = timeline([folder])
    t = timeline([folder], SetKind(made(1), ref(before, "E1"), "start"))
    assert times(t)[0] == ("start", "08:40", "08:40 UTC on July 3, 2019")
    assert t.metrics["duration"]["minutes"] == 260  # the earliest start, 08:40, to the latest resolution, 13:00
    assert t.events[0].corrections[0].detail == "kind set to start (read as other)"
    # An analyst confirms the 09:00 start: metrics measure from confirmed events first.
    confirmed = timeline([folder], SetKind(made(1), ref(before, "E1"), "start"), Confirm(made(2), ref(before, "E2")))
    assert confirmed.metrics["duration"]["minutes"] == 240  # 09:00 → 13:00
    assert [e.confirmed for e in confirmed.events] == [False, True, False, False]
    # With a time, the confirmed time is the event's time; its citation keeps its own reading.
    moved = timeline([folder], Confirm(made(1), ref(before, "E2"), datetime(2019, 7, 3, 9, 5, tzinfo=UTC)))
    start = moved.events[1]
    assert (start.kind, f"{start.span.best:%H:%M}", f"{start.claims[0].span.best:%H:%M}") == ("start", "09:05", "09:00")
    assert moved.metrics["duration"]["minutes"] == 235
    assert start.corrections[0].detail == ("time confirmed as 2019-07-03 09:05 UTC "
                                           "(the sources read 2019-07-03 09:00 UTC, minute)")


def test_set_kind_can_end_a_conflict(folder):
    before = timeline([folder])
    t = timeline([folder], SetKind(made(1, "a partial restoration"), ref(before, "E4"), "mitigated"))
    assert t.conflicts == ()
    assert t.metrics["time_to_mitigate"]["minutes"] == 240


def test_merge_and_split(folder):
    before = timeline([folder])
    merged = timeline([folder], Merge(made(1), ref(before, "E1"), ref(before, "E2")))
    assert len(merged.events) == 3
    first = merged.events[0]
    assert sorted(c.local_text for c in first.claims) == ["08:40 UTC on July 3, 2019", "09:00 UTC on July 3, 2019"]
    # The primary citation is the most precise, then by source name: both are minutes, earlier.txt < story.txt.
    assert first.claims[0].source.endswith("earlier.txt") and first.key == before.events[0].key
    assert first.kind == "start"  # a statement of a milestone outranks "other"
    assert first.merged_because == ("merged by alice (D1)",)
    # Undo it by splitting the story's citations off again.
    split = timeline([folder], Merge(made(1), ref(before, "E1"), ref(before, "E2")),
                     Split(made(2), ref(before, "E1"), SourceRef(str(folder / "story.txt"))))
    assert times(split) == times(before)
    assert [c.label for c in split.events[0].corrections] == ["D1", "D2"]


def test_split_a_quoted_post_from_a_story():
    before = timeline([EXAMPLE])
    ack = next(e for e in before.events if e.kind == "acknowledged")
    verge = str(EXAMPLE / "001_05a724bd71759534.txt")
    assert verge in {c.source for c in ack.claims} and len(ack.claims) == 3
    t = timeline([EXAMPLE], Split(made(1, "the Verge's 'Wednesday morning' is another statement"),
                                  EventRef.to(ack), SourceRef(verge)))
    acks = [e for e in t.events if e.kind == "acknowledged"]
    # "Wednesday morning" is a part of day whose middle (09:00 EDT, 13:00Z) comes before the post's 13:18.
    assert [[c.source.rsplit("/", 1)[1] for c in e.claims] for e in acks] == [
        ["001_05a724bd71759534.txt"], ["facebook-posts.json", "000_218ec5be4a413192.txt"]]
    assert acks[0].claims[0].local_text == "Wednesday morning"
    assert acks[1].key == ack.key and f"{acks[1].span.best:%H:%M}" == "13:18"
    assert all("001_05a724bd71759534.txt" not in why for why in acks[1].merged_because)


def test_note_is_shown_with_its_event_in_markdown_and_html(folder):
    before = timeline([folder])
    t = timeline([folder], Note(made(1, "from the status page archive"), ref(before, "E3"), "see the vendor's RCA"))
    md = render("markdown", t)
    line = next(row for row in md.splitlines() if row.startswith(f"| E3 `{before.events[2].key}`"))
    assert ("✎ *corrected by alice on 2024-05-02 (D1): note: see the vendor's RCA — from the status page archive*"
            in line)
    assert "### Decisions" in md
    assert "corrected by alice on 2024-05-02 (D1): note: see the vendor&#x27;s RCA" in render("html", t)


def test_pin_zone_reads_a_sources_bare_times_in_that_zone(tmp_path):
    (tmp_path / "bare.txt").write_text(BARE)
    before = timeline([tmp_path])
    assert [f"{e.span.best:%H:%M}" for e in before.events] == ["09:00", "11:30"]  # UTC assumed
    t = timeline([tmp_path], PinZone(made(1, "the outlet is in Rome"), SourceRef(str(tmp_path / "bare.txt")),
                                     "Europe/Rome"))
    assert [f"{e.span.best:%H:%M}" for e in t.events] == ["07:00", "09:30"]  # CEST is UTC+2 in July
    (report,) = t.sources
    assert (report.source.zone, report.source.zone_rule) == ("Europe/Rome", "pinned:case")
    assert "corrected by alice on 2024-05-02 (D1): zone pinned to Europe/Rome — the outlet is in Rome" in \
        render("markdown", t)


def test_pin_zone_for_one_author_of_a_posts_export(tmp_path):
    (tmp_path / "posts.json").write_text(POSTS)
    source = SourceRef(str(tmp_path / "posts.json"))
    t = timeline([tmp_path], PinZone(made(1), source, "America/Los_Angeles", "@westcoastco"))
    said = {c.local_text: (f"{c.span.best:%H:%M}", c.span.zone) for e in t.events for c in e.claims}
    assert said["since 08:12 this morning"] == ("15:12", "America/Los_Angeles")  # PDT is UTC-7
    assert said["since 14:30"] == ("14:30", "UTC")  # the other author's words keep the export's zone
    assert len(t.sources) == 1 and t.sources[0].mentions == 4  # two posts' own times, two times in their text
    nobody = timeline([tmp_path], PinZone(made(1), source, "Europe/Paris", "@nobody"))
    assert [(c.status, c.reason) for c in nobody.decisions] == [(Status.ORPHANED, "no post by @nobody in this source")]


def test_set_published_dates_a_story_that_says_today(tmp_path):
    (tmp_path / "undated.txt").write_text(UNDATED)
    assert timeline([tmp_path]).events == ()
    t = timeline([tmp_path], SetPublished(made(1), SourceRef(str(tmp_path / "undated.txt")),
                                          "2024-03-05T12:00:00+00:00"))
    assert [(e.span.best.isoformat(), e.claims[0].local_text) for e in t.events] == [
        ("2024-03-05T10:15:00+00:00", "10:15 UTC today")]


def test_set_role_makes_a_source_official(folder):
    t = timeline([folder], SetRole(made(1), SourceRef(str(folder / "later.txt")), "official"))
    assert [c.official for c in t.conflicts] == ["E4"]
    assert next(r for r in t.sources if r.source.path.endswith("later.txt")).source.role == "official"
    with pytest.raises(ValueError):
        SetRole(made(2), SourceRef("x"), "boss")


def test_decisions_that_find_nothing_are_kept_and_reported(folder):
    gone = EventRef("deadbeef", "E9", "gone.txt", "10:00 UTC", "It broke at 10:00 UTC.", "It broke.")
    t = timeline([folder], Reject(made(1), gone), PinZone(made(2), SourceRef("gone.txt"), "Asia/Tokyo"),
                 Note(made(3), gone, "hello"))
    assert times(t) == times(timeline([folder]))
    assert [(c.label, c.status, c.reason) for c in t.decisions] == [
        ("D1", Status.ORPHANED, "no event cites “10:00 UTC” in gone.txt any more"),
        ("D2", Status.ORPHANED, "no source at that path or with that content in this build"),
        ("D3", Status.ORPHANED, "no event cites “10:00 UTC” in gone.txt any more"),
    ]
    md = render("markdown", t)
    # Markdown escapes the brackets (no text forms a link); they render as written.
    assert "D1 (alice, 2024-05-02 09:30 UTC) E9 (deadbeef): rejected: not part of the incident " \
           "\\[orphaned: no event cites “10:00 UTC” in gone.txt any more\\]" in md
    assert [d["status"] for d in json.loads(render("json", t))["decisions"]] == ["orphaned"] * 3


def test_a_decision_on_a_rejected_event_says_so(folder):
    before = timeline([folder])
    t = timeline([folder], Reject(made(1), ref(before, "E4")), Note(made(2), ref(before, "E4"), "check"))
    assert [(c.label, c.status, c.reason) for c in t.decisions][1] == (
        "D2", Status.ORPHANED, "that event is rejected by D1")


def test_an_edited_source_keeps_its_decisions_by_quote(folder):
    before = timeline([folder])
    decision = Reject(made(1), ref(before, "E4"))
    (folder / "later.txt").write_text("Updated with a correction below.\n\n" + LATER)
    after = timeline([folder], decision)
    assert len(after.events) == 3 and after.rejected[0].key != before.events[3].key
    assert after.decisions[0].status == Status.APPLIED
    assert after.decisions[0].reason == "found by its quote and time text: its source was re-read and its key changed"


def test_explain_shows_a_rejected_event_with_who_rejected_it_and_why(folder):
    from outagetl.explain import explain

    before = timeline([folder])
    key = before.events[3].key
    t = timeline([folder], Reject(made(1, "a different outage"), ref(before, "E4")))
    text = explain(t, key)
    assert text.startswith(f"Rejected event {key}: resolved at 2019-07-03 13:00 UTC (minute)")
    assert "  - corrected by alice on 2024-05-02 (D1): rejected: not part of the incident — a different outage" in text
