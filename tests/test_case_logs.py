"""Logs and metrics in a case file: stored once as their per-minute counts and notable lines, never
their lines, and rebuilt into the very ``SourceDoc`` (``LogSeries`` and all) the log reader gave."""
import json
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import fields
from pathlib import Path

import pytest

from outagetl.case import Case
from outagetl.logs.series import LogSeries
from outagetl.sources import registry

from conftest import EXAMPLE, ROOT, ok, run

LOGS = ROOT / "tests" / "data" / "logs"
CDN = EXAMPLE / "synthetic-cdn-access.log"


@pytest.mark.parametrize("name", sorted(p.name for p in LOGS.iterdir()))
def test_a_stored_log_is_the_series_the_reader_gave(tmp_path, name):
    src = LOGS / name
    (read,) = registry.read_path(src, str(src))
    with Case.create(tmp_path / "c.db") as case:
        added, errors = case.add([str(src)])
        assert not errors and [a.status for a in added] == ["added"]
        (stored,) = case.docs()[0]
    a, b = read.series, stored.series
    assert isinstance(b, LogSeries)
    assert a.minutes.equals(b.minutes)
    for f in fields(LogSeries):
        if f.name not in ("minutes", "record_times"):
            assert getattr(a, f.name) == getattr(b, f.name), f.name
    assert dict(a.record_times) == dict(b.record_times)
    assert stored.records == read.records and stored.skipped == read.skipped
    assert stored.source.type == read.source.type and stored.source.zone == read.source.zone


@pytest.mark.parametrize("name", sorted(p.name for p in LOGS.iterdir()))
def test_a_case_builds_a_log_as_build_does(tmp_path, name):
    src = LOGS / name
    ok("case", "init", tmp_path / "c.db")
    ok("case", "add", tmp_path / "c.db", src)
    for options in ((), ("--year", "2019")):
        direct = ok("build", src, "--format", "json", *options).stdout
        assert ok("case", "build", tmp_path / "c.db", "--format", "json", *options).stdout == direct


def test_the_example_with_its_log_builds_the_same_from_a_case(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE, tmp_path / "data" / "examples" / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    folder = f"data/examples/{EXAMPLE.name}/"
    ok("case", "init", "fb.db")
    assert "5 sources added or replaced" in ok("case", "add", "fb.db", folder).stderr
    for fmt in ("json", "markdown", "html", "csv", "table"):
        assert ok("case", "build", "fb.db", "--format", fmt).stdout == ok("build", folder, "--format", fmt).stdout


def test_a_log_is_stored_as_minutes_and_notable_lines_not_its_lines(tmp_path):
    text = CDN.read_text()
    lines = text.splitlines()
    # By hand, from the file: its minutes, and its first and last 5xx line (the notable lines kept).
    stamps = re.findall(r"\[(\d\d/\w{3}/\d{4}:\d\d:\d\d):\d\d \+0000\]", text)
    errors = [n for n, line in enumerate(lines, 1) if re.search(r'" 5\d\d ', line)]
    with Case.create(tmp_path / "c.db") as case:
        case.add([str(CDN)])
    with closing(sqlite3.connect(tmp_path / "c.db")) as conn:
        minutes = conn.execute("SELECT count(*), sum(total), sum(errors) FROM log_minute").fetchone()
        notable = conn.execute("SELECT line, text FROM log_record ORDER BY idx").fetchall()
        content = conn.execute("SELECT count(*) FROM content").fetchone()[0]
    assert minutes == (len(set(stamps)), len(lines), len(errors))
    assert notable == [(errors[0], lines[errors[0] - 1]), (errors[-1], lines[errors[-1] - 1])]
    assert content == 0  # no bytes of the log are kept
    assert (tmp_path / "c.db").stat().st_size < CDN.stat().st_size / 2


def test_an_unchanged_log_is_not_read_again_and_a_changed_one_replaces_its_minutes(tmp_path, monkeypatch):
    log = tmp_path / "edge.log"
    shutil.copy(LOGS / "api-app.jsonl", log)
    ok("case", "init", tmp_path / "c.db")
    ok("case", "add", tmp_path / "c.db", log)

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged file was read again")

    with monkeypatch.context() as patch:
        patch.setattr(registry, "read_path", no_reading)
        patch.setattr("outagetl.case.store.read_path", no_reading)
        assert ok("case", "add", tmp_path / "c.db", log).stdout.startswith("unchanged")
    with closing(sqlite3.connect(tmp_path / "c.db")) as conn:
        before = conn.execute("SELECT count(*) FROM log_minute").fetchone()[0]
    first = log.read_text().splitlines()[0]
    log.write_text(log.read_text() + first + "\n")  # one more line, in a minute that already has lines
    assert ok("case", "add", tmp_path / "c.db", log).stdout.startswith("replaced")
    with closing(sqlite3.connect(tmp_path / "c.db")) as conn:
        assert conn.execute("SELECT count(*) FROM source").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM log_minute").fetchone()[0] == before
        assert conn.execute("SELECT count(*) FROM log_minute WHERE source_id NOT IN (SELECT id FROM source)"
                            ).fetchone()[0] == 0
    page = json.loads(ok("case", "build", tmp_path / "c.db", "--format", "json").stdout)
    (source,) = page["sources"]
    assert source["units"]["read"] == len(log.read_text().splitlines())


def test_decisions_apply_to_log_events(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    monkeypatch.chdir(tmp_path)
    ok("case", "init", "fb.db")
    ok("case", "add", "fb.db", "ex")
    events = json.loads(ok("case", "build", "fb.db", "--format", "json").stdout)["events"]
    onset = next(e for e in events if e["sources"][0].get("evidence") and e["kind"] == "start")
    assert onset["time"] == "2019-07-03T12:02:00Z"  # the README: the synthetic log's error onset
    ok("case", "reject", "fb.db", onset["key"], "-m", "a synthetic log")
    page = json.loads(ok("case", "build", "fb.db", "--format", "json").stdout)
    assert [e["key"] for e in page["rejected"]] == [onset["key"]]
    log = next(s for s in page["sources"] if s["type"] == "log")
    assert any(s["reason"].startswith("rejected by ") for s in log["skipped"])


def test_a_v1_case_gains_the_log_tables_when_opened(tmp_path, monkeypatch):
    copy = tmp_path / "v1.db"
    shutil.copy(ROOT / "tests" / "data" / "case" / "v1.db", copy)
    monkeypatch.chdir(ROOT)
    assert "added" in ok("case", "add", copy, CDN).stdout
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM log_series").fetchone()[0] == 1
    assert Path(copy).exists()


def test_a_damaged_stored_series_is_one_unreadable_source(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    monkeypatch.chdir(tmp_path)
    ok("case", "init", "fb.db")
    ok("case", "add", "fb.db", "ex")
    with closing(sqlite3.connect("fb.db")) as conn:
        conn.execute("UPDATE log_series SET meta = '{}'")
        conn.commit()
    result = run("case", "build", "fb.db", "--format", "json")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert ("outagetl: ex/synthetic-cdn-access.log: what the case stored for it cannot be read back (KeyError: 'kind');"
            " add the file again") in result.stderr
    assert json.loads(result.stdout)["unreadable"][0]["path"] == "ex/synthetic-cdn-access.log"
