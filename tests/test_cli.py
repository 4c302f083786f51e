"""The command line through click's CliRunner: formats, files, errors, exit codes."""
import csv
import io
import json
import shutil

from click.testing import CliRunner
from markdown_it import MarkdownIt

from outagetl.cli import main

from conftest import EXAMPLE


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_markdown_tables_parse_as_tables():
    result = run("build", str(EXAMPLE), "--format", "markdown")
    assert result.exit_code == 0
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 5  # timeline, three conflicts, metrics
    assert "## Conflicting reports" in result.stdout
    assert "zone-season: EST" in result.stdout


def test_csv_has_a_row_per_event_and_source():
    result = run("build", str(EXAMPLE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    data = json.loads(run("build", str(EXAMPLE), "--format", "json").stdout)
    assert len(rows) == sum(len(e["sources"]) for e in data["events"])
    assert {r["event"] for r in rows} == {e["id"] for e in data["events"]}


def test_output_file(tmp_path):
    out = tmp_path / "timeline.json"
    result = run("build", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text())["schema"] == "outagetl/timeline@1"


def test_json_stdout_is_only_json():
    result = run("build", str(EXAMPLE), "--format", "json")
    json.loads(result.stdout)
    assert "events" in result.stderr


def test_unknown_zone_is_a_usage_error():
    result = run("build", str(EXAMPLE), "--tz", "Mars/Olympus")
    assert result.exit_code == 2
    assert "unknown time zone 'Mars/Olympus'" in result.output
    assert "Traceback" not in result.output


def test_bad_source_tz_is_a_usage_error():
    result = run("build", str(EXAMPLE), "--source-tz", "noequals")
    assert result.exit_code == 2
    assert "GLOB=ZONE" in result.output


def test_missing_path_is_a_usage_error():
    result = run("build", "/nonexistent/story.txt")
    assert result.exit_code == 2
    assert "'/nonexistent/story.txt' does not exist" in result.output


def test_source_tz_pins_a_zone(tmp_path):
    (tmp_path / "story.txt").write_text("date 2019-07-03\n\nThe outage began at 15:30, engineers said.\n")
    data = json.loads(run("build", str(tmp_path), "--format", "json", "--source-tz", "story*=Europe/Rome").stdout)
    assert data["events"][0]["time"] == "2019-07-03T13:30:00Z"
    assert data["events"][0]["zone_rule"] == "pinned:--source-tz"


def test_tz_default_applies_only_when_nothing_else_says(tmp_path):
    (tmp_path / "story.txt").write_text("date 2019-07-03\n\nThe outage began at 15:30, engineers said.\n")
    data = json.loads(run("build", str(tmp_path), "--format", "json", "--tz", "Asia/Tokyo").stdout)
    assert data["events"][0]["time"] == "2019-07-03T06:30:00Z"
    assert data["events"][0]["zone_rule"] == "default:--tz"
    data = json.loads(run("build", str(tmp_path), "--format", "json").stdout)
    assert data["events"][0]["time"] == "2019-07-03T15:30:00Z"
    assert data["events"][0]["zone_rule"] == "assumed"
    assert any("zone-assumed" in f for f in data["events"][0]["flags"])


def test_since_until_window(tmp_path):
    for name in ("000_218ec5be4a413192.txt", "001_05a724bd71759534.txt", "002_3827cacdeaa1e152.txt", "sources.toml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    result = run("build", str(tmp_path), "--format", "json", "--since", "2019-07-03T13:00Z", "--until", "2019-07-03T23:30Z")
    data = json.loads(result.stdout)
    assert {e["time"] for e in data["events"]} == {
        "2019-07-03T13:18:00Z", "2019-07-03T13:30:00Z", "2019-07-03T23:00:00Z", "2019-07-03T23:09:00Z"}
    assert run("build", str(EXAMPLE), "--since", "yesterday").exit_code == 2


def test_broken_inputs_are_named_and_the_rest_still_builds(tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(EXAMPLE, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "latin.txt").write_bytes("Panne à 15:30 \xff\xfe".encode("latin-1") + b"\x81\x8d\x8f\x90\x9d")
    result = run("build", str(folder), "--format", "json")
    assert result.exit_code == 0
    assert f"{folder / 'empty.txt'}: file is empty" in result.stderr
    assert f"{folder / 'image.png'}: binary file" in result.stderr
    assert f"{folder / 'latin.txt'}: not UTF-8 text" in result.stderr
    assert "Traceback" not in result.output
    assert len(json.loads(result.stdout)["events"]) >= 7


def test_nothing_readable_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("build", str(tmp_path / "empty.txt"))
    assert result.exit_code == 1
    assert "empty.txt: file is empty" in result.stderr


def test_unreadable_file(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("At 9:00 UTC the outage began.")
    locked.chmod(0)
    result = run("build", str(locked))
    locked.chmod(0o644)
    if result.exit_code == 0:
        return  # running as root: permissions do not stop reading
    assert result.exit_code == 1
    assert "locked.txt: cannot read" in result.stderr


def test_python_m_outagetl_runs():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "outagetl", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "outagetl" in proc.stdout
