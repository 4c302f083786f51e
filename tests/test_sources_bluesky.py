"""The Bluesky reader: feed views (server indexedAt preferred) and bare post records."""
from pathlib import Path

import pytest
from hypothesis import given, settings

from outagetl.sources import bluesky
from outagetl.sources.base import SourceError

from posts_helpers import INPUTS, Z, line_of, only, only_source_errors


def test_feed_prefers_indexed_at_and_flags_client_clock():
    doc = only("posts/bluesky-feed.json")
    assert doc.source.reader == "bluesky" and doc.source.type == "post" and doc.source.role == "public"
    assert doc.source.title == "Bluesky posts by @netops.example.com, @statuswatch.bsky.social"
    first, second = doc.records
    assert first.timestamp == Z("2019-07-03 13:18:00") and first.timestamp_text == "2019-07-03T13:18:00Z"
    assert tuple(map(str, first.flags)) == ("bluesky-clock: createdAt 2019-07-03T13:10:00Z differs from indexedAt "
                           "2019-07-03T13:18:00Z by 8 min; indexedAt used",)
    assert first.text == "Photos on Instagram have stopped loading for everyone I know."
    assert first.author == "@statuswatch.bsky.social"
    assert first.url == "https://bsky.app/profile/statuswatch.bsky.social/post/3kabc111111a"
    assert "3kabc111111a" in line_of("posts/bluesky-feed.json", first.line)
    assert second.timestamp == Z("2019-07-03 13:30:01.406") and tuple(map(str, second.flags)) == ()
    assert second.text == "Confirmed: Facebook image CDN errors since 12:05 UTC."


def test_list_records_use_created_at_and_skip_bad_dates():
    doc = only("posts/bluesky-records.json")
    (record,) = doc.records
    assert record.timestamp == Z("2019-07-03 14:45:00") and record.timestamp_text == "2019-07-03T16:45:00.000+02:00"
    assert record.author is None
    assert record.url == "https://bsky.app/profile/did:plc:abc123examplexyz/post/3kabc333333c"
    (skip,) = doc.skipped
    assert skip.what == "post at://did:plc:abc123examplexyz/app.bsky.feed.post/3kabc444444d"
    assert skip.reason == "not an ISO date-time: 'not a date'"


def test_bare_record_and_clock_within_tolerance():
    record = '{"$type": "app.bsky.feed.post", "text": "down", "createdAt": "2019-07-03T13:18:00.000Z"}'
    (only_record,) = bluesky.read(Path("r.json"), record, "r.json").records
    assert only_record.timestamp == Z("2019-07-03 13:18") and tuple(map(str, only_record.flags)) == ()
    view = ('{"posts": [{"uri": "at://did:plc:x/app.bsky.feed.post/k", "author": {"handle": "a.bsky.social"},'
            ' "indexedAt": "2019-07-03T13:22:59Z", "record": {"$type": "app.bsky.feed.post",'
            ' "createdAt": "2019-07-03T13:18:00Z", "text": "down"}}]}')
    (within,) = bluesky.read(Path("v.json"), view, "v.json").records
    assert within.timestamp == Z("2019-07-03 13:22:59") and tuple(map(str, within.flags)) == ()


def test_truncated_json_is_a_clear_error():
    text = (Path(__file__).parent / "data/posts/bluesky-feed.json").read_text()[:300]
    with pytest.raises(SourceError) as err:
        bluesky.read(Path("f.json"), text, "f.json")
    assert err.value.reason.startswith("invalid JSON: ") and err.value.line == int(err.value.reason.split("line ")[1][:-1])


def test_sniffed_by_content(tmp_path):
    assert only("posts/bluesky-feed.json", tmp_path, "feed").source.reader == "bluesky"
    assert bluesky.sniff(Path("x.json"), "hello") == 0


@settings(max_examples=150, deadline=None)
@given(INPUTS)
def test_any_text_gives_records_or_source_error(text):
    only_source_errors(bluesky, text)
