"""The crew (``parallel.map_phased``, ``pipeline._crewed``) gives what one process gives and leaves
nothing behind: no error dropped, no member left running, no child's traceback on the user's stderr
(each test failed on the crew's first version; a reviewer wrote them)."""
from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from outagetl import parallel
from outagetl.cli import main

fork_only = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork")


@pytest.fixture(autouse=True)
def _no_threaded_library(monkeypatch):
    monkeypatch.setattr(parallel, "THREADED", ())
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def _folder(tmp_path, count=70):
    for i in range(count):
        tmp_path.joinpath(f"story-{i:03d}.txt").write_text(
            f"Users of Service{i} could not log in from {1 + i % 8}:10 UTC on 2024-03-{1 + i % 27:02d}.\n\n"
            f"The company said at {2 + i % 8}:45 UTC that the problem had been fixed.\n", encoding="utf-8")
    lines = "".join(f"2024-03-01T0{3 + (i // 20) % 5}:{i % 60:02d}:00Z ERROR upstream timeout id={i * 7919 % 100000}\n"
                    for i in range(40000)).encode()
    blob = gzip.compress(lines)
    # sniffed as a log (its head inflates), refused once read whole: an error of a log left to this process
    bad = tmp_path / "story-050a.log.gz"
    bad.write_bytes(blob[: len(blob) * 3 // 4])
    return bad


@fork_only
def test_a_log_named_twice_is_reported_twice_as_by_one_process(tmp_path):
    """A log that cannot be read, named twice (its folder and the file itself), is reported twice,
    as one process reports it (its errors were once kept by display name, and one was dropped)."""
    bad = _folder(tmp_path)
    args = ["build", str(tmp_path), str(bad), "--format", "json"]
    one = CliRunner().invoke(main, [*args, "--jobs", "1"])
    two = CliRunner().invoke(main, [*args, "--jobs", "2"])
    assert one.stderr.count(f"{bad}: ") == 2
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)


def _unsendable(kept, shared):
    return lambda: kept + shared


@fork_only
def test_a_member_that_cannot_send_prints_no_traceback(capfd):
    """A member that cannot send costs time, never a result, and prints nothing (multiprocessing's
    Process._bootstrap prints what escapes a member's target)."""
    told, results = parallel.map_phased(lambda i: (i, None), lambda told: 3, _unsendable, list(range(10)), processes=2)
    assert [r() for r in results] == [i + 3 for i in range(10)]
    assert "Traceback" not in capfd.readouterr().err


def _boom():
    raise ValueError("cannot be rebuilt here")


class _Unloadable:
    """Pickled by the member, cannot be unpickled here: the member is given up while alive."""

    def __reduce__(self):
        return _boom, ()


@fork_only
def test_a_member_given_up_on_while_alive_does_not_cost_five_seconds():
    """A member closes its copy of this process's end of the pipe, so closing ours wakes its recv()
    at once (kept open, _end waited join(5) and then killed it)."""
    parent = os.getpid()

    def first(i):
        return i, (_Unloadable() if i == 20 and os.getpid() != parent else i)

    start = time.monotonic()
    told, results = parallel.map_phased(first, lambda told: 1, lambda k, s: k + s, list(range(30)), processes=2)
    assert told == list(range(30)) and results == [i + 1 for i in range(30)]
    assert time.monotonic() - start < 2


@fork_only
def test_an_exception_here_leaves_no_member_behind():
    """combine (or this process's own run) raising leaves no member blocked in recv()."""
    def combine(told):
        raise RuntimeError("a defect here")

    with pytest.raises(RuntimeError):
        parallel.map_phased(lambda i: (i, i), combine, lambda k, s: k, list(range(10)), processes=2)
    deadline = time.monotonic() + 3
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    left = multiprocessing.active_children()
    for p in left:  # the test's own children
        p.kill()
        p.join()
    assert not left


_SCRIPT = textwrap.dedent("""
    import os, signal, sys, time
    from outagetl import parallel
    parallel.threading.active_count = lambda: 1
    marker, how = sys.argv[1], sys.argv[2]
    parent = os.getpid()

    def first(i):
        if os.getpid() != parent and how == "int":
            open(marker, "w").write(str(os.getpid()))
            time.sleep(30)  # a member busy reading when the user presses Ctrl-C
        return i, i

    def combine(told):
        if how == "kill":
            open(marker, "w").write(" ".join(str(p.pid) for p in __import__("multiprocessing").active_children()))
            os.kill(os.getpid(), signal.SIGKILL)  # this process dies (OOM killer, kill -9, a supervisor)
        return 0

    try:
        parallel.map_phased(first, combine, lambda k, s: k, list(range(10)), processes=2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
""")


def _wait_for(path, seconds=20):
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_text()


@fork_only
def test_members_end_when_this_process_is_killed(tmp_path):
    """A member waiting for ``shared`` when this process dies (``kill PID`` of the CLI, the OOM
    killer) sees EOF and ends, rather than wait for ever with ppid 1."""
    marker = tmp_path / "members"
    script = tmp_path / "crew.py"
    script.write_text(_SCRIPT)
    subprocess.run([sys.executable, str(script), str(marker), "kill"], timeout=60)
    pids = [int(p) for p in _wait_for(marker).split()]
    time.sleep(2)
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive.append(pid)
            os.kill(pid, signal.SIGKILL)  # the orphan this test made
        except ProcessLookupError:
            pass
    assert not alive


@fork_only
def test_map_sources_leaves_no_worker_when_this_process_is_killed(tmp_path):
    """map_sources (a build with a case file's decisions, or stdin) once ran on a
    ProcessPoolExecutor, whose workers lived on with ppid 1 after a ``kill -9`` of the CLI."""
    script = tmp_path / "pool.py"
    marker = tmp_path / "workers"
    script.write_text(textwrap.dedent("""
        import multiprocessing, os, signal, sys, threading, time
        from outagetl import parallel
        parallel.threading.active_count = lambda: 1

        def busy(i):
            time.sleep(0.01)
            return i

        def kill_me():
            time.sleep(0.5)
            open(sys.argv[1], "w").write(" ".join(str(p.pid) for p in multiprocessing.active_children()))
            os.kill(os.getpid(), signal.SIGKILL)

        threading.Thread(target=kill_me, daemon=True).start()
        parallel.map_sources(busy, list(range(400)), jobs=2)
    """))
    assert not _left_running(script, marker, seconds=5)


def _left_running(script, marker, seconds: float) -> list[int]:
    """Run ``script``, which writes its members' pids to ``marker`` and then is killed; the
    members still running ``seconds`` later (killed then: the orphans a failing test made)."""
    subprocess.run([sys.executable, str(script), str(marker)], timeout=60)
    pids = [int(p) for p in _wait_for(marker).split()]
    assert pids
    deadline = time.monotonic() + seconds
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in pids if _running(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    return alive


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # an ended child of a killed parent is reaped by init; one that is still a zombie has ended too
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:  # gone since, or no /proc to ask (then kill's answer stands)
        return not os.path.isdir("/proc/self")


@fork_only
def test_ctrl_c_prints_what_one_process_prints(tmp_path):
    """Ctrl-C reaches the whole process group: the members ignore it (each printed 'Process
    ForkProcess-N:' and a traceback), and this process handles it as one process would."""
    marker = tmp_path / "member"
    script = tmp_path / "crew.py"
    script.write_text(_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), str(marker), "int"], stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for(marker)
    os.killpg(proc.pid, signal.SIGINT)
    err = proc.communicate(timeout=60)[1].decode()
    assert err.strip() == "interrupted", err


def test_a_big_file_weighs_no_more_than_a_long_story(tmp_path):
    """A 1 MB file (most likely a log, which this process reads) does not take a run of its own."""
    from outagetl import pipeline

    big, story = tmp_path / "app.log", tmp_path / "story.txt"
    big.write_bytes(b"2024-03-01T03:00:00Z ERROR x\n" * 40000)
    story.write_text("The outage began at 9:10 UTC, and the company said it was fixed by noon.\n" * 7,
                     encoding="utf-8")  # 500 bytes
    weights = [pipeline._size(big)] + [pipeline._size(story)] * 2000
    assert weights[0] == pipeline.WEIGHT_CAP
    assert parallel._runs(len(weights), 2, weights)[0][1] > 900  # the log and some 930 stories


def _stories_in(folder, count=150):
    for i in range(count):
        folder.joinpath(f"story-{i:04d}.txt").write_text(
            f"Customers of Shop{i} saw checkout errors from {1 + i % 8}:05 UTC on 2024-05-{1 + i % 27:02d}; "
            f"the shop said at {2 + i % 8}:40 UTC that payments worked again.\n", encoding="utf-8")


@fork_only
@pytest.mark.parametrize("how,said", [("removed", "could not be read a second time"),
                                      ("rewritten", "changed while it was read")])
def test_a_story_removed_before_another_process_reads_it_again_is_reported_not_dropped(tmp_path, monkeypatch,
                                                                                        how, said):
    """A story of a member's run that this process takes in the second stage is read again here:
    removed or rewritten in between (a sync tool, a tidy-up), it was once left out without a word
    or read as it had become."""
    from outagetl import pipeline

    _stories_in(tmp_path)
    gone = tmp_path / "story-0149.txt"  # the last of the member's run: the first one taken from it
    parent = os.getpid()
    median, read_claims = pipeline._median_day, pipeline._read_claims

    def removed_at_the_barrier(days):
        if how == "removed":
            gone.unlink()
        else:
            gone.write_text("Shop149 said at 23:59 UTC on 2024-06-30 that nothing had happened.\n", encoding="utf-8")
        return median(days)

    def slow_in_the_member(doc, *args, **kwargs):
        if os.getpid() != parent:
            time.sleep(0.01)
        return read_claims(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_median_day", removed_at_the_barrier)
    monkeypatch.setattr(pipeline, "_read_claims", slow_in_the_member)
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json", "--jobs", "2"])
    paths = [s["path"] for s in json.loads(result.stdout)["sources"]]
    assert str(gone) not in paths and len(paths) == 149
    assert f"{gone}: {said}" in result.stderr
    assert "149 sources read, 1 unreadable" in result.stderr


@fork_only
def test_the_language_model_is_loaded_once_here_when_logs_are_read_between_the_stages(tmp_path, monkeypatch):
    """Reading a log between the stages once let the language model go, and the stories this
    process took in the second stage loaded it again (a second, on the critical path)."""
    from py3langid import langid

    from outagetl import pipeline
    from outagetl.sources import language

    for i in range(150):  # too few function words to tell the language by: the model is asked
        tmp_path.joinpath(f"s{i:03d}.txt").write_text(
            f"Shop{i} checkout down {1 + i % 8}:05 UTC 2024-05-{1 + i % 27:02d}; payments back {2 + i % 8}:40 UTC.\n",
            encoding="utf-8")
    tmp_path.joinpath("app.log").write_text(
        "".join(f"2024-05-01T03:{i % 60:02d}:00Z ERROR checkout timeout\n" for i in range(100)), encoding="utf-8")
    parent, loads = os.getpid(), []
    load = langid.LanguageIdentifier.from_model_file.__func__

    def counted(cls, *args, **kwargs):
        if os.getpid() == parent:
            loads.append(1)
        return load(cls, *args, **kwargs)

    read_claims = pipeline._read_claims

    def slow_in_the_member(doc, *args, **kwargs):
        if os.getpid() != parent:
            time.sleep(0.005)
        return read_claims(doc, *args, **kwargs)

    language.release()
    monkeypatch.setattr(langid.LanguageIdentifier, "from_model_file", classmethod(counted))
    monkeypatch.setattr(pipeline, "_read_claims", slow_in_the_member)
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json", "--jobs", "2"])
    assert result.exit_code == 0 and len(json.loads(result.stdout)["sources"]) == 151
    assert len(loads) == 1


@fork_only
def test_a_member_busy_in_its_first_stage_ends_with_this_process(tmp_path):
    """A member reading when this process is killed once read on to the end of its run (with
    ppid 1, holding the CLI's output pipe open); the kernel now ends it with its parent."""
    marker = tmp_path / "members"
    script = tmp_path / "first.py"
    script.write_text(textwrap.dedent("""
        import multiprocessing, os, signal, sys, threading, time
        from outagetl import parallel
        parallel.threading.active_count = lambda: 1

        def first(i):
            time.sleep(0.025)  # 400 items: ten seconds of reading in the member's run
            return i, i

        def kill_me():
            time.sleep(1.0)
            open(sys.argv[1], "w").write(" ".join(str(p.pid) for p in multiprocessing.active_children()))
            os.kill(os.getpid(), signal.SIGKILL)

        threading.Thread(target=kill_me, daemon=True).start()
        parallel.map_phased(first, len, lambda k, s: k, list(range(800)), processes=2)
    """))
    assert not _left_running(script, marker, seconds=3)


def _unloadable_at_half(count):
    parent = os.getpid()

    def second(i, shared):
        time.sleep(0.02)
        if os.getpid() != parent and i == count // 2:  # the member's first parcel cannot be read here
            return _Unloadable()
        return i + shared
    return second


@fork_only
def test_a_member_given_up_in_the_second_stage_is_ended_at_once(monkeypatch):
    """Given up on (a parcel that cannot be read here), a member once went on to its next send
    while this process waited in join, up to five seconds, doing nobody's work."""
    ended = []
    end = parallel._end

    def timed(member):
        start = time.monotonic()
        end(member)
        ended.append(time.monotonic() - start)

    monkeypatch.setattr(parallel, "_end", timed)
    told, results = parallel.map_phased(lambda i: (i, i), lambda told: 1, _unloadable_at_half(100),
                                        list(range(100)), processes=2)
    assert results == [i + 1 for i in range(100)]
    assert ended and max(ended) < 0.5
