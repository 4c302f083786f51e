"""The Mastodon reader: API statuses with HTML content, boosts and content warnings."""
from pathlib import Path

import pytest
from hypothesis import given, settings

from outagetl.sources import mastodon
from outagetl.sources.base import SourceError

from posts_helpers import INPUTS, Z, line_of, only, only_source_errors


def test_statuses_to_plain_text_records_in_time_order():
    doc = only("posts/mastodon-statuses.json")
    assert doc.source.reader == "mastodon" and doc.source.type == "post" and doc.source.role == "public"
    assert doc.source.title == "Mastodon posts by @netwatch@mastodon.social, @ops_alice@fosstodon.org"
    assert doc.source.published == "2019-07-03T13:40:05.120000+00:00"
    alice, net, boost = doc.records
    assert (alice.timestamp, alice.author, alice.timestamp_text) == (
        Z("2019-07-03 13:40:05.120"), "@ops_alice@fosstodon.org", "2019-07-03T13:40:05.120Z")
    assert alice.text == "outage\n\nFB CDN returning 5xx for uploads & downloads here in Berlin\nstarted ~15:20 CEST"
    assert alice.url == "https://fosstodon.org/@ops_alice/102379900000000002"
    assert net.timestamp == Z("2019-07-03 14:02:31") and net.author == "@netwatch@mastodon.social"
    assert net.text == ("Instagram and Facebook images have been failing to load since about 8 a.m. ET.\n\n"
                        "Status: https://downdetector.example/status/instagram #instagramdown")
    assert boost.timestamp == Z("2019-07-03 15:10:00") and boost.author == "@netwatch@mastodon.social"
    assert boost.text == "boosted @ops_alice@fosstodon.org: FB CDN returning 5xx for uploads & downloads here in Berlin"
    assert boost.url == "https://mastodon.social/users/netwatch/statuses/102380000000000003/activity"
    assert [r.label for r in doc.records] == [None, None, None]
    assert "102379900000000002" in line_of("posts/mastodon-statuses.json", alice.line)
    assert doc.skipped == ()


def test_single_status_and_no_script_execution():
    status = ('{"id": "1", "created_at": "2019-07-03T13:18:00.000Z", "visibility": "public", '
              '"content": "<p>down <script>alert(1)</script>since 9</p>", '
              '"account": {"acct": "a@b.example"}, "url": "https://b.example/@a/1"}')
    doc = mastodon.read(Path("s.json"), status, "s.json")
    (record,) = doc.records
    assert record.text == "down since 9" and record.author == "@a@b.example"
    assert doc.source.title == "@a@b.example on Mastodon"


def test_status_without_time_or_text_is_skipped_with_reason():
    text = ('[{"id": "1", "content": "<p>no time</p>", "account": {"acct": "a"}},'
            ' {"id": "2", "created_at": "2019-07-03T13:18:00Z", "content": "<p></p>", "account": {"acct": "a"}},'
            ' {"id": "3", "created_at": "2019-07-03 13:18", "content": "naive", "account": {"acct": "a"}},'
            ' {"id": "4", "created_at": "2019-07-03T14:00:00+01:00", "content": "ok", "account": {"acct": "a"}},'
            ' 17]')
    doc = mastodon.read(Path("m.json"), text, "m.json")
    assert [(r.text, r.timestamp) for r in doc.records] == [("ok", Z("2019-07-03 13:00")), ("naive", None)]
    assert tuple(map(str, doc.records[1].flags)) == ("no-zone: timestamp '2019-07-03 13:18' has no UTC offset; not placed in UTC",)
    assert [(s.what, s.reason) for s in doc.skipped] == [
        ("item 5", "not a Mastodon status (no content/account)"), ("status 1", "no timestamp"), ("status 2", "no text")]


def test_truncated_and_foreign_json_are_clear_errors():
    with pytest.raises(SourceError) as err:
        mastodon.read(Path("t.json"), '[{"id": "1",\n "content": "<p>cut', "t.json")
    assert err.value.reason == "invalid JSON: Unterminated string starting at (line 2)" and err.value.line == 2
    with pytest.raises(SourceError, match="no Mastodon statuses found"):
        mastodon.read(Path("t.json"), '{"incidents": []}', "t.json")


def test_sniffed_by_content(tmp_path):
    assert only("posts/mastodon-statuses.json", tmp_path, "timeline.txt").source.reader == "mastodon"
    assert mastodon.sniff(Path("x.json"), '{"text": "hi"}') == 0


@settings(max_examples=150, deadline=None)
@given(INPUTS)
def test_any_text_gives_records_or_source_error(text):
    only_source_errors(mastodon, text)


def test_an_account_url_that_is_not_an_address_leaves_the_handle_bare(tmp_path):
    # urllib refuses "h://]" (an unclosed IPv6 host); the status is still read, its handle bare
    path = tmp_path / "statuses.json"
    path.write_text('[{"id": "1", "created_at": "2021-01-04T15:30:00.000Z", "content": "<p>Mail is down.</p>",'
                    ' "account": {"username": "tanaka", "url": "h://]"}}]', encoding="utf-8")
    doc = mastodon.read(path, path.read_text(encoding="utf-8"), "statuses.json")
    assert doc.records[0].author == "@tanaka"
