"""Case files through the command line (click's CliRunner), and two real processes writing one file.

Expected values are worked out by hand from the inputs: the bundled example (README) and the
fixture's inputs in tests/data/case/inputs/ (a Rome paper's story with bare times, a wire story,
two company posts).
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from outagetl.case import VERSION, Case
from outagetl.case import schema as case_schema

from conftest import ROOT, ok, run
from golden_helpers import reviewed_example

FIXTURE = ROOT / "tests" / "data" / "case" / "v1.db"


def events(result) -> list[dict]:
    return json.loads(result.stdout)["events"]


@pytest.fixture
def example(tmp_path, monkeypatch):
    """The reviewed example stories and post (no log), named as in the repository."""
    folder = reviewed_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.fixture
def case(example, tmp_path):
    path = tmp_path / "fb.db"
    ok("case", "init", path, "--title", "Facebook, 2019-07-03", "--by", "alice")
    ok("case", "add", path, example, "--by", "alice")
    return path


def test_init_add_and_adding_again_adds_nothing(example, tmp_path):
    path = tmp_path / "fb.db"
    made = ok("case", "init", path, "--title", "Facebook, 2019-07-03")
    assert "new case “Facebook, 2019-07-03”" in made.stderr
    first = ok("case", "add", path, example)
    assert [line.split()[0] for line in first.stdout.splitlines()] == ["added"] * 4
    assert "4 sources added or replaced, 0 already there, 0 unreadable" in first.stderr
    again = ok("case", "add", path, example)
    assert [line.split()[0] for line in again.stdout.splitlines()] == ["unchanged"] * 4
    with Case.open(path) as opened:
        assert opened.title == "Facebook, 2019-07-03" and len(opened.stored()) == 4
    assert run("case", "init", path).exit_code == 1


def test_the_same_content_under_another_name_is_not_stored_twice(case, example, tmp_path):
    copy = tmp_path / "copy-of-the-post.json"
    shutil.copy(Path(example) / "facebook-posts.json", copy)
    result = ok("case", "add", case, copy)
    assert result.stdout.startswith("duplicate")
    assert "same content as data/examples/facebook-2019-07-03/facebook-posts.json" in result.stdout


def test_case_build_is_the_same_pipeline_as_build(case, example):
    """Same files, no decisions: the same JSON, keys included, byte for byte."""
    direct = ok("build", example, "--format", "json")
    from_case = ok("case", "build", case, "--format", "json")
    assert from_case.stdout == direct.stdout
    # The case's title heads the page (issue 14), as --title does for build.
    for fmt in ("markdown", "csv", "html"):
        assert ok("case", "build", case, "--format", fmt).stdout == ok(
            "build", example, "--format", fmt, "--title", "Facebook, 2019-07-03").stdout
    assert ok("case", "build", case, "--format", "html", "--title", "Other").stdout == ok(
        "build", example, "--format", "html", "--title", "Other").stdout


def test_reading_options_apply_to_a_case_build(case, example):
    pinned = ok("case", "build", case, "--format", "json", "--source-tz", "001_*.txt=America/Chicago")
    assert pinned.stdout == ok("build", example, "--format", "json", "--source-tz", "001_*.txt=America/Chicago").stdout
    assert run("case", "build", case, "--source-tz", "nonsense").exit_code == 2


def test_a_decision_survives_re_adding_its_source_changed_or_not(case, example):
    before = events(ok("case", "build", case, "--format", "json"))
    # E1 is the Verge's "about 8 a.m. ET" start (README); E5 the first story's 23:09 resolution.
    assert (before[0]["kind"], before[0]["time"]) == ("start", "2019-07-03T12:00:00Z")
    assert (before[4]["kind"], before[4]["time"]) == ("resolved", "2019-07-03T23:09:00Z")
    ok("case", "reject", case, "E1", "-m", "DownDetector reports, not the start", "--by", "bob")
    ok("case", "set-kind", case, before[4]["key"], "update", "-m", "'appear to have been resolved'")
    ok("case", "add", case, example)  # the same files again: nothing changes
    story = Path(example) / "000_218ec5be4a413192.txt"
    story.write_text(story.read_text() + "\nThis story was updated with more details.\n")
    readded = ok("case", "add", case, example)
    assert "replaced   " in readded.stdout and "000_218ec5be4a413192.txt (its content changed; was 0c079b05bce4)" \
        in readded.stdout
    after = json.loads(ok("case", "build", case, "--format", "json").stdout)
    assert [e["time"] for e in after["events"]][0] == "2019-07-03T13:18:00Z"
    assert [e["summary"] for e in after["rejected"]] == [before[0]["summary"]]
    changed = next(e for e in after["events"] if e["time"] == "2019-07-03T23:09:00Z")
    assert changed["kind"] == "update" and changed["decisions"] == ["D2"]
    assert changed["key"] != before[4]["key"]  # its source's bytes changed, so did its key
    d1, d2 = after["decisions"]
    assert (d1["id"], d1["action"], d1["by"], d1["status"]) == ("D1", "reject", "bob", "applied")
    assert (d2["status"], d2["reason"]) == (
        "applied", "found by its quote and time text: its source was re-read and its key changed")
    md = ok("case", "build", case, "--format", "markdown").stdout
    assert f"rejected ({before[0]['key']}): rejected: not part of the incident — DownDetector reports" in md
    assert f"- Rejected `{before[0]['key']}`: 2019-07-03 ~12:00 start" in md
    row = next(line for line in md.splitlines() if line.startswith(f"| E4 `{changed['key']}` |"))
    assert "✎ *corrected by " in row and "(D2): kind set to update (read as resolved)" in row


def test_log_and_undo(case):
    ok("case", "confirm", case, "E2", "2019-07-03T13:18Z", "-m", "the post's own timestamp", "--by", "carol")
    ok("case", "note", case, "E2", "ask Facebook for the incident report", "--by", "carol")
    log = ok("case", "log", case).stdout.splitlines()
    assert len(log) == 4
    assert log[0].startswith("D1 (carol, ") and log[0].endswith(
        ": time confirmed as 2019-07-03 13:18 UTC (the sources read 2019-07-03 13:18 UTC, minute)"
        " — the post's own timestamp")
    assert ") E2 (" in log[0]
    assert log[1].startswith("    when decided: E2 (") and "“We’re aware that some people" in log[1]
    assert log[2].endswith(": note: ask Facebook for the incident report")
    undone = ok("case", "undo", case)
    assert undone.stdout == "removed D2 (note, by carol): note: ask Facebook for the incident report\n"
    assert len(ok("case", "log", case).stdout.splitlines()) == 2
    ok("case", "undo", case)
    assert ok("case", "log", case).stdout == "no decisions yet\n"
    nothing = run("case", "undo", case)
    assert nothing.exit_code == 1 and "no decision to undo" in nothing.output
    # Numbers are never reused: the next decision is D3.
    assert ok("case", "note", case, "E1", "x").stdout.startswith("D3 (note, by ")


def test_sources_lists_digest_type_zone_and_rule(case, example):
    lines = ok("case", "sources", case).stdout.splitlines()
    assert lines[0].split() == ["PATH", "SHA-256", "TYPE", "ZONE", "RULE", "USED", "ADDED"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    rome = rows["data/examples/facebook-2019-07-03/002_3827cacdeaa1e152.txt"]
    assert rome[1:5] == ["d58170975eff", "article", "Europe/Rome", "pinned:manifest"]
    post = rows["data/examples/facebook-2019-07-03/facebook-posts.json"]
    assert post[2:4] == ["post", "UTC"]
    ok("case", "pin-zone", case, "facebook-posts.json", "America/Los_Angeles", "-m", "Menlo Park")
    post = {line.split()[0]: line.split() for line in ok("case", "sources", case).stdout.splitlines()[1:]}[
        "data/examples/facebook-2019-07-03/facebook-posts.json"]
    assert post[3:5] == ["America/Los_Angeles", "pinned:case"]


def test_decisions_name_sources_and_events_or_say_why_not(case):
    assert run("case", "reject", case, "E99").exit_code == 2
    assert "no event 'E99' in this case's timeline" in run("case", "reject", case, "E99").output
    wrong = run("case", "pin-zone", case, "nowhere.txt", "Europe/Rome")
    assert wrong.exit_code == 2 and "no source 'nowhere.txt' in this case" in wrong.output
    assert run("case", "pin-zone", case, "001_05a724bd71759534.txt", "Mars/Olympus").exit_code == 2
    assert run("case", "set-kind", case, "E1", "finished").exit_code == 2
    assert run("case", "set-published", case, "001_05a724bd71759534.txt", "yesterday").exit_code == 2
    # A digest prefix names a source too, and the change shows in how the source is read.
    ok("case", "set-published", case, "1b047e5029b7", "2019-07-03T10:30:00-04:00", "-m", "from the page")
    sources = json.loads(ok("case", "build", case, "--format", "json").stdout)["sources"]
    verge = next(s for s in sources if s["path"].endswith("001_05a724bd71759534.txt"))
    assert verge["published"] == "2019-07-03T10:30:00-04:00"
    ok("case", "reject", case, "E1")
    gone = run("case", "note", case, json.loads(ok("case", "build", case, "--format", "json").stdout)
               ["rejected"][0]["key"], "x")
    assert gone.exit_code == 2 and "is rejected (D2)" in gone.output


def test_case_explain_takes_an_id_or_a_key(case):
    key = events(ok("case", "build", case, "--format", "json"))[1]["key"]
    by_key = ok("case", "explain", case, key).stdout
    assert by_key.startswith(f"E2 ({key}): acknowledged at 2019-07-03 13:18 UTC")
    assert ok("case", "explain", case, "E2").stdout == by_key
    assert run("case", "explain", case, "E42").exit_code == 2


def test_an_empty_case_says_so(tmp_path):
    path = tmp_path / "empty.db"
    ok("case", "init", path)
    result = run("case", "build", path)
    assert result.exit_code == 1 and "the case has no sources yet" in result.output


# -- files that cannot be used: one line, exit 1 ---------------------------------------------------------

def one_line_failure(*args) -> str:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_not_sqlite_corrupt_foreign_newer_missing(case, tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("this is not a database\n" * 100)
    assert one_line_failure("case", "build", text) == f"outagetl: {text}: not a case file (not an SQLite database)"
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    assert one_line_failure("case", "add", other, case) == (
        f"outagetl: {other}: not an outagetl case file (an SQLite database of another application)")
    newer = tmp_path / "newer.db"
    shutil.copy(case, newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("PRAGMA user_version = 99")
    assert one_line_failure("case", "log", newer) == (
        f"outagetl: {newer}: made by a newer outagetl (case schema v99; this one reads up to v{VERSION})")
    broken = tmp_path / "broken.db"
    data = bytearray(case.read_bytes())
    data[4096:] = bytes(len(data) - 4096)  # every page after the first zeroed
    broken.write_bytes(bytes(data))
    assert one_line_failure("case", "build", broken).startswith(f"outagetl: {broken}: the case file is corrupt")
    assert one_line_failure("case", "build", tmp_path / "none.db") == (
        f"outagetl: {tmp_path / 'none.db'}: no such case file (make one with: outagetl case init FILE)")
    assert one_line_failure("case", "sources", tmp_path) == f"outagetl: {tmp_path}: is a folder, not a case file"


def test_locked_by_another_writer(case, monkeypatch):
    monkeypatch.setattr(case_schema, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(case, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        line = one_line_failure("case", "note", case, "E1", "while someone else writes")
        assert line == (f"outagetl: {case}: locked by another process (waited 0.2 s); "
                        "try again when it has finished")
        assert ok("case", "build", case, "--format", "json").stdout  # WAL: reading goes on meanwhile
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    ok("case", "note", case, "E1", "after the other writer finished")


def _make_read_only(path: Path) -> bool:
    """chmod is no obstacle to root; there the immutable attribute is (when the file system has it)."""
    path.chmod(0o444)
    if os.geteuid() != 0:
        return True
    return subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0


def test_read_only_case_builds_but_refuses_to_change(case):
    if not _make_read_only(case):
        pytest.skip("cannot make a file read-only here (root without chattr +i)")
    try:
        assert one_line_failure("case", "reject", case, "E1") == (
            f"outagetl: {case}: read-only: this command writes to the case file, which cannot be written")
        assert ok("case", "build", case, "--format", "json").stdout
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(case)], check=True)
        case.chmod(0o644)


# -- two processes at once --------------------------------------------------------------------------------

ADDER = """
import json, os, sys, time
from outagetl.case import Case
from outagetl.sources import article  # import the readers before the start, so both begin together
case, go, folders = sys.argv[1], sys.argv[2], sys.argv[3:]
while not os.path.exists(go):
    time.sleep(0.002)
