"""The ``outagetl`` command ends without taking the interpreter apart (``cli.run``), and exits
as an ordinary exit would: the same status, every byte written, the exit functions run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from outagetl.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "facebook-2019-07-03"


def _outagetl(*args, env=None, stdout=subprocess.PIPE):
    return subprocess.run([sys.executable, "-m", "outagetl", *args], stdout=stdout, stderr=subprocess.PIPE,
                          timeout=120, env={**os.environ, **(env or {})})


def test_the_command_writes_what_the_library_writes_and_exits_0(tmp_path):
    """Every byte of a large output reaches the pipe; the kept patterns are saved (an exit function)."""
    done = _outagetl("build", str(EXAMPLE), "--format", "json", env={"OUTAGETL_CACHE": str(tmp_path)})
    assert done.returncode == 0
    assert done.stdout.decode() == CliRunner().invoke(main, ["build", str(EXAMPLE), "--format", "json"]).stdout
    assert len(json.loads(done.stdout)["events"]) == 10
    assert list(tmp_path.glob("kept-*"))


def test_usage_errors_exit_2_and_unreadable_input_1(tmp_path):
    usage = _outagetl("build", "--no-such-option")
    assert usage.returncode == 2 and b"No such option" in usage.stderr
    bad = tmp_path / "story.txt"
    bad.write_bytes(b"\x00\x01\x02" * 400)  # no reader recognises it
    unreadable = _outagetl("build", str(bad))
    assert unreadable.returncode == 1 and str(bad).encode() in unreadable.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_is_one_line_and_exit_1():
    with open("/dev/full", "wb") as full:
        done = _outagetl("build", str(EXAMPLE), "--format", "json", stdout=full)
    assert done.returncode == 1
    assert done.stderr.decode().strip().splitlines()[-1] == "outagetl: cannot write to standard output: No space left on device"


def _run_with(body: str, tmp_path: Path) -> subprocess.CompletedProcess:
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, timeout=60)


def test_an_exit_with_a_message_prints_it_and_exits_1(tmp_path):
    done = _run_with("""
        import sys
        from outagetl import cli
        def main():
            sys.exit("outagetl: a message instead of a status")
        cli.main = main
        cli.run()
    """, tmp_path)
    assert done.returncode == 1 and done.stderr.decode().strip() == "outagetl: a message instead of a status"


def test_a_thread_still_running_is_waited_for_as_an_ordinary_exit_waits(tmp_path):
    marker = tmp_path / "written"
    done = _run_with(f"""
        import threading, time
        from outagetl import cli
        def late():
            time.sleep(0.3)
            open({str(marker)!r}, "w").write("done")
        threading.Thread(target=late).start()
        cli.main = lambda: None
        cli.run()
    """, tmp_path)
    assert done.returncode == 0 and marker.read_text() == "done"
