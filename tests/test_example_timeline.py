"""The Facebook/Instagram outage of 2019-07-03, against a timeline written by hand from the stories."""
import json
from pathlib import Path

from click.testing import CliRunner

from outagetl.cli import main

from conftest import EXAMPLE

EXPECTED = json.loads((Path(__file__).parent / "expected" / "facebook-2019-07-03.json").read_text())


def _build(*args):
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_events_match_the_hand_written_timeline():
    got = _build()["events"]
    assert len(got) == len(EXPECTED["events"])
    for want, event in zip(EXPECTED["events"], got, strict=True):
        for key in ("kind", "time", "earliest", "latest", "precision"):
            if key in want:
                assert event[key] == want[key], (key, event)
        if "time_within" in want:
            assert want["time_within"][0] < event["time"] < want["time_within"][1], event
        assert [Path(s["source"]).name for s in event["sources"]] == want["sources"]
        assert all(s.get("evidence", False) == want.get("evidence", False) for s in event["sources"])
        if "local_text" in want:
            assert [s["local_text"] for s in event["sources"]] == want["local_text"]
        if "flags" in want:
            assert event["flags"] == want["flags"]
        for name, flag in want.get("citation_flags", {}).items():
            cited = [s for s in event["sources"] if Path(s["source"]).name == name]
            assert any(flag in f for f in cited[0]["flags"]), cited


def test_conflicts_match():
    data = _build()
    ids = [e["id"] for e in data["events"]]
    got = [(c["kind"], c["events"], c["spread_minutes"], c["evidence"]) for c in data["conflicts"]]
    want = [(c["kind"], [ids[i] for i in c["events"]], c["spread_minutes"], [ids[i] for i in c["evidence"]])
            for c in EXPECTED["conflicts"]]
    assert got == want


def test_nothing_from_outside_the_incident_is_on_the_timeline():
    data = _build()
    texts = [s["local_text"] for e in data["events"] for s in e["sources"]]
    assert not any(t in ("in March", "since at least 2016", "this year", "In March") for t in texts)
    skipped = {s["what"]: s["reason"] for src in data["sources"] for s in src["skipped"]}
    assert "coarser than a day" in skipped["'in March'"]
    assert "coarser than a day" in skipped["'since at least 2016'"]


def test_the_same_statement_is_one_event():
    data = _build()
    quoted = [e for e in data["events"] if any("We’re aware" in s["quote"] for s in e["sources"])]
    assert len(quoted) == 1


def test_sources_report_zone_and_rule():
    by_name = {Path(s["path"]).name: s for s in _build()["sources"]}
    assert by_name["002_3827cacdeaa1e152.txt"]["zone"] == "Europe/Rome"
    assert by_name["002_3827cacdeaa1e152.txt"]["zone_rule"] == "pinned:manifest"
    assert by_name["000_218ec5be4a413192.txt"]["zone"] == "America/New_York"
    assert by_name["000_218ec5be4a413192.txt"]["zone_rule"] == "inferred:zone-in-source"


def test_output_is_byte_identical_across_runs():
    runner = CliRunner()
    for fmt in ("json", "markdown", "csv", "table"):
        a = runner.invoke(main, ["build", str(EXAMPLE), "--format", fmt]).stdout
        b = runner.invoke(main, ["build", str(EXAMPLE), "--format", fmt]).stdout
        assert a == b and a


def test_conflicts_show_what_the_logs_saw():
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--format", "markdown"])
    # the synthetic CDN log: 5xx from 12:02 to 23:51 UTC, by the generator's design
    assert result.stdout.count("logs: synthetic-cdn-access.log errors 12:02–23:51 UTC") == 2


def test_the_acknowledgement_conflict_lists_every_reading():
    """The post says 13:18Z; 000 writes "9:18 AM EST" in July: read as EDT, 13:18Z, and taken as
    written (UTC-05:00), 14:18Z; 001's "Wednesday morning" is 06:00–12:00 EDT, 10:00–16:00Z."""
    (ack,) = [c for c in _build()["conflicts"] if c["kind"] == "acknowledged"]
    got = [(Path(r["source"]).name, r["time"], r["taken"], r["role"]) for r in ack["readings"]]
    assert got == [
        ("001_05a724bd71759534.txt", "2019-07-03T13:00:00Z", "as-read", "press"),
        ("facebook-posts.json", "2019-07-03T13:18:00Z", "as-read", "official"),
        ("000_218ec5be4a413192.txt", "2019-07-03T13:18:00Z", "as-read", "press"),
        ("000_218ec5be4a413192.txt", "2019-07-03T14:18:00Z", "zone-as-written", "press"),
    ]
    assert ack["readings"][0]["earliest"] == "2019-07-03T10:00:00Z" and ack["readings"][0]["latest"] == "2019-07-03T16:00:00Z"
    assert ack["official"] == ack["events"][0] and ack["basis"] == "milestone"
