"""Many stories are read on several processes, and the timeline is the same bytes as from one."""
from __future__ import annotations

import json
import os
import time

import pytest
from click.testing import CliRunner

from outagetl import cores, parallel
from outagetl.cli import main
from outagetl.parallel import map_sources, workers
from outagetl.sources.base import SourceError
from outagetl.timeparse.extract import find

fork_only = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                               reason="no fork on this platform")

# Seventy short stories of seventy outages, each with its start and its fix, in four phrasings
# and three zones; written for this test.
PHRASINGS = [
    ("The {name} outage began at {h}:10 a.m. ET on March {d}, 2024.\n\n"
     "Service was fully restored at {h2}:45 a.m. ET, the company said.\n", "America/New_York"),
    ("Users of {name} could not log in from {h}:10 UTC on 2024-03-{dd}.\n\n"
     "The company said at {h2}:45 UTC that the problem had been fixed.\n", "UTC"),
    ("{name} went down at {h}:10 BST on 3 April 2024.\n\nIt was back up by {h2}:45 BST.\n", "Europe/London"),
    ("Die Störung bei {name} begann am {d}. März 2024 um {h}:10 Uhr MEZ.\n\n"
     "Seit {h2}:45 Uhr funktioniert der Dienst wieder.\n", "Europe/Berlin"),
]


@pytest.fixture(autouse=True)
def _no_threaded_library(request, monkeypatch):
    """Other tests in the same run load pyarrow and leave idle threads behind; these tests are
    about stories alone (the tests named for threads check that rule itself)."""
    if "thread" not in request.node.name:
        monkeypatch.setattr(parallel, "THREADED", ())
        monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def _stories(folder, count=70):
    for i in range(count):
        text, _zone = PHRASINGS[i % len(PHRASINGS)]
        d = 1 + i % 27
        folder.joinpath(f"story-{i:03d}.txt").write_text(
            text.format(name=f"Service{i}", h=1 + i % 8, h2=2 + i % 8, d=d, dd=f"{d:02d}"), encoding="utf-8")


@fork_only
def test_many_stories_read_by_two_processes_give_the_same_bytes_as_by_one(tmp_path):
    _stories(tmp_path)
    one = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json", "--jobs", "1"])
    two = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json", "--jobs", "2"])
    assert one.exit_code == two.exit_code
    assert one.stdout == two.stdout
    sources = json.loads(two.stdout)["sources"]
    assert len(sources) == 70
    # every story is read, in its own language: two times each (its start and its fix)
    assert {s["mentions"] for s in sources} == {2}
    assert {s["language"] for s in sources} == {"en", "de"}
    times: dict[str, set] = {}
    for event in json.loads(two.stdout)["events"]:
        for claim in event["sources"]:
            times.setdefault(claim["source"].rsplit("/", 1)[-1], set()).add(claim["time"])
    # story 0: 1:10 and 2:45 a.m. ET on March 1, 2024 (still EST, UTC-5) are 06:10 and 07:45 UTC
    assert times["story-000.txt"] == {"2024-03-01T06:10:00Z", "2024-03-01T07:45:00Z"}


@fork_only
def test_stories_and_standard_input_on_two_processes_give_the_same_bytes_as_on_one(tmp_path):
    """A build that reads standard input reads every file first, then parses on the workers of
    ``map_sources`` (once a ProcessPoolExecutor, now the crew, this process one of them)."""
    _stories(tmp_path)
    piped = "Bluesky users could not post from 4:10 UTC on 2024-03-05; it was fixed at 5:30 UTC.\n"
    args = ["build", str(tmp_path), "-", "--format", "json"]
    one = CliRunner().invoke(main, [*args, "--jobs", "1"], input=piped)
    two = CliRunner().invoke(main, [*args, "--jobs", "2"], input=piped)
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)
    sources = json.loads(two.stdout)["sources"]
    assert len(sources) == 71 and {s["mentions"] for s in sources} == {2}
    times = {c["time"] for e in json.loads(two.stdout)["events"] for c in e["sources"] if c["source"] == "<stdin>"}
    assert times == {"2024-03-05T04:10:00Z", "2024-03-05T05:30:00Z"}