with Case.open(case) as opened:
    done, errors = opened.add(folders)
print(json.dumps({"done": [[a.path, str(a.status)] for a in done], "errors": [str(e) for e in errors]}))
"""


def test_two_processes_adding_at_once_lose_nothing(tmp_path):
    """Two real processes add to one case at the same moment: each its own folder of 100 stories and
    both the same folder of 30. Every story is stored once; nothing is lost or refused."""
    case = tmp_path / "shared.db"
    ok("case", "init", case)
    for name, count in (("a", 100), ("b", 100), ("both", 30)):
        folder = tmp_path / name
        folder.mkdir()
        for n in range(count):
            (folder / f"{name}{n:03}.txt").write_text(
                f"Desk {name}, story {n}: the ExampleCo outage began at 10:{n % 60:02} UTC on July 3, 2019.\n")
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", ADDER, str(case), str(go), str(tmp_path / own),
                               str(tmp_path / "both")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for own in ("a", "b")]
    time.sleep(1.0)
    go.touch()
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    reports = [json.loads(out) for out, _ in outs]
    assert [r["errors"] for r in reports] == [[], []]
    shared = [dict((Path(p).name, s) for p, s in r["done"] if "/both/" in p) for r in reports]
    for name in (f"both{n:03}.txt" for n in range(30)):
        assert sorted(report[name] for report in shared) == ["added", "unchanged"], name
    with Case.open(case) as opened:
        stored = opened.stored()
        assert len(opened.build().timeline.sources) == 230
    assert sorted(Path(s.path).name for s in stored) == sorted(
        [f"a{n:03}.txt" for n in range(100)] + [f"b{n:03}.txt" for n in range(100)] +
        [f"both{n:03}.txt" for n in range(30)])


# -- a file made by the first schema -----------------------------------------------------------------------

def test_a_case_made_by_schema_v1_opens_migrates_and_builds(tmp_path, monkeypatch):
    # The committed file stays a v1 file: user_version is the header's 4 bytes at offset 60 (read, not
    # opened, so that no -wal or -shm file is made beside it).
    assert int.from_bytes(FIXTURE.read_bytes()[60:64], "big") == 1
    copy = tmp_path / "v1.db"
    shutil.copy(FIXTURE, copy)
    monkeypatch.chdir(ROOT)
    page = json.loads(ok("case", "build", copy, "--format", "json").stdout)
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION
    # tests/data/case/inputs by hand: the Rome story's bare 09:00 and 11:30 are CEST (D1), so 07:00Z and
    # 09:30Z; the wire's 06:55 user reports are a detection (D3); its 07:20 "aware" was merged with the
    # company's 07:18 post (D4) and split off again (D9); the 22:00 maintenance is rejected (D5); the
    # company's 09:35 "back up" post is confirmed (D6); the wire's 09:40 restoration carries a note (D7).
    got = [(e["time"][11:16], e["kind"], e["decisions"]) for e in page["events"]]
    assert got == [("06:55", "detected", ["D3"]), ("07:00", "start", []), ("07:18", "acknowledged", ["D4", "D9"]),
                   ("07:20", "acknowledged", ["D9"]), ("09:30", "update", []), ("09:35", "resolved", ["D6"]),
                   ("09:40", "resolved", ["D7"])]
    assert [e["time"] for e in page["rejected"]] == ["2019-07-03T22:00:00Z"]
    assert [(d["id"], d["by"], d["status"]) for d in page["decisions"]] == [
        (f"D{n}", "fixture", "applied") for n in range(1, 10)]
    posts = next(s for s in page["sources"] if s["path"].endswith("exampleco-posts.json"))
    wire = next(s for s in page["sources"] if s["path"].endswith("wire.txt"))
    assert posts["role"] == "official" and wire["published"] == "2019-07-03T10:05:00+00:00"
    assert page["events"][5]["confirmed"] is True
    # Confirmed first: the resolution is the confirmed 09:35, not the wire's 09:40.
    assert {k: v["minutes"] for k, v in page["metrics"].items()} == {
        "time_to_acknowledge": 18, "time_to_resolve": 137, "duration": 155}


def test_an_edit_that_removes_a_statement_orphans_its_decision(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("ExampleCo went down at 09:00 UTC on July 3, 2019. It was fixed at 11:30 UTC, the company said.\n")
    case = tmp_path / "c.db"
    ok("case", "init", case)
    ok("case", "add", case, story)
    ok("case", "note", case, "E2", "check the fix time", "--by", "dana")
    story.write_text("ExampleCo went down at 09:00 UTC on July 3, 2019.\n")  # the story drops its second sentence
    assert ok("case", "add", case, story).stdout.startswith("replaced")
    built = ok("case", "build", case, "--format", "json")
    (decision,) = json.loads(built.stdout)["decisions"]
    assert (decision["status"], decision["reason"]) == ("orphaned", f"no event cites “11:30 UTC” in {story} any more")
    assert "1 decisions (1 orphaned)" in built.stderr
    log = ok("case", "log", case).stdout
    assert log.startswith("D1 (dana, ") and f"[orphaned: no event cites “11:30 UTC” in {story} any more]" in log
    assert run("case", "build", case, "--strict").exit_code == 1
    assert "or decisions orphaned" in run("case", "build", case, "--strict").stderr


def test_one_incident_of_a_statuspage_file_or_all_of_them(tmp_path):
    status = ROOT / "tests" / "data" / "status" / "incidents.json"  # two incidents, y1k2 and z9x8
    case = tmp_path / "c.db"
    ok("case", "init", case)
    ok("case", "add", case, status)

    def roles():
        return {s["path"].rsplit("#", 1)[1]: s["role"]
                for s in json.loads(ok("case", "build", case, "--format", "json").stdout)["sources"]}

    assert roles() == {"y1k2": "official", "z9x8": "official"}
    ok("case", "set-role", case, "incidents.json#z9x8", "press", "-m", "a reseller's page")
    assert roles() == {"y1k2": "official", "z9x8": "press"}
    ok("case", "set-role", case, "incidents.json", "public")
    assert roles() == {"y1k2": "public", "z9x8": "public"}


def test_adding_the_folder_that_holds_the_case_skips_the_case_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "story.txt").write_text("ExampleCo went down at 09:00 UTC on July 3, 2019.\n")
    ok("case", "init", "c.db")
    result = ok("case", "add", "c.db", ".")
    assert result.stdout.split()[0] == "added" and result.stdout.count("\n") == 1
    assert "c.db: is this case file itself; not added" in result.stderr


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    ok("case", "init", tmp_path / "c.db")
    result = run("case", "add", tmp_path / "c.db", fifo)
    assert result.exit_code == 1
    # Refused by name where paths are collected (sources.registry.collect), before the case sees it.
    assert f"outagetl: {fifo}: not a regular file (a FIFO): not read" in result.stderr
