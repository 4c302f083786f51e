"""Stable event keys: derived from the source's bytes and the span of the primary citation, the same in
``build`` and in a case file, unchanged when other sources are added, accepted wherever an id is."""
import hashlib
import json

from click.testing import CliRunner

from outagetl.cli import main
from outagetl.keys import find_event
from outagetl.pipeline import build

STORY = ("Service outage hits ExampleCo\n\n"
         "The ExampleCo outage began at 09:00 UTC on July 3, 2019, engineers said. "
         "The company said the problem was resolved at 11:30 UTC.\n")
EARLIER = "Users of ExampleCo first reported errors at 08:40 UTC on July 3, 2019, on social media.\n"


def run(*args):
    return CliRunner().invoke(main, list(args))


def by_hand(data: bytes, record: int, text: str, written: str) -> str:
    """The key as the README defines it: SHA-256 of the file, the record index and the span of the time."""
    start = text.index(written)
    material = "\x1f".join([hashlib.sha256(data).hexdigest(), str(record), str(start), str(start + len(written))])
    return hashlib.sha256(material.encode()).hexdigest()[:8]


def test_key_is_the_files_digest_and_the_span_of_the_time(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    data = story.read_bytes()
    events = json.loads(run("build", str(story), "--format", "json").stdout)["events"]
    # Record 0 is the headline; record 1 the sentence of the start, record 2 that of the resolution.
    sentence1 = "The ExampleCo outage began at 09:00 UTC on July 3, 2019, engineers said."
    sentence2 = "The company said the problem was resolved at 11:30 UTC."
    assert [(e["kind"], e["time"]) for e in events] == [("start", "2019-07-03T09:00:00Z"),
                                                        ("resolved", "2019-07-03T11:30:00Z")]
    assert events[0]["key"] == by_hand(data, 1, sentence1, "09:00 UTC on July 3, 2019")
    assert events[1]["key"] == by_hand(data, 2, sentence2, "11:30 UTC")
    assert all(e["key"] == e["sources"][0]["key"] for e in events)


def test_adding_a_source_renumbers_ids_but_keeps_keys(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    first = build([str(tmp_path / "story.txt")]).timeline
    (tmp_path / "earlier.txt").write_text(EARLIER)
    both = build([str(tmp_path)]).timeline
    start = first.events[0]
    assert start.id == "E1"
    again = find_event(both.events, start.key)
    assert again.id == "E2" and again.summary == start.summary
    assert both.events[0].summary.startswith("Users of ExampleCo first reported errors")


def test_the_same_bytes_under_another_name_keep_their_keys(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(STORY)
    (tmp_path / "b" / "renamed.txt").write_text(STORY)
    keys = [[e.key for e in build([str(tmp_path / d)]).timeline.events] for d in ("a", "b")]
    assert keys[0] == keys[1] and len(set(keys[0])) == 2


def test_explain_takes_a_key_or_an_id(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    key = json.loads(run("build", str(story), "--format", "json").stdout)["events"][1]["key"]
    by_key = run("explain", key, str(story))
    assert by_key.exit_code == 0, by_key.output
    assert by_key.stdout.startswith(f"E2 ({key}): resolved at 2019-07-03 11:30 UTC")
    assert run("explain", "e2", str(story)).stdout == by_key.stdout
    missing = run("explain", "00000000", str(story))
    assert missing.exit_code == 2 and "no event '00000000'" in missing.output


def test_markdown_and_table_show_the_key_beside_the_id(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    key = build([str(story)]).timeline.events[0].key
    assert f"| E1 `{key}` | 2019-07-03 09:00 |" in run("build", str(story), "--format", "markdown").stdout
    table = run("build", str(story), "--format", "table").stdout.splitlines()
    row = next(i for i, line in enumerate(table) if line.startswith("| E1 "))
    assert table[row + 1].startswith(f"| {key} ")