def _slowly(i):
    """An item that takes a while, so that one worker cannot drain every run before the other
    has started (on a loaded machine a fork can take longer than 40 instant items)."""
    time.sleep(0.05)
    return i, os.getpid()


@fork_only
def test_the_work_is_split_among_processes_and_comes_back_in_order():
    pids = map_sources(_slowly, list(range(40)), jobs=2)
    assert [i for i, _ in pids] == list(range(40))
    assert os.getpid() in {pid for _, pid in pids}  # this process is one of the two
    assert len({pid for _, pid in pids}) == 2


@fork_only
def test_a_worker_that_dies_costs_no_result():
    parent = os.getpid()

    def fragile(i):
        if i == 7 and os.getpid() != parent:
            os._exit(9)  # a worker killed mid-run (out of memory, a signal)
        return i * i

    assert map_sources(fragile, list(range(20)), jobs=2) == [i * i for i in range(20)]


@fork_only
def test_a_result_that_cannot_be_sent_back_is_computed_here():
    results = map_sources(lambda i: (lambda: i), list(range(6)), jobs=2)
    assert [r() for r in results] == list(range(6))


def test_few_sources_or_one_core_use_this_process_alone(monkeypatch):
    forks = "fork" in __import__("multiprocessing").get_all_start_methods()
    monkeypatch.setattr(cores, "cores", lambda: 2)
    monkeypatch.setattr(cores, "others", lambda: 0)
    assert workers(parallel.MIN_SOURCES - 1) == 1
    assert workers(parallel.MIN_SOURCES) == (2 if forks else 1)
    assert workers(5, jobs=1) == 1
    assert workers(5, jobs=2) == (2 if forks else 1)
    monkeypatch.setattr(cores, "cores", lambda: 1)
    assert workers(1000) == 1


def test_a_loaded_machine_gets_no_second_worker_unless_asked(monkeypatch):
    forks = "fork" in __import__("multiprocessing").get_all_start_methods()
    monkeypatch.setattr(cores, "cores", lambda: 2)
    monkeypatch.setattr(cores, "others", lambda: 2)  # two other jobs hold both cores
    assert workers(1000) == 1
    assert workers(1000, jobs=2) == (2 if forks else 1)
    monkeypatch.setattr(cores, "cores", lambda: 8)
    monkeypatch.setattr(cores, "others", lambda: 3.2)  # four of eight are free, and this one
    assert workers(1000) == (5 if forks else 1)


def test_the_other_work_is_what_runs_now(tmp_path, monkeypatch):
    """The kernel's count of runnable tasks, less this process; its 1-minute load average only
    where that count cannot be read; one core when neither can."""
    loadavg = tmp_path / "loadavg"
    monkeypatch.setattr(cores, "LOADAVG", loadavg)
    monkeypatch.setattr(cores, "cores", lambda: 2)
    monkeypatch.setattr(cores.os, "getloadavg", lambda: (1.7, 1.2, 0.9))
    loadavg.write_text("1.70 1.20 0.90 1/178 4242\n", encoding="ascii")  # an idle machine after a busy minute
    assert cores.others() == 0 and cores.free_cores() == 2
    loadavg.write_text("0.10 0.05 0.01 4/178 4242\n", encoding="ascii")  # three jobs just started
    assert cores.others() == 3 and cores.free_cores() == 1
    loadavg.write_text("garbled\n", encoding="ascii")
    assert cores.others() == 1.7 and cores.free_cores() == 1
    loadavg.unlink()
    assert cores.others() == 1.7
    monkeypatch.delattr(cores.os, "getloadavg")
    assert cores.others() is None and cores.free_cores() == 1


class _Counts:
    """/proc/loadavg as read at successive moments."""

    def __init__(self, *running):
        self.lines = [f"0.50 0.40 0.30 {r}/178 4242\n" for r in running]

    def read_text(self, encoding):
        return self.lines.pop(0)


