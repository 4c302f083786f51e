"""Writing the output: -o replaces a file atomically; a folder that is missing, a full device, a
place that cannot be written or a closed standard output give one line and exit 1, never a traceback."""
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from outagetl.cli import main
from outagetl.output import OutputError, write_file

from conftest import EXAMPLE

GOOD = EXAMPLE / "000_218ec5be4a413192.txt"
_CHILD = "import sys; from outagetl.cli import main; main(sys.argv[1:], prog_name='outagetl')"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_o_into_a_missing_folder(tmp_path):
    target = tmp_path / "missing" / "dir" / "x.md"
    result = run("build", GOOD, "-o", target)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [f"outagetl: cannot write {target}: no folder {target.parent}"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_o_dev_full_is_written_in_place_and_fails_in_one_line():
    result = run("build", GOOD, "-o", "/dev/full")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["outagetl: cannot write /dev/full: No space left on device"]
    assert Path("/dev/full").is_char_device()  # never replaced by a regular file


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_standard_output_on_a_full_device():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", _CHILD, "build", str(GOOD), "--format", "markdown"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["outagetl: cannot write to standard output: No space left on device"]


def test_a_closed_pipe_ends_quietly():
    child = subprocess.Popen([sys.executable, "-c", _CHILD, "build", str(EXAMPLE), "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.read(10)
    child.stdout.close()
    err = child.stderr.read().decode()
    child.wait(timeout=120)
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_place_that_cannot_be_written(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "x.md"
    if os.geteuid() == 0:  # root writes anywhere in /tmp; /proc takes no new files, even from root
        folder, target = Path("/proc"), Path("/proc/version")
    else:
        folder.chmod(0o500)
    try:
        result = run("build", GOOD, "-o", target)
    finally:
        folder.chmod(0o700) if folder != Path("/proc") else None
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"outagetl: cannot write {target}: cannot create a file in {folder}: ")


def test_o_replaces_the_file_whole_and_keeps_its_mode(tmp_path):
    target = tmp_path / "timeline.md"
    target.write_text("old")
    target.chmod(0o640)
    assert run("build", GOOD, "-o", target, "--format", "markdown").exit_code == 0
    assert target.read_text().startswith("All times UTC") and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.md"]  # no temporary left behind


def test_o_through_a_symlink_replaces_its_target(tmp_path):
    real, link = tmp_path / "real.md", tmp_path / "link.md"
    real.write_text("old")
    link.symlink_to(real)
    write_file(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_two_writers_at_once_leave_one_whole_output(tmp_path):
    target = tmp_path / "out.md"
    texts = [str(n) * 3_000_000 for n in range(4)]
    threads = [threading.Thread(target=write_file, args=(target, t)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text() in texts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def test_write_file_raises_output_error_with_the_reason(tmp_path):
    with pytest.raises(OutputError, match=r"^cannot write .*x\.md: no folder .*nowhere$"):
        write_file(tmp_path / "nowhere" / "x.md", "text")
