"""Start-up stays light: nothing heavy is imported before it is needed.

Each check runs in a fresh interpreter (``sys.modules`` of this test process already holds
everything) and drives the CLI through click's CliRunner there.
"""
import json
import subprocess
import sys
import textwrap

HEAVY = ("pandas", "pyarrow", "numpy", "rich")

STORY = """Payments were down for two hours on Tuesday

By a staff writer, March 3, 2020

Card payments failed across the country from 9:05 a.m. ET on Tuesday, the processor said.
Service was restored at 11:10 a.m. ET, according to a statement posted on its status page.
"""

LOG = "".join(f"2020-03-03T14:{m:02d}:{s:02d}Z {'ERROR' if 5 <= m < 9 and s else 'INFO'} api request\n"
              for m in range(15) for s in range(0, 60, 10))


def imported_after(args: list[str], heavy: tuple[str, ...] = HEAVY) -> dict:
    code = textwrap.dedent(f"""
        import json, sys
        from click.testing import CliRunner
        from outagetl.cli import main
        result = CliRunner().invoke(main, {args!r})
        print(json.dumps({{"exit": result.exit_code, "output": result.output,
                          "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_help_imports_nothing_heavy():
    got = imported_after(["--help"])
    assert got["exit"] == 0 and "Usage:" in got["output"]
    assert got["heavy"] == []


def test_help_and_a_zone_option_load_the_zone_reader_only_when_a_zone_is_given():
    # sources.manifest brings zoneinfo and tomllib (a sixth of --help's imports): only a zone needs it
    assert imported_after(["--help"], ("outagetl.sources.manifest", "tomllib"))["heavy"] == []
    got = imported_after(["build", "--tz", "Mars/Olympus", "x"], ("outagetl.sources.manifest",))
    assert got["exit"] == 2 and "Mars/Olympus" in got["output"]
    assert got["heavy"] == ["outagetl.sources.manifest"]


def test_help_builds_none_of_the_models_value_classes():
    # --help names the kinds and roles and shows each limit's default: it takes them from the
    # modules that hold only those (terms, sources.limits), not from model's 17 dataclasses or
    # base's decoding patterns (a quarter of --help's time)
    assert imported_after(["--help"], ("outagetl.model", "outagetl.sources.base"))["heavy"] == []
    got = imported_after(["build", "--help"], ("outagetl.model", "outagetl.sources.base"))
    assert got["exit"] == 0 and got["heavy"] == []
    words = " ".join(got["output"].split())
    assert "(start, detected, acknowledged, update, mitigated, resolved, other)" in words
    assert "(official, press, public, system)" in words
    assert "[default: 52428800; x>=1]" in words
    got = imported_after(["build", "--kinds", "begun", "x"], ("outagetl.model",))
    assert got["exit"] == 2 and "begun" in got["output"] and got["heavy"] == []


def test_a_text_only_build_never_imports_pandas_or_arrow(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    for fmt in ("json", "markdown", "csv", "html"):
        got = imported_after(["build", str(story), "--format", fmt])
        assert got["exit"] == 0, got["output"]
        assert "restored" in got["output"]
        assert got["heavy"] == [], fmt


def test_a_log_build_imports_arrow_when_it_counts(tmp_path):
    log = tmp_path / "api.log"
    log.write_text(LOG, encoding="utf-8")
    got = imported_after(["build", str(log), "--format", "json"])
    assert got["exit"] == 0, got["output"]
    assert "pyarrow" in got["heavy"]
    assert "errors rose from 0/min to 5/min" in got["output"]


def test_the_fast_log_path_never_imports_pandas(tmp_path):
    """pyarrow imports pandas whenever it converts Python objects; the fast engine never asks it to."""
    log = tmp_path / "edge.log"
    log.write_text("".join(f"Jul  3 13:{m:02d}:{s:02d} edge-{s % 3} nginx[41]: "
                           f"{'upstream error: refused' if 5 <= m < 9 and s else 'request ok'}\n"
                           for m in range(15) for s in range(0, 60, 10)), encoding="utf-8")
    got = imported_after(["build", str(log), "--format", "json", "--year", "2019"])
    assert got["exit"] == 0, got["output"]
    assert "errors rose from 0/min to 5/min" in got["output"]
    assert "pandas" not in got["heavy"] and "pyarrow" in got["heavy"]


def test_a_log_build_never_imports_what_only_posts_or_stories_need(tmp_path):
    """The JSON Lines reader is asked first (it scores highest) but its post readers (and their
    e-mail date parser) load only for a file that opens like JSON; rapidfuzz only when two texts
    are compared."""
    log = tmp_path / "api.log"
    log.write_text(LOG, encoding="utf-8")
    unneeded = ("rapidfuzz", "outagetl.sources.posts", "outagetl.sources.twitter", "email.utils")
    got = imported_after(["build", str(log), "--format", "json"], unneeded)
    assert got["exit"] == 0, got["output"]
    assert "errors rose from 0/min to 5/min" in got["output"]
    assert got["heavy"] == []