def test_a_task_that_runs_for_an_instant_is_not_other_work(monkeypatch):
    """The least of three reads: a task seen once (a kernel thread) does not cost the second
    core; a job that holds one is runnable at every read."""
    monkeypatch.setattr(cores, "cores", lambda: 2)
    monkeypatch.setattr(cores.os, "getloadavg", lambda: (5.0, 5.0, 5.0))  # never asked: the kernel's count is read
    monkeypatch.setattr(cores, "LOADAVG", _Counts(2, 1, 2))
    assert cores.others() == 0
    monkeypatch.setattr(cores, "LOADAVG", _Counts(1, 2, 2))
    assert cores.free_cores() == 2
    monkeypatch.setattr(cores, "LOADAVG", _Counts(3, 3, 4, 3, 3, 4))  # two jobs at every read; three reads a call
    assert cores.others() == 2 and cores.free_cores() == 1


def test_no_worker_is_forked_once_a_threaded_library_is_loaded(monkeypatch):
    monkeypatch.setattr(parallel, "THREADED", ("pyarrow",))
    monkeypatch.setitem(__import__("sys").modules, "pyarrow", object())
    assert workers(1000, jobs=2) == 1


@fork_only
def test_a_story_that_cannot_be_read_comes_back_from_its_worker_as_its_error():
    # (a SourceError that could not be sent back broke the pool and redid every story here)
    parent = os.getpid()

    def fails(i):
        if os.getpid() == parent:
            time.sleep(0.3)  # this process is slow: the member does its own run, the last two
        return os.getpid(), SourceError(f"story-{i}.txt", "could not be processed", i or None)

    results = map_sources(fails, list(range(4)), jobs=2)
    assert parent not in {pid for pid, _ in results[2:]}
    assert [(e.path, e.reason, e.line, str(e)) for _, e in results] == [
        ("story-0.txt", "could not be processed", None, "story-0.txt: could not be processed"),
        ("story-1.txt", "could not be processed", 1, "story-1.txt:1: could not be processed"),
        ("story-2.txt", "could not be processed", 2, "story-2.txt:2: could not be processed"),
        ("story-3.txt", "could not be processed", 3, "story-3.txt:3: could not be processed")]


def test_jobs_are_at_most_one_per_core(monkeypatch):
    assert workers(5000, jobs=5000) == (2 if "fork" in __import__("multiprocessing").get_all_start_methods() else 1)


def test_no_worker_is_forked_beside_another_thread(monkeypatch):
    monkeypatch.setattr(parallel, "THREADED", ())
    import threading

    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        assert workers(1000, jobs=2) == 1
    finally:
        done.set()
        other.join()


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "  ", "\n"])
def test_a_spaced_meridiem_is_found_whatever_space_it_is_written_with(space):
    # the gate looks for a spaced word up to its first space, as the template takes any run of space
    assert [e.text for e in find(f"El corte empezó a las 3 p.{space}m. del lunes.", "es")] == [f"3 p.{space}m. del lunes"]


# The crew (map_phased): each item's two stages run in one process, with a barrier between.

def _kept_where_read(i):
    time.sleep(0.01)
    return (i, os.getpid()), i * 10


def _second_where_kept(kept, shared):
    i, pid = kept
    return i, pid, os.getpid(), shared


@fork_only
def test_the_crew_keeps_each_item_where_it_was_read_and_shares_what_all_told():
    told_to_combine = []

    def combine(told):
        told_to_combine.append(list(told))
        return sum(told)

    told, results = parallel.map_phased(_kept_where_read, combine, _second_where_kept, list(range(30)), jobs=2)
    assert told == [i * 10 for i in range(30)] and told_to_combine == [told]  # combined once, here, in order
    assert [r[0] for r in results] == list(range(30))
    assert {r[3] for r in results} == {sum(range(30)) * 10}
    assert all(first_pid == second_pid for _, first_pid, second_pid, _ in results)  # never sent across
    pids = {r[1] for r in results}
    assert os.getpid() in pids and len(pids) == 2  # this process is one of the crew


