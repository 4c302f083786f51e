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
