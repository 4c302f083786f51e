"""The feed reader: RSS/Atom status feeds via defusedxml; entity declarations are refused."""
import time
from pathlib import Path

import pytest
from hypothesis import given, settings

from outagetl.sources import feed
from outagetl.sources.base import SourceError

from posts_helpers import INPUTS, Z, line_of, only, only_source_errors

REFUSED = "refused: XML with a DOCTYPE/entity declaration (possible entity-expansion attack)"


def test_statuspage_history_rss():
    doc = only("status/history.rss")
    assert doc.source.reader == "feed" and doc.source.type == "status" and doc.source.role == "official"
    assert doc.source.title == "Photoshare Status - Incident History"
    assert doc.source.published == "2019-06-20T20:10:00+00:00"
    notifications, uploads, edge = doc.records
    assert notifications.timestamp == Z("2019-06-20 20:10") and notifications.timestamp_text == "Thu, 20 Jun 2019 20:10:00 +0000"
    assert notifications.text == "Delayed notifications\nResolved - Notifications are being delivered normally again."
    assert uploads.timestamp == Z("2019-07-03 13:18") and uploads.timestamp_text == "Wed, 03 Jul 2019 09:18:00 -0400"
    assert uploads.text == ("Image and video uploads failing\nJul 4, 00:05 UTC\nResolved - This incident has been resolved."
                            "\n\nJul 3, 13:18 UTC\nInvestigating - We are investigating reports of failed uploads.")
    assert uploads.url == "https://status.photoshare.example/incidents/y1k2"
    assert uploads.author == "Photoshare Status - Incident History" and uploads.label is None
    assert "<item>" in line_of("status/history.rss", uploads.line)
    assert edge.timestamp is None and edge.timestamp_text == "Wed, 03 Jul 2019 15:00:00 CEST"
    assert tuple(map(str, edge.flags)) == ("no-zone: timestamp 'Wed, 03 Jul 2019 15:00:00 CEST' has no zone this reader knows; "
                          "not placed in UTC",)
    (skip,) = doc.skipped
    assert (skip.what, skip.reason, skip.line) == ("entry 3: Scheduled maintenance", "no timestamp", 22)


def test_atom_published_before_updated_and_html_content():
    doc = only("status/cloud-status.atom")
    assert doc.source.title == "Example Cloud Status Dashboard Updates"
    first, last = doc.records
    assert first.timestamp == Z("2019-07-03 13:40") and first.timestamp_text == "2019-07-03T06:40:00-07:00"
    assert first.text == "Elevated error rates for Cloud Storage uploads in us-east1\nWe are investigating elevated error rates."
    assert last.timestamp == Z("2019-07-03 23:10")
    assert last.text.endswith("resolved for all affected users as of Wednesday, 2019-07-03 16:05 US/Pacific.")
    assert last.url == "https://status.cloud.example/incidents/abc123"


@pytest.mark.parametrize("name", ["status/billion-laughs.rss", "status/xxe.atom"])
def test_entity_declarations_are_refused_not_expanded(name):
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        only(name)
    assert err.value.reason == REFUSED and str(err.value) == f"{name}: {REFUSED}"
    assert time.monotonic() - started < 2


def test_billion_laughs_is_refused_whatever_its_name(tmp_path):
    with pytest.raises(SourceError, match="entity-expansion"):
        only("status/billion-laughs.rss", tmp_path, "notes.txt")


def test_broken_xml_names_the_line():
    with pytest.raises(SourceError) as err:
        only("status/broken.rss")
    assert err.value.line == 4 and err.value.reason == "invalid XML: mismatched tag: line 4, column 2"  # </channel> on line 4


def test_not_a_feed():
    with pytest.raises(SourceError, match=r"not an RSS or Atom feed \(root element <note>\)"):
        feed.read(Path("n.xml"), "<note><item>x</item></note>", "n.xml")
    with pytest.raises(SourceError, match="invalid XML"):
        feed.read(Path("n.xml"), "just words", "n.xml")


def test_sniff_scores(tmp_path):
    assert feed.sniff(Path("x"), '<?xml version="1.0"?>\n<rss version="2.0">') == 85
    assert feed.sniff(Path("x"), '<feed xmlns="http://www.w3.org/2005/Atom">') == 85
    assert feed.sniff(Path("x"), "<!doctype html><html><p>rss</p>") == 0
    assert only("status/history.rss", tmp_path, "history").source.reader == "feed"


@settings(max_examples=150, deadline=None)
@given(INPUTS)
def test_any_text_gives_records_or_source_error(text):
    only_source_errors(feed, text)


def test_each_entry_is_numbered_with_the_line_its_tag_opens_on():
    text = ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Mail status</title>\n'
            '<item><title>Delays</title><description>Mail is delayed.</description></item>\n\n'
            '<item><title>Outage</title>\n<description>Mail is down.</description></item>\n\n\n\n'
            '<item><title>Planned</title><description>Maintenance tonight.</description></item>\n'
            '</channel></rss>\n')
    doc = feed.read(Path("mail.rss"), text, "mail.rss")
    assert sorted([r.line for r in doc.records] + [s.line for s in doc.skipped]) == [3, 5, 10]
