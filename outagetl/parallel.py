"""The per-source stages on every core: reading a story's times and claims depends on that story
alone (and on values every story shares), so many stories are split among worker processes.

Why processes: the stages are pure Python, which one interpreter runs on one core at a time. The
workers are forked, so they start with everything the parent has loaded and compiled, and each
is given a contiguous run of the sources by index (nothing is sent to them); only their results
travel back, in the sources' order, so the output is the same bytes as one process gives.

A run uses the workers only when it pays (``MIN_SOURCES`` stories or more), when the machine
has more than one core free for it (``cores.free_cores``), when fork is available, and when nothing that runs threads of its
own has been loaded (a log read with Arrow): forking beside a running thread can hang the child.
Whatever goes wrong with the workers themselves (they cannot start, one is killed, a result
cannot be sent back), the same work is done again in this process: a run never loses its output
to parallelism.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from . import cores

T = TypeVar("T")
R = TypeVar("R")

MIN_SOURCES = 64
"""Fewer stories are read faster by one process than by starting workers and sending results back."""
CHUNKS_PER_WORKER = 4
"""Runs of sources per worker: small enough that one long story does not leave a core idle."""
THREADED = ("pyarrow", "polars", "hyperscan", "pyspark")
"""Modules that start threads of their own: once one is loaded, no worker is forked."""

_JOB: tuple[Callable, Sequence] | None = None


def workers(count: int, jobs: int | None = None) -> int:
    """How many processes read ``count`` sources: ``jobs`` when given (at most one per core), else
    one per free core when there are enough sources to pay for them; 1 means this process alone."""
    wanted = min(jobs, cores.cores()) if jobs else (cores.free_cores() if count >= MIN_SOURCES else 1)
    if wanted <= 1 or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    # Another thread (a host application's, a library's) may hold a lock the child would need, and
    # a second caller of map_sources would share _JOB: this process alone then.
    if threading.active_count() > 1 or any(name in sys.modules for name in THREADED):
        return 1
    return min(wanted, count)


def map_sources(fn: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> list[R]:
    """``[fn(item) for item in items]``, on several processes when that pays; same result, same order.
    ``fn`` must catch what one item may raise: an exception escaping it is a defect of the program."""
    n = workers(len(items), jobs)
    if n == 1:
        return [fn(item) for item in items]
    global _JOB
    _JOB = (fn, items)
    step = max(1, -(-len(items) // (n * CHUNKS_PER_WORKER)))
    runs = [(lo, min(lo + step, len(items))) for lo in range(0, len(items), step)]
    try:
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_run, runs))
    except Exception:  # noqa: BLE001
        # The workers failed (could not start, one was killed, a result could not be sent back:
        # AttributeError or PicklingError): do the work here. A defect of ``fn`` itself raises
        # again, here, as it would have without workers.
        return [fn(item) for item in items]
    finally:
        _JOB = None
    return [result for part in parts for result in part]


def _run(run: tuple[int, int]) -> list:
    fn, items = _JOB
    return [fn(items[i]) for i in range(*run)]


def map_phased(first: Callable[[T], tuple], combine: Callable[[list], object], second: Callable,
               items: Sequence[T], jobs: int | None = None, weights: Sequence[int] | None = None,
               processes: int | None = None) -> tuple[list, list]:
    """Two stages over ``items`` with a barrier between, each item's two stages in one process.

    ``first(item)`` gives ``(kept, told)``; once every item is through it, ``combine(told, in the
    items' order)`` runs here and gives ``shared``; then ``second(kept, shared)`` runs on every
    item where its ``first`` ran. What ``first`` keeps (a story's records) never travels between
    processes; only what it tells, ``shared`` and what ``second`` gives do. Returns (told,
    results), both in the items' order: the same values one process gives.

    This process is one of the crew (it takes the first run of items, ``weights`` balancing the
    runs); each other member is forked once and holds its run across the barrier. A member that
    fails (cannot start, is killed, cannot send) costs nothing but time: its run is done here.
    ``first`` and ``second`` must catch what one item may raise, as for ``map_sources``.
    ``processes``: how many, as ``workers`` said to a caller that asked first (the count of free
    cores changes from one moment to the next)."""
    n = processes or workers(len(items), jobs)
    runs = _runs(len(items), n, weights)
    crew: list = []
    try:
        return _phased(first, combine, second, items, runs, crew)
    finally:  # an exception here (a defect, Ctrl-C): no member is left waiting
        for member in crew:
            if member is not None:
                member[0].kill()
                _end(member)


def _phased(first, combine, second, items, runs, crew):
    for run in runs[1:]:
        crew.append(_start(first, second, items, run, [m[1] for m in crew if m is not None]))
    kept, told = _first(first, items, runs[0])
    kept_by_run: dict[int, list] = {0: kept}
    told_by_run = [told]
    for k, member in enumerate(crew, start=1):
        heard = _heard(member)
        if heard is None:  # failed: its run is done here
            crew[k - 1] = None
            kept_by_run[k], heard = _first(first, items, runs[k])
        told_by_run.append(heard)
    told_all = [t for part in told_by_run for t in part]
    shared = combine(told_all)
    for k, member in enumerate(crew, start=1):
        if member is not None and not _told(member, shared):
            crew[k - 1] = None
            kept_by_run[k] = _first(first, items, runs[k])[0]
    results_by_run = {0: [second(k, shared) for k in kept_by_run[0]]}
    for k, member in enumerate(crew, start=1):
        got = _heard(member) if member is not None else None
        if got is None:
            crew[k - 1] = None
            if k not in kept_by_run:
                kept_by_run[k] = _first(first, items, runs[k])[0]
            got = [second(one, shared) for one in kept_by_run[k]]
        results_by_run[k] = got
    for k, member in enumerate(crew):
        if member is not None:
            _end(member)
            crew[k] = None
    return told_all, [r for k in range(len(runs)) for r in results_by_run[k]]


def _runs(count: int, n: int, weights: Sequence[int] | None) -> list[tuple[int, int]]:
    """``n`` contiguous runs of the items, of about equal total weight (one when ``n`` is 1)."""
    if n <= 1 or count < 2:
        return [(0, count)]
    weights = list(weights) if weights is not None else [1] * count
    total = sum(max(w, 1) for w in weights)
    runs, lo, acc = [], 0, 0
    for i, w in enumerate(weights):
        acc += max(w, 1)
        if len(runs) < n - 1 and acc * n >= total * (len(runs) + 1) and i + 1 < count:
            runs.append((lo, i + 1))
            lo = i + 1
    runs.append((lo, count))
    return runs


def _first(first, items, run) -> tuple[list, list]:
    kept, told = [], []
    for i in range(*run):
        k, t = first(items[i])
        kept.append(k)
        told.append(t)
    return kept, told


def _member(conn, ours, first, second, items, run) -> None:
    """A forked member of the crew: its run through ``first``, what it told sent, ``shared`` awaited,
    its run through ``second``, the results sent. The parent's ends of the pipes are closed here, so
    that the parent's death is an EOF; Ctrl-C is the parent's to handle; whatever fails ends the
    member quietly (the parent does its run)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for other in ours:
        other.close()
    try:
        kept, told = _first(first, items, run)
        conn.send(told)
        shared = conn.recv()
        conn.send([second(k, shared) for k in kept])
        conn.close()
    except BaseException:  # noqa: BLE001 - the parent redoes the run
        os._exit(1)


def _start(first, second, items, run, ours=()):
    """A member forked for ``run`` with the pipe it answers on; None when it cannot start."""
    context = multiprocessing.get_context("fork")
    try:
        here, there = context.Pipe()
        process = context.Process(target=_member, args=(there, [here, *ours], first, second, items, run), daemon=True)
        process.start()
    except Exception:  # noqa: BLE001 - no process, no pipe: the run is done here
        return None
    there.close()
    return process, here


def _heard(member):
    """What a member sends next, or None when it failed (ended, killed, or what it sent cannot be read)."""
    if member is None:
        return None
    try:
        return member[1].recv()
    except Exception:  # noqa: BLE001 - EOFError, OSError, an unpickling error
        _end(member)
        return None


def _told(member, shared) -> bool:
    try:
        member[1].send(shared)
        return True
    except Exception:  # noqa: BLE001 - a broken pipe: the member has ended
        _end(member)
        return False


def _end(member) -> None:
    process, conn = member
    conn.close()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()