@fork_only
def test_a_process_through_its_own_run_takes_the_rest_of_anothers_and_reads_it_again():
    """The second stage is shared out as it goes: a member slow on its run leaves the last of its
    items to this process, which runs ``first`` on them again (what a member kept never travels)."""
    parent = os.getpid()

    def second(kept, shared):
        i, first_pid = kept
        time.sleep(0.05 if os.getpid() != parent else 0.01)  # a member's stories are long
        return i, first_pid, os.getpid(), shared

    told, results = parallel.map_phased(lambda i: ((i, os.getpid()), i), lambda told: len(told), second,
                                        list(range(40)), processes=2)
    assert told == list(range(40)) and [r[0] for r in results] == list(range(40))
    assert {r[3] for r in results} == {40}
    assert all(first_pid == second_pid for _, first_pid, second_pid, _ in results)
    taken = [i for i, _, pid, _ in results if i >= 20 and pid == parent]
    assert taken and taken == list(range(40 - len(taken), 40))  # from the end of the member's run
    assert any(pid != parent for _, _, pid, _ in results)


@fork_only
@pytest.mark.parametrize("stage", ["first", "second"])
def test_a_crew_member_that_dies_in_either_stage_costs_no_result(stage):
    parent = os.getpid()

    def first(i):
        if stage == "first" and i == 25 and os.getpid() != parent:
            os._exit(9)
        return i, i

    def second(kept, shared):
        if stage == "second" and kept == 25 and os.getpid() != parent:
            os._exit(9)
        return kept * shared

    told, results = parallel.map_phased(first, max, second, list(range(30)), jobs=2)
    assert told == list(range(30))
    assert results == [i * 29 for i in range(30)]


@fork_only
def test_a_crew_member_whose_results_cannot_be_sent_gives_them_here():
    told, results = parallel.map_phased(lambda i: (i, None), lambda told: 3, lambda k, s: (lambda: k + s),
                                        list(range(10)), jobs=2)
    assert [r() for r in results] == [i + 3 for i in range(10)]


def test_the_crew_runs_are_contiguous_and_balanced_by_weight():
    assert parallel._runs(10, 2, None) == [(0, 5), (5, 10)]
    assert parallel._runs(4, 2, [30, 1, 1, 1]) == [(0, 1), (1, 4)]  # one big file is a run of its own
    assert parallel._runs(3, 1, None) == [(0, 3)]
    assert parallel._runs(1, 2, None) == [(0, 1)]


@fork_only
def test_stories_logs_and_unreadable_files_together_give_the_same_bytes_on_two_processes(tmp_path):
    """The crew reads the stories; the log is left to this process, and the files that cannot be
    read are reported in the files' order either way."""
    _stories(tmp_path)
    tmp_path.joinpath("story-030b.txt").write_bytes(b"\x00\x01\x02" * 400)  # no reader recognises it
    tmp_path.joinpath("story-031b.log").write_text(
        "".join(f"2024-03-0{1 + i // 60}T0{3 + (i // 20) % 5}:{i % 60:02d}:00Z ERROR upstream timeout\n"
                for i in range(120)), encoding="utf-8")
    one = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json", "--jobs", "1"])
    two = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json", "--jobs", "2"])
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)
    sources = {s["path"].rsplit("/", 1)[-1]: s for s in json.loads(two.stdout)["sources"]}
    assert len(sources) == 71 and sources["story-031b.log"]["type"] == "log"
    assert "story-030b.txt" in two.stderr


def test_a_member_sends_its_results_only_while_the_pipe_has_room_for_them():
    """Nobody reads the pipe (this process is busy with a long item of its own): a member with
    large results keeps them and goes on, rather than wait in send; its last parcels go whatever
    the room, each item once, in the order they were done, then the empty parcel."""
    import pickle
    import threading
    from multiprocessing import Pipe

    here, there = Pipe()
    out = parallel._Parcels(there)
    result = b"x" * 65536

    def work():
        for i in range(40):
            out[i] = result

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive()  # never blocked: 2.6 MB against a buffer of some 200 KB
    assert out.gathered  # what found no room is kept
    parcels = []
    ender = threading.Thread(target=out.last, daemon=True)
    ender.start()
    while not parcels or parcels[-1]:
        parcels.append(here.recv())
    ender.join(10)
    sent = [(i, pickle.loads(blob)) for parcel in parcels for i, blob in parcel]
    assert sent == [(i, result) for i in range(40)]
    assert all(sum(len(blob) for _, blob in parcel) <= max(parallel.PARCEL_BYTES, 65536 + 64) for parcel in parcels)
