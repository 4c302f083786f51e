"""The Twitter reader: v1.1 and v2 JSON, the archive's tweets.js, CSV exports."""
import locale
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.sources import posts, twitter
from outagetl.sources.base import SourceError

from posts_helpers import INPUTS, Z, bytes_only_source_errors, line_of, only, only_source_errors

FACEBOOK = ("We’re aware that some people are having trouble uploading or sending images, videos and "
            "other files on our apps. We're sorry for the trouble and are working to get things back "
            "to normal as quickly as possible. #facebookdown")
RESOLVED = ("Earlier today, some people and businesses experienced trouble uploading or sending images, "
            "videos and other files on our apps. The issue has since been resolved and we should be "
            "back at 100% for everyone. We’re sorry for any inconvenience.")


def test_v11_list_ordered_by_time_with_retweet_and_bad_date_skipped():
    doc = only("posts/twitter-v11.json")
    assert doc.source.reader == "twitter" and doc.source.type == "post" and doc.source.role == "public"
    assert doc.source.title == "Twitter posts by @facebook, @instagram, @outage_watcher"
    assert doc.source.published == "2019-07-03T13:18:00+00:00"
    assert [r.timestamp for r in doc.records] == [Z("2019-07-03 13:18:00"), Z("2019-07-03 14:53:41"),
                                                  Z("2019-07-03 16:02:10")]
    assert [r.index for r in doc.records] == [0, 1, 2]
    fb, ig, rt = doc.records
    assert fb.text == FACEBOOK and fb.author == "@facebook" and fb.label is None
    assert fb.timestamp_text == "Wed Jul 03 13:18:00 +0000 2019"
    assert fb.url == "https://twitter.com/facebook/status/1146414990349508608"
    assert ig.text.startswith("We're aware that some people are having trouble uploading or sending images & videos.")
    assert rt.author == "@outage_watcher"
    assert rt.text == ("RT @facebook: We’re aware that some people are having trouble uploading or sending "
                       "images, videos and other files on our apps. We're sorry for the trouble.")
    for record in doc.records:
        assert record.source == "posts/twitter-v11.json" and tuple(map(str, record.flags)) == ()
        assert record.url.rsplit("/", 1)[1] in line_of("posts/twitter-v11.json", record.line)
    (skip,) = doc.skipped
    assert skip.what == "tweet 1146460000000000002"
    assert skip.reason == "not a Twitter date: 'yesterday afternoon'"
    assert "1146460000000000002" in line_of("posts/twitter-v11.json", skip.line)


def test_search_statuses_wrapper():
    doc = only("posts/twitter-search.json")
    (record,) = doc.records
    assert record.text == FACEBOOK and record.timestamp == Z("2019-07-03 13:18:00")
    assert doc.source.title == "@facebook on Twitter"


def test_v2_resolves_author_id_and_skips_tweet_without_created_at():
    doc = only("posts/twitter-v2.json")
    assert [(r.timestamp, r.author, r.text) for r in doc.records] == [
        (Z("2019-07-03 13:18:00"), "@facebook", FACEBOOK),
        (Z("2019-07-04 01:37:00"), "@facebook", RESOLVED),
    ]
    assert doc.records[0].timestamp_text == "2019-07-03T13:18:00.000Z"
    assert doc.records[1].url == "https://twitter.com/facebook/status/1146600000000000000"
    (skip,) = doc.skipped
    assert skip.what == "tweet 1146600000000000009" and skip.reason == "no timestamp"


def test_archive_tweets_js_is_parsed_not_evaluated():
    doc = only("posts/tweets.js")
    assert doc.source.reader == "twitter" and doc.source.title == "Twitter posts"
    assert [(r.timestamp, r.text, r.author) for r in doc.records] == [
        (Z("2019-07-03 13:18:00"), FACEBOOK, None), (Z("2019-07-04 01:37:00"), RESOLVED, None)]
    assert doc.records[0].url == "https://twitter.com/i/web/status/1146414990349508608"
    assert "1146414990349508608" in line_of("posts/tweets.js", doc.records[0].line)


def test_archive_without_prefix_still_reads():
    doc = only("posts/tweets-noprefix.js")
    assert [r.timestamp for r in doc.records] == [Z("2019-07-03 13:18:00"), Z("2019-07-04 01:37:00")]


def test_garbage_archive_is_a_clear_error():
    with pytest.raises(SourceError) as err:
        only("posts/tweets-garbage.js")
    assert err.value.reason == "invalid JSON: Unterminated string starting at (line 49)"
    assert err.value.line == 49 and '"created_at" : "Thu Jul 04 01:' in line_of("posts/tweets-garbage.js", 49)
    assert "Traceback" not in str(err.value) and "\n" not in str(err.value)


def test_truncated_json_names_the_line():
    with pytest.raises(SourceError) as err:
        only("posts/twitter-truncated.json")
    assert err.value.reason == "invalid JSON: Unterminated string starting at (line 1)"
    assert err.value.line == 1
    assert str(err.value) == "posts/twitter-truncated.json:1: invalid JSON: Unterminated string starting at (line 1)"


