"""Merging claims into events and conflicts."""
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.cli import main
from outagetl.merge import merge, same_words
from outagetl.model import Claim, TimeSpan
from outagetl.render.json import render

from conftest import EXAMPLE

T0 = datetime(2021, 10, 4, 15, 40, tzinfo=timezone.utc)


def span(minutes, width=0, precision="minute"):
    best = T0 + timedelta(minutes=minutes)
    return TimeSpan(best - timedelta(minutes=width), best, best + timedelta(minutes=width),
                    precision if not width or precision != "minute" else "approximate", "UTC", "explicit")


def claim(source, kind, minutes, quote, width=0, role="press", primary=False, record=0):
    return Claim(source=source, role=role, kind=kind, span=span(minutes, width), summary=quote[:40],
                 quote=quote, local_text=f"+{minutes}", local="", record=record, origin="timestamp" if primary else "text")


POST = "We're aware that some people are having trouble accessing our apps and products. We're working to get things back to normal."


def test_a_story_quoting_a_post_joins_the_post_and_takes_its_time():
    story = claim("story.txt", "acknowledged", 10, f'The company tweeted: "{POST}"', width=60)
    post = claim("post.json", "acknowledged", 2, POST, role="official", primary=True)
    merged = merge([story, post])
    assert len(merged.events) == 1
    event = merged.events[0]
    assert event.span == post.span
    assert [c.source for c in event.claims] == ["post.json", "story.txt"]
    assert "same words" in event.merged_because[0]


def test_same_words_at_incompatible_times_stay_apart():
    a = claim("a.txt", "acknowledged", 0, f'It said: "{POST}"')
    b = claim("b.txt", "acknowledged", 300, f'It said: "{POST}"')
    assert len(merge([a, b]).events) == 2


def test_different_words_at_the_same_time_stay_apart():
    a = claim("a.txt", "start", 0, "The outage began as DNS records for the domains were withdrawn from BGP.")
    b = claim("b.txt", "update", 0, "Shares of the company fell by five percent in afternoon trading on Monday.")
    assert same_words(a, b) < 90
    assert len(merge([a, b]).events) == 2


def test_start_conflict_beyond_tolerance_with_spread():
    a = claim("a.txt", "start", 0, "It went down.", width=15)
    b = claim("b.txt", "start", 90, "Since about then it was down.", width=15)
    c = claim("c.txt", "start", 4, "Outage began.")
    merged = merge([a, b, c])
    assert len(merged.conflicts) == 1
    conflict = merged.conflicts[0]
    assert conflict.kind == "start" and conflict.spread_minutes == 90
    assert len(conflict.events) == 3


def test_overlapping_claims_are_no_conflict_and_updates_never_are():
    a = claim("a.txt", "start", 0, "It went down.", width=15)
    b = claim("b.txt", "start", 10, "Outage began.")
    u1 = claim("a.txt", "update", 60, "Engineers are working on it.")
    u2 = claim("b.txt", "update", 240, "Still working on it.")
    assert merge([a, b, u1, u2]).conflicts == ()


def test_official_claim_is_named_in_a_conflict():
    a = claim("status.json", "resolved", 0, "Resolved.", role="official", primary=True)
    b = claim("story.txt", "resolved", 60, "It came back.")
    assert merge([a, b]).conflicts[0].official == merge([a, b]).events[0].id


def test_one_source_saying_a_milestone_twice_is_one_event():
    a = claim("it.txt", "start", 0, "Since about 15:30 it is down.", width=15, record=1)
    b = claim("it.txt", "start", 0, "Since about 3:30 p.m. it is down.", width=15, record=5)
    assert len(merge([a, b]).events) == 1


