"""The Statuspage reader: one labelled record per update, plus the incident's own started_at,
monitoring_at and resolved_at where no update already states that instant."""
from pathlib import Path

import pytest
from hypothesis import given, settings

from outagetl.sources import statuspage
from outagetl.sources.base import SourceError

from posts_helpers import INPUTS, Z, line_of, only, only_source_errors, read

UPLOADS = [
    ("started", Z("2019-07-03 12:00:00"), "2019-07-03T08:00:00.000-04:00",
     "Image and video uploads failing: incident started (started_at)"),
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
    # resolved_at is 20:05:00.000-04:00, the instant of update u4 (resolved): cited once, as the update.
    assert [(s.what, s.reason) for s in doc.skipped] == [
        ("resolved_at", "the same instant as update u4 (resolved), which is cited instead")]


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
    assert doc.records == () and [s.reason for s in doc.skipped] == ["incident has no updates and no started_at, monitoring_at or resolved_at"]
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


# An incident whose export kept only its last update: the incident's own fields still say when it
# started and went to monitoring (times worked out by hand: -07:00 is PDT, so 06:40 local = 13:40Z).
def _ferry(updates, **fields):
    incident = {"id": "fq1", "name": "Ferry booking unavailable", "impact": "major",
                "shortlink": "https://stspg.example/fq1",
                "started_at": "2023-08-14T06:40:00.000-07:00",
                "monitoring_at": "2023-08-14T08:05:30.000-07:00",
                "resolved_at": "2023-08-14T08:52:10.000-07:00", "incident_updates": updates}
    incident.update(fields)
    return incident


RESOLVED_ONLY = [{"id": "f9", "status": "resolved", "body": "Bookings are being taken normally again.",
                  "created_at": "2023-08-14T08:52:10.000-07:00", "display_at": "2023-08-14T08:52:10.000-07:00"}]


def _records(doc):
    return [(r.label, r.timestamp.strftime("%H:%M:%S"), r.text) for r in doc.records]


def test_a_short_update_list_is_completed_by_the_incident_fields():
    import json

    doc = statuspage.read(Path("p.json"), json.dumps({"incidents": [_ferry(RESOLVED_ONLY)]}, indent=2), "p.json")
    assert _records(doc) == [
        ("started", "13:40:00", "Ferry booking unavailable: incident started (started_at)"),
        ("monitoring", "15:05:30", "Ferry booking unavailable: status set to monitoring (monitoring_at)"),
        ("resolved", "15:52:10", "Bookings are being taken normally again."),
    ]
    assert [(s.what, s.reason) for s in doc.skipped] == [
        ("resolved_at", "the same instant as update f9 (resolved), which is cited instead")]


def test_each_field_is_cited_by_its_own_line_in_every_shape(tmp_path):
    import json

    shapes = {
        "list.json": json.dumps({"page": {"name": "Ferries"}, "incidents": [_ferry(RESOLVED_ONLY)]}, indent=2),
        "single.json": json.dumps({"incident": _ferry(RESOLVED_ONLY)}, indent=1),
        "bare.json": json.dumps(_ferry(RESOLVED_ONLY), indent=4),
    }
    for name, text in shapes.items():
        doc = statuspage.read(Path(name), text, name)
        lines = text.split("\n")
        by_label = {r.label: r for r in doc.records}
        assert '"started_at": "2023-08-14T06:40:00.000-07:00"' in lines[by_label["started"].line - 1], name
        assert '"monitoring_at": "2023-08-14T08:05:30.000-07:00"' in lines[by_label["monitoring"].line - 1], name
        assert '"id": "f9"' in lines[by_label["resolved"].line - 1], name
    # Minified: one line holds everything, and the value is still found under its own key.
    doc = statuspage.read(Path("m.json"), json.dumps(_ferry(RESOLVED_ONLY), separators=(",", ":")), "m.json")
    assert {r.line for r in doc.records} == {1}


def test_a_backdated_resolution_is_a_claim_of_its_own_beside_the_update():
    # The operator set resolved_at 25 minutes before posting the resolving update: both instants stand.
    doc = statuspage.read(Path("p.json"), __import__("json").dumps(
        _ferry(RESOLVED_ONLY, resolved_at="2023-08-14T08:27:10.000-07:00")), "p.json")
    assert [(label, t) for label, t, _ in _records(doc)] == [
        ("started", "13:40:00"), ("monitoring", "15:05:30"), ("resolved", "15:27:10"), ("resolved", "15:52:10")]
    assert doc.skipped == ()


def test_the_same_instant_is_within_a_minute_and_of_the_same_status():
    import json

    # 40 s after the update: the same instant. 3 min: another. A monitoring_at at the instant of an
    # investigating update is another milestone, kept (at one instant, the fields come first).
    near = statuspage.read(Path("p.json"), json.dumps(_ferry(RESOLVED_ONLY, resolved_at="2023-08-14T08:52:50-07:00")), "p.json")
    assert [s.what for s in near.skipped] == ["resolved_at"]
    far = statuspage.read(Path("p.json"), json.dumps(_ferry(RESOLVED_ONLY, resolved_at="2023-08-14T08:55:10-07:00")), "p.json")
    assert [r.label for r in far.records].count("resolved") == 2 and far.skipped == ()
    looking = [{"id": "f1", "status": "investigating", "body": "Looking into failed bookings.",
                "created_at": "2023-08-14T08:05:30.000-07:00"}]
    other = statuspage.read(Path("p.json"), json.dumps(_ferry(looking, resolved_at=None)), "p.json")
    assert [(label, t) for label, t, _ in _records(other)] == [
        ("started", "13:40:00"), ("monitoring", "15:05:30"), ("investigating", "15:05:30")]


def test_empty_or_unreadable_fields_add_nothing_silently():
    import json

    doc = statuspage.read(Path("p.json"), json.dumps(_ferry(RESOLVED_ONLY, monitoring_at=None, started_at="",
                                                             resolved_at="after lunch")), "p.json")
    assert [r.label for r in doc.records] == ["resolved"]
    assert [(s.what, s.reason) for s in doc.skipped] == [("resolved_at", "not an ISO date-time: 'after lunch'")]


def test_incident_fields_become_claims_of_their_milestones(tmp_path):
    import json

    from outagetl.pipeline import build

    (tmp_path / "ferry.json").write_text(json.dumps({"incidents": [_ferry(RESOLVED_ONLY)]}), encoding="utf-8")
    events = build([str(tmp_path)]).timeline.events
    got = [(e.kind, e.span.best.strftime("%H:%M:%S"), e.claims[0].role, e.claims[0].quote) for e in events]
    assert got == [
        ("start", "13:40:00", "official", "Ferry booking unavailable: incident started (started_at)"),
        ("mitigated", "15:05:30", "official", "Ferry booking unavailable: status set to monitoring (monitoring_at)"),
        ("resolved", "15:52:10", "official", "Bookings are being taken normally again."),
    ]
    assert all(len(e.claims) == 1 for e in events)
