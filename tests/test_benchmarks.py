"""The benchmark scripts the README shows run end to end (at toy sizes here: their figures are
printed, never asserted; timings belong to the benchmarks, not to tests)."""
import subprocess
import sys

import pytest

from conftest import ROOT

BENCH = ROOT / "benchmarks"


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_logs_benchmark_prints_its_table():
    out = run("bench_logs.py", "--lines", "3000", "--runs", "1")
    assert "| shape | lines" in out
    assert "| iso   | 3,000" in out and "| mix   | 3,000" in out
    assert "events (" in out


def test_text_benchmark_compares_with_dateparser():
    pytest.importorskip("dateparser")
    out = run("bench_text.py", "--stories", "12", "--runs", "1")
    assert "12 distinct stories" in out and "dateparser.search_dates" in out and "x dateparser's speed" in out


def test_merge_benchmark_prints_time_per_doubling():
    out = run("bench_merge.py", "--sources", "10,20", "--runs", "1")
    for shape, table in zip(("incident", "years"), ("\n" + out).split("\nmerge (")[1:], strict=True):
        assert table.startswith(f"{shape}): claims of the first N of 20 short stories")
        lines = [ln for ln in table.splitlines() if ln.startswith("| 10 ") or ln.startswith("| 20 ")]
        assert len(lines) == 2 and lines[1].rstrip(" |").endswith("x")


def test_startup_benchmark_prints_help_against_its_goal():
    out = run("bench_startup.py", "--runs", "1")
    assert "| command" in out and "| outagetl --help " in out and "| python -c pass " in out
    assert "outagetl build EXAMPLE --format json" in out and "outagetl build LOG --format json" in out
    assert "outagetl --help: " in out and "goal 0.15 s: " in out


def test_scale_benchmark_prints_the_cost_of_each_doubling():
    out = run("bench_scale.py", "--units", "20,40", "--runs", "1")
    assert out.startswith("scale: outagetl build FOLDER --format json, one input per shape")
    rows = [ln for ln in out.splitlines() if ln.startswith("| ") and not ln.startswith("| shape")]
    assert [r.split("|")[1].strip() for r in rows] == [s for s in ("html", "posts", "statuspage", "feed")
                                                        for _ in (1, 2)]
    assert all(r.rstrip(" |").endswith("x") for r in rows[1::2])