def test_in_an_export_of_many_authors_states_twice_is_per_author():
    """alice says twice that it has been down since 11:40 (one statement); bob says so once: his
    is his own statement, not alice's export stating it a third time."""
    def post_claim(author, record, quote):
        return replace(claim("posts.jsonl", "start", 0, quote, record=record), author=author)

    a1 = post_claim("@alice", 1, "Instagram has been down since 11:40 UTC for me")
    b = post_claim("@bob", 2, "Instagram outage, down since 11:40 UTC here too")
    a2 = post_claim("@alice", 3, "Still down. It started at 11:40 UTC")
    events = merge([a1, b, a2]).events
    assert sorted([c.author for c in e.claims] for e in events) == [["@alice", "@alice"], ["@bob"]]
    (joined,) = [e for e in events if len(e.claims) == 2]
    assert joined.merged_because == ("@alice (posts.jsonl) states this start twice",)


def test_two_thousand_authors_at_one_minute_stay_two_thousand_statements():
    claims = [replace(claim("posts.jsonl", "start", 0, f"down since 11:40 UTC, post {n}", record=n),
                      author=f"@user{n // 2}") for n in range(4000)]
    events = merge(claims).events
    assert len(events) == 2000
    assert {tuple(c.author for c in e.claims) for e in events} == {(f"@user{n}", f"@user{n}") for n in range(2000)}


def test_postmortem_lines_at_the_same_minute_stay_apart():
    a = claim("pm.md", "other", 0, "14:02 Traffic shifted to the standby region.", record=1)
    b = claim("pm.md", "other", 0, "14:02 Database failover completed.", record=2)
    assert len(merge([a, b]).events) == 2


def test_claims_outside_the_incident_window_are_left_out():
    a = claim("a.txt", "start", 0, "down")
    b = claim("b.txt", "resolved", 300, "up")
    far = claim("a.txt", "other", 60 * 24 * 90, "another incident")
    merged = merge([a, b, far])
    assert len(merged.events) == 2
    assert "outside the incident window" in merged.skipped[0].reason


@settings(max_examples=30, deadline=None)
@given(st.permutations(list(range(6))))
def test_merge_is_order_independent(order):
    claims = [
        claim("a.txt", "start", 0, "It went down.", width=15),
        claim("b.txt", "start", 90, "Since about then it was down.", width=15),
        claim("post.json", "acknowledged", 20, POST, role="official", primary=True),
        claim("a.txt", "acknowledged", 25, f'It said "{POST}"', width=60, record=3),
        claim("b.txt", "resolved", 400, "Back."),
        claim("a.txt", "resolved", 430, "Fixed."),
    ]
    from outagetl.model import Timeline

    def as_json(cs):
        m = merge(cs)
        return render(Timeline(m.events, m.conflicts, (), m.window))

    assert as_json([claims[i] for i in order]) == as_json(claims)


def test_input_order_does_not_change_the_output():
    files = sorted(str(p) for p in EXAMPLE.iterdir() if p.suffix in (".txt", ".json"))
    runner = CliRunner()
    a = runner.invoke(main, ["build", *files, "--format", "json"]).stdout
    b = runner.invoke(main, ["build", *reversed(files), "--format", "json"]).stdout
    assert a == b and json.loads(a)["events"]


def test_metrics_are_ranges_when_sources_disagree():
    from outagetl.metrics import compute

    claims = [
        claim("a.txt", "start", 0, "It went down.", width=15),
        claim("b.txt", "start", 90, "Since about then it was down.", width=15),
        claim("post.json", "acknowledged", 78, POST, role="official", primary=True),
        claim("c.txt", "resolved", 660, "Back."),
        claim("a.txt", "resolved", 669, "Fixed."),
        claim("b.txt", "resolved", 720, "Resolved."),
    ]
    metrics = compute(merge(claims).events)
    assert metrics["time_to_acknowledge"] == {**metrics["time_to_acknowledge"], "minutes": 78, "min": -12, "max": 78}
    assert (metrics["duration"]["minutes"], metrics["duration"]["min"], metrics["duration"]["max"]) == (720, 570, 720)
    assert (metrics["time_to_resolve"]["minutes"], metrics["time_to_resolve"]["min"]) == (642, 582)
    assert "time_to_mitigate" not in metrics


