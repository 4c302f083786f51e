"""The Statuspage reader: one labelled record per update, plus the incident's started_at."""
from pathlib import Path

import pytest
from hypothesis import given, settings

from outagetl.sources import statuspage
from outagetl.sources.base import SourceError

from posts_helpers import INPUTS, Z, line_of, only, only_source_errors, read

UPLOADS = [
    ("started", Z("2019-07-03 12:00:00"), "2019-07-03T08:00:00.000-04:00",
     "Image and video uploads failing: incident started"),
    ("investigating", Z("2019-07-03 13:18:00"), "2019-07-03T09:18:00.000-04:00",
     "We are investigating reports of failed uploads since 08:00 ET."),
    ("identified", Z("2019-07-03 15:02:00"), "2019-07-03T11:02:00.000-04:00",
     "Image and video uploads failing: identified"),
    ("monitoring", Z("2019-07-03 22:40:22.5"), "2019-07-03T18:40:22.500-04:00",
     "A fix has been deployed and we are monitoring the results.\nUploads are recovering."),
    ("resolved", Z("2019-07-04 00:05:00"), "2019-07-03T20:05:00.000-04:00", "This incident has been resolved."),
]


def _check_uploads(doc, name):
    assert doc.source.path == name and doc.source.reader == "statuspage"
    assert doc.source.type == "status" and doc.source.role == "official"
    assert doc.source.title == "Image and video uploads failing"
    assert (doc.source.zone, doc.source.zone_rule) == ("America/New_York", "inferred:page-time-zone")
    assert doc.source.published == "2019-07-03T08:00:00-04:00"
    assert [(r.label, r.timestamp, r.timestamp_text, r.text) for r in doc.records] == UPLOADS
    assert [r.index for r in doc.records] == [0, 1, 2, 3, 4]
    assert {r.source for r in doc.records} == {name}
    assert {r.author for r in doc.records} == {"Photoshare Status"}
    assert {r.url for r in doc.records} == {"https://stspg.example/y1k2"}
    investigating = doc.records[1]
    assert tuple(map(str, investigating.flags)) == ("statuspage-display: display_at 2019-07-03T09:00:00.000-04:00 differs from "
                                   "created_at 2019-07-03T09:18:00.000-04:00 by 18 min; created_at used",)
    assert [tuple(map(str, r.flags)) for r in doc.records if r is not investigating] == [()] * 4


def test_incident_list_gives_one_source_per_incident():
    uploads, notifications = read("status/incidents.json")
    _check_uploads(uploads, "status/incidents.json#y1k2")
    assert '"id": "u1"' in line_of("status/incidents.json", uploads.records[1].line)
    assert notifications.source.path == "status/incidents.json#z9x8"
    assert [(r.label, r.timestamp, r.text) for r in notifications.records] == [
        ("investigating", Z("2019-06-20 20:10"), "Some notifications are delayed."),
        ("resolved", Z("2019-06-20 21:00"), "Notifications are being delivered normally again.")]
    assert [(s.source, s.what, s.reason) for s in notifications.skipped] == [
        ("status/incidents.json#z9x8", "update 3", "not an update object"),
        ("status/incidents.json#z9x8", "update v0 (update)", "not an ISO date-time: 'last tuesday'"),
    ]


def test_single_incident_wrapper_saved_as_txt_is_sniffed():
    doc = only("status/incident-single.txt")
    _check_uploads(doc, "status/incident-single.txt")


def test_bare_incident_object(tmp_path):
    doc = only("status/incident-bare.json", tmp_path, "incident")
    assert [r.label for r in doc.records] == ["started", "investigating", "identified", "monitoring", "resolved"]
    assert {r.author for r in doc.records} == {None}
    assert doc.source.zone is None and doc.source.zone_rule is None


def test_truncated_export_is_a_clear_error():
    with pytest.raises(SourceError) as err:
        only("status/incidents-truncated.json")
    assert err.value.reason == "invalid JSON: Unterminated string starting at (line 39)" and err.value.line == 39
    assert line_of("status/incidents-truncated.json", 39) == '          "body": "A fix h'


def test_incident_without_anything_usable_and_non_incident_json():
    doc = statuspage.read(Path("i.json"), '{"incident": {"name": "Quiet", "impact": "none", "incident_updates": []}}', "i.json")
    assert doc.records == () and [s.reason for s in doc.skipped] == ["incident has no updates and no started_at"]
    with pytest.raises(SourceError, match="no Statuspage incidents found"):
        statuspage.read(Path("i.json"), '{"incidents": [1, 2]}', "i.json")


def test_fictitious_example_reads_in_utc():
    path = Path(__file__).resolve().parents[1] / "data/examples/statuspage-fictitious/incidents.json"
    (doc,) = __import__("outagetl.sources.registry", fromlist=["read_path"]).read_path(path, "incidents.json")
    assert [(r.label, r.timestamp.strftime("%H:%M")) for r in doc.records] == [
        ("started", "15:12"), ("investigating", "15:31"), ("identified", "15:57"), ("identified", "16:19"),
        ("monitoring", "16:48"), ("resolved", "17:26"), ("postmortem", "21:02")]
    assert "since 08:12 PT" in doc.records[2].text and "began at 15:12 UTC" in doc.records[3].text


def test_sniff_scores():
    assert statuspage.sniff(Path("x"), '{"incidents": [{"incident_updates": [') == 90
    assert statuspage.sniff(Path("x"), '{"incidents": [{"name": "x", "impact": "minor"') == 85
    assert statuspage.sniff(Path("x"), "The incident_updates were late") == 0


@settings(max_examples=150, deadline=None)
@given(INPUTS)
def test_any_text_gives_records_or_source_error(text):
    only_source_errors(statuspage, text)