def test_csv_export_with_header_variants_and_multiline_cells():
    doc = only("posts/tweets.csv")
    assert doc.source.reader == "twitter"
    stamped = [r for r in doc.records if r.timestamp]
    assert [(r.timestamp, r.author, r.line) for r in stamped] == [
        (Z("2019-07-03 13:18:00"), "@facebook", 2), (Z("2019-07-03 14:53:41"), "@instagram", 3)]
    assert stamped[0].url == "https://twitter.com/facebook/status/1146414990349508608"
    assert stamped[1].url == "https://twitter.com/instagram/status/1146438901235163137"
    assert stamped[1].text == ('Line one of a post\nthat continues on a second line, with "quotes" & an ampersand')
    (bare,) = [r for r in doc.records if r.timestamp is None]
    assert bare.index == 2 and bare.line == 6 and bare.timestamp_text == "2019-07-03 17:30:00"
    assert tuple(map(str, bare.flags)) == ("no-zone: timestamp '2019-07-03 17:30:00' has no UTC offset; not placed in UTC",)
    (skip,) = doc.skipped
    assert skip.line == 5 and skip.reason == "not an RFC 822 date: 'sometime on Wednesday'"


def test_twint_csv_joins_date_time_and_zone():
    doc = only("posts/twint.csv")
    (record,) = doc.records
    assert record.timestamp == Z("2019-07-03 13:18:00") and record.timestamp_text == "2019-07-03 09:18:00 -0400"
    assert record.author == "@facebook" and record.url == "https://twitter.com/facebook/status/1146414990349508608"


def test_csv_without_text_column_is_a_clear_error():
    with pytest.raises(SourceError) as err:
        only("posts/tweets-notext.csv")
    assert err.value.reason == ("CSV has no text column (looked for text, full_text, content); "
                                "its columns are: date, username, likes, retweets")
    assert err.value.line == 1


def test_sniff_on_content_not_name(tmp_path):
    assert only("posts/twitter-v11.json", tmp_path, "saved-from-browser.txt").source.reader == "twitter"
    assert only("posts/tweets.js", tmp_path, "part0").source.reader == "twitter"
    assert only("posts/tweets.csv", tmp_path, "export.dat").source.reader == "twitter"
    assert twitter.sniff(Path("tweets.json"), "Just some text about tweets.") == 0
    assert twitter.sniff(Path("x"), "window.YTD.tweets.part0 = [") == 90
    assert twitter.sniff(Path("x"), "text,created_at\nhi,2019-07-03T13:18:00Z\n") == 70
    assert twitter.sniff(Path("x"), "date,username,likes\n") == 40
    assert twitter.sniff(Path("x"), "timestamp,level,message\n") == 0
    assert twitter.sniff(Path("x"), '[{"id": "1", "author_id": "2", "text": "x"}]') == 85


ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@pytest.mark.parametrize("month", range(1, 13))
def test_v11_dates_every_month_with_offsets(month):
    local = datetime(2019, month, 28, 23, 45, 7)
    raw = f"{ENGLISH_DAYS[local.weekday()]} {ENGLISH_MONTHS[month - 1]} 28 23:45:07 +0530 2019"
    expected = (local - timedelta(hours=5, minutes=30)).replace(tzinfo=timezone.utc)
    assert posts.parse_v11(raw) == expected
    assert posts.weekday_flag(raw, expected) == ()


def test_v11_parsing_ignores_the_machine_locale():
    saved = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "es_ES.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            assert posts.parse_v11("Wed Jul 03 13:18:00 +0000 2019") == Z("2019-07-03 13:18:00")
        finally:
            locale.setlocale(locale.LC_TIME, saved)
    source = Path(posts.__file__).read_text() + Path(twitter.__file__).read_text()
    assert "strptime" not in source and "%a" not in source and "%b" not in source


def test_v11_rejects_impossible_and_localised_dates_and_flags_wrong_weekday():
    for raw in ("Mié Jul 03 13:18:00 +0000 2019", "Wed Jul 32 13:18:00 +0000 2019", "Wed Jul 03 13:18 2019",
                "Fri Dec 31 23:59:59 -0500 9999"):
        with pytest.raises(ValueError):
            posts.parse_v11(raw)
    stamp = posts.parse_v11("Fri Jul 03 13:18:00 +0000 2019")
    assert tuple(map(str, posts.weekday_flag("Fri Jul 03 13:18:00 +0000 2019", stamp))) == (
        "weekday-mismatch: 'Fri Jul 03 13:18:00 +0000 2019' names Fri but that date is a Wed",)


@settings(max_examples=150, deadline=None)
@given(INPUTS)
def test_any_text_gives_records_or_source_error(text):
    only_source_errors(twitter, text)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_gives_records_or_source_error(data):
    bytes_only_source_errors(twitter, data)