def test_a_story_paraphrasing_an_official_update_joins_it():
    post = claim("status.json", "acknowledged", 0, "We are investigating elevated error rates for Nimbus Queue publish requests.", role="official", primary=True)
    story = claim("news.txt", "acknowledged", 2, "Examplecorp said it was investigating elevated error rates on Nimbus Queue.")
    unrelated = claim("blog.txt", "acknowledged", 1, "Shares fell as the company confirmed an unrelated data breach.")
    merged = merge([post, story, unrelated])
    assert len(merged.events) == 2
    joined = next(e for e in merged.events if len(e.claims) == 2)
    assert "paraphrases" in joined.merged_because[0]
    assert joined.span == post.span


def test_a_resolution_shortly_before_the_official_all_clear_is_no_conflict():
    post = claim("status.json", "resolved", 62, "All services are working normally again.", role="official", primary=True)
    story = claim("story.txt", "resolved", 55, "By 11:55 the service was working normally again.")
    late = claim("other.txt", "resolved", 90, "It came back at 12:30.")
    assert merge([post, story]).conflicts == ()
    assert merge([post, story, late]).conflicts[0].kind == "resolved"


def test_a_passage_is_sought_in_the_text_whatever_passage_came_before_it():
    # A first passage longer than the text once swapped the two for the passages after it too,
    # so the second was sought in the first passage rather than in the text.
    from outagetl.merge import _found_in

    text = "the billing portal is down and our team is looking into why the invoices fail to load"
    long_first = "a long quoted passage about something else entirely, " * 4
    held = "our team is looking into why the invoices fail to load"
    assert _found_in((held,), text, 0) == 100
    assert _found_in((long_first, held), text, 0) == 100
    assert _found_in((held, long_first), text, 0) == 100


_WORDS = ("the", "login", "service", "was", "down", "for", "users", "in", "europe", "again")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=14), min_size=0, max_size=40))
def test_statements_sharing_three_runs_of_words_are_paired_as_by_counting_every_pair(word_lists):
    """``_shingle_partners`` counts one text's partners at a time; the pairs are those a count over
    every pair of texts gives: three or more shared runs of four words, runs shared by at most
    ``SHINGLE_MAX_CLAIMS`` texts, texts of ``STATEMENT_MIN_CHARS`` or more, in index order."""
    from outagetl.merge import (
        SHINGLE_MAX_CLAIMS,
        SHINGLE_WORDS,
        SHINGLES_SHARED,
        STATEMENT_MIN_CHARS,
        _shingle_partners,
    )

    texts = [" ".join(words) for words in word_lists]

    def runs(text):
        words = text.split()
        return {tuple(words[k:k + SHINGLE_WORDS]) for k in range(max(1, len(words) - SHINGLE_WORDS + 1))}

    long = [i for i, t in enumerate(texts) if len(t) >= STATEMENT_MIN_CHARS]
    holders = {}
    for i in long:
        for run in runs(texts[i]):
            holders[run] = holders.get(run, 0) + 1
    expected = []
    for x, i in enumerate(long):
        for j in long[x + 1:]:
            shared = [r for r in runs(texts[i]) & runs(texts[j]) if holders[r] <= SHINGLE_MAX_CLAIMS]
            if len(shared) >= SHINGLES_SHARED:
                expected.append((i, j))
    assert _shingle_partners(texts) == expected


def test_two_retellings_of_one_update_are_paired_and_a_third_story_is_not():
    from outagetl.merge import _shingle_partners, _statement_words

    texts = [_statement_words(t) for t in (
        "At 14:05 the provider said card payments were failing across the whole network for all customers.",
        "Short.",
        "Card payments were failing across the whole network for all customers, the provider said at 13:05.",
        "The regulator asked the bank for a report on the weekend outage by Friday.",
    )]
    assert _shingle_partners(texts) == [(0, 2)]
