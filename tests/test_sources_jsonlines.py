"""The JSON Lines reader: mixed post shapes per line; a bad line is skipped, the rest kept."""
from pathlib import Path

import pytest
from hypothesis import given, settings

from outagetl.sources import jsonlines
from outagetl.sources.base import SourceError

from posts_helpers import INPUTS, Z, only, only_source_errors


def test_mixed_platforms_bad_line_skipped_nothing_else_lost():
    doc = only("posts/posts.jsonl")
    assert doc.source.reader == "jsonlines" and doc.source.type == "post" and doc.source.role == "public"
    assert doc.source.title == ("Social media posts by @facebook, @netwatch@mastodon.social, "
                                "@statuswatch.bsky.social")
    assert [(r.line, r.timestamp, r.author) for r in doc.records] == [
        (1, Z("2019-07-03 13:18:00"), "@facebook"),
        (6, Z("2019-07-03 13:18:00"), "@statuswatch.bsky.social"),
        (5, Z("2019-07-03 14:02:31"), "@netwatch@mastodon.social"),
        (8, Z("2019-07-03 14:45:00"), None),
        (2, Z("2019-07-04 01:37:00"), "@facebook"),
    ]
    assert [r.index for r in doc.records] == [0, 1, 2, 3, 4]
    assert doc.records[0].text.startswith("We’re aware that some people")
    assert str(doc.records[1].flags[0]).startswith("bluesky-clock: createdAt 2019-07-03T13:10:00Z")
    assert doc.records[2].text.startswith("Instagram and Facebook images have been failing")
    assert doc.records[4].url == "https://twitter.com/facebook/status/1146600000000000000"
    assert [(s.line, s.what, s.reason) for s in doc.skipped] == [
        (3, "line 3", "invalid JSON: Unterminated string starting at (column 82)"),
        (7, "line 7", "not a post or status (keys: kind, seq)"),
    ]


def test_log_shaped_lines_are_left_to_the_log_reader():
    text = (Path(__file__).parent / "data/posts/service-logs.jsonl").read_text()
    assert jsonlines.sniff(Path("service-logs.jsonl"), text) == 0
    assert only("posts/service-logs.jsonl").source.reader != "jsonlines"


def test_sniff_needs_post_shaped_lines_not_a_single_document():
    one = '{"created_at": "Wed Jul 03 13:18:00 +0000 2019", "full_text": "x", "id_str": "1"}'
    assert jsonlines.sniff(Path("x"), one + "\n" + one + "\n") == 92
    assert jsonlines.sniff(Path("x"), one + "\n") == 0
    assert jsonlines.sniff(Path("x"), "{\n" + one[1:]) == 0
    assert jsonlines.sniff(Path("x"), "[" + one + ",\n" + one + "]") == 0


def test_long_first_line_is_sniffed_from_the_file(tmp_path):
    long_tweet = ('{"created_at": "Wed Jul 03 13:18:00 +0000 2019", "id_str": "1", "full_text": "down", '
                  '"user": {"screen_name": "a", "description": "' + "x" * 5000 + '"}}')
    path = tmp_path / "stream.jsonl"
    path.write_text(long_tweet + "\n" + long_tweet.replace('"1"', '"2"') + "\n")
    assert jsonlines.sniff(path, path.read_text()[:4096]) == 92
    (doc,) = __import__("outagetl.sources.registry", fromlist=["x"]).read_path(path, "stream.jsonl")
    assert doc.source.reader == "jsonlines" and [r.line for r in doc.records] == [1, 2]


def test_all_bad_lines_is_a_clear_error():
    with pytest.raises(SourceError) as err:
        jsonlines.read(Path("x.jsonl"), "not json\n{also not", "x.jsonl")
    assert err.value.reason == ("not JSON Lines of posts: no line is valid JSON; "
                                "line 1: invalid JSON: Expecting value (column 1)")
    assert err.value.line == 1
    with pytest.raises(SourceError, match="no post or status on any line"):
        jsonlines.read(Path("x.jsonl"), '{"level": "info", "msg": "ok"}\n', "x.jsonl")


def test_sniffed_regardless_of_extension(tmp_path):
    assert only("posts/posts.jsonl", tmp_path, "posts.log").source.reader == "jsonlines"


@settings(max_examples=150, deadline=None)
@given(INPUTS)
def test_any_text_gives_records_or_source_error(text):
    only_source_errors(jsonlines, text)
