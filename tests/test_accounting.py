"""The input accounting contract: every unit is read, used or skipped with a reason; every input
that could not be read is in the JSON; --strict turns any of it into exit status 1."""
import json
import shutil

from click.testing import CliRunner

from outagetl.cli import main
from outagetl.pipeline import Options, build
from outagetl.sources.base import Limits

from conftest import EXAMPLE


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_every_source_reports_units_read_used_skipped():
    doc = json.loads(run("build", str(EXAMPLE), "--format", "json").stdout)
    units = {s["path"].rsplit("/", 1)[-1]: s["units"] for s in doc["sources"]}
    assert units["000_218ec5be4a413192.txt"] == {"kind": "sentence", "read": 18, "used": 3, "skipped": 0}
    assert units["facebook-posts.json"]["kind"] == "post"
    assert units["synthetic-cdn-access.log"] == {"kind": "line", "read": 7531, "used": 7531, "skipped": 0}
    for source in doc["sources"]:
        u = source["units"]
        assert u["used"] + u["skipped"] <= u["read"]
        assert source["encoding"] == "utf-8"
    assert doc["unreadable"] == []


def test_summary_line_has_totals_and_strict_ignores_mentions_left_out_with_a_reason():
    result = run("build", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith("outagetl: 5 sources read, 0 unreadable, 10 events, 3 conflicts, ")
    assert "18 mentions or units left out with a reason, 0 of 7600 units skipped" in summary
    # 'In March', 'since 2016', a dateline: left out with a reason, every unit read. Not a failure.
    strict = run("build", str(EXAMPLE), "--format", "json", "--strict")
    assert strict.exit_code == 0, strict.stderr
    assert strict.stdout == result.stdout


def test_strict_fails_on_a_skipped_unit_and_still_writes_the_output(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLE, folder)
    # A post with no timestamp is a unit that could not be used: --strict fails on it.
    (folder / "more-posts.json").write_text(
        '[{"created_at": "Wed Jul 03 14:00:00 +0000 2019", "full_text": "Still broken here", "user": {"screen_name": "a"}},'
        ' {"full_text": "no time on this one", "user": {"screen_name": "b"}}]')
    result = run("build", str(folder), "--format", "json")
    assert result.exit_code == 0 and "1 of 7602 units skipped" in result.stderr
    strict = run("build", str(folder), "--format", "json", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == result.stdout
    assert "--strict: inputs were unreadable or units were skipped" in strict.stderr


def test_strict_help_says_what_counts():
    text = " ".join(run("build", "--help").stdout.split())
    assert "Exit 1 if any input is unreadable, any unit (sentence, post, update, log line) was skipped" in text
    assert "outside the incident, like 'last month'" in text and "do not count" in text


def test_strict_passes_when_nothing_is_skipped(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Uploads broke.\n\nThe outage began at 12:00 UTC on July 3, 2019.\n")
    assert run("build", str(story), "--format", "json", "--strict").exit_code == 0


def test_unreadable_inputs_are_in_the_json_and_in_build_errors(tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(EXAMPLE, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    doc = json.loads(run("build", str(folder), "--format", "json").stdout)
    assert doc["unreadable"] == [
        {"path": str(folder / "empty.txt"), "reason": "file is empty", "line": None},
        {"path": str(folder / "image.png"), "reason": "binary file (PNG image), not text", "line": None},
    ]
    built = build([str(folder)])
    assert [str(e) for e in built.errors] == [f"{u['path']}: {u['reason']}" for u in doc["unreadable"]]


def test_limits_are_library_options(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("The outage began at 12:00 UTC on July 3, 2019.\n" * 10)
    built = build([str(story)], Options(limits=Limits(max_bytes=100)))
    assert [e.reason for e in built.errors] == ["file is 470 bytes, over the 100-byte limit (--max-bytes)"]
    assert build([str(story)]).errors == []
