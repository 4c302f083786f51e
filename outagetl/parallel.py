"""The per-source stages on every core: reading a story's times and claims depends on that story
alone (and on values every story shares), so many stories are split among worker processes.

Why processes: the stages are pure Python, which one interpreter runs on one core at a time. The
workers are forked, so they start with everything the parent has loaded and compiled, and each
is given a contiguous run of the sources by index (nothing is sent to them), this process
among them; a process through its run takes what is left of another's. Only results travel
back, and they are put in the sources' order, so the output is the same bytes as one process gives.

A run uses the workers only when it pays (``MIN_SOURCES`` stories or more), when the machine
has more than one core free for it (``cores.free_cores``), when fork is available, and when nothing that runs threads of its
own has been loaded (a log read with Arrow): forking beside a running thread can hang the child.
Whatever goes wrong with the workers themselves (they cannot start, one is killed, a result
cannot be sent back), the same work is done again in this process: a run never loses its output
to parallelism.
"""
from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import TypeVar

from . import cores

T = TypeVar("T")
R = TypeVar("R")

MIN_SOURCES = 64
"""Fewer stories are read faster by one process than by starting workers and sending results back."""
THREADED = ("pyarrow", "polars", "hyperscan", "pyspark")
"""Modules that start threads of their own: once one is loaded, no worker is forked."""


def workers(count: int, jobs: int | None = None) -> int:
    """How many processes read ``count`` sources: ``jobs`` when given (at most one per core), else
    one per free core when there are enough sources to pay for them; 1 means this process alone."""
    wanted = min(jobs, cores.cores()) if jobs else (cores.free_cores() if count >= MIN_SOURCES else 1)
    if wanted <= 1 or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    # Another thread (a host application's, a library's) may hold a lock the child would need:
    # this process alone then.
    if threading.active_count() > 1 or any(name in sys.modules for name in THREADED):
        return 1
    return min(wanted, count)


def map_sources(fn: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> list[R]:
    """``[fn(item) for item in items]``, on several processes when that pays; same result, same order.
    ``fn`` must catch what one item may raise: an exception escaping it is a defect of the program
    (it is raised here, as without workers). The crew of ``map_phased`` with nothing to tell at
    its barrier: each process holds the items (forked, never sent), this one among them, and
    none outlives this process (a ProcessPoolExecutor's workers, waiting on a queue whose
    writing end they hold themselves, were left running for ever when it was killed)."""
    n = workers(len(items), jobs)
    if n == 1:
        return [fn(item) for item in items]
    return map_phased(lambda item: (item, None), lambda told: None, lambda item, _: fn(item), items, processes=n)[1]


def map_phased(first: Callable[[T], tuple], combine: Callable[[list], object], second: Callable,
               items: Sequence[T], jobs: int | None = None, weights: Sequence[int] | None = None,
               processes: int | None = None, again: Callable[[T, object], object] | None = None) -> tuple[list, list]:
    """Two stages over ``items`` with a barrier between, each item's two stages in one process.

    ``first(item)`` gives ``(kept, told)``; once every item is through it, ``combine(told, in the
    items' order)`` runs here and gives ``shared``; then ``second(kept, shared)`` runs on every
    item where its ``first`` ran. What ``first`` keeps (a story's records) never travels between
    processes; only what it tells, ``shared`` and what ``second`` gives do. Returns (told,
    results), both in the items' order: the same values one process gives.

    This process is one of the crew (it takes the first run of items, ``weights`` balancing the
    runs); each other member is forked once and holds its run across the barrier. In the second
    stage a process that is through its own run takes the items not yet begun from the end of
    another's and runs ``again(item, told)`` on them, what ``first`` kept of an item given what
    its first run told (a story read twice costs less than a core left idle while the other
    parses the last tenth). By default ``again`` is ``first(item)[0]``, so ``first`` must then
    give the same ``kept`` each time; the stories' ``again`` checks that the file is unchanged.
    A member that fails (cannot start, is killed, cannot send) costs nothing but time: its
    items are done here. ``first`` and ``second`` must catch what one item may raise, as for
    ``map_sources``. ``processes``: how many, as ``workers`` said to a caller that asked first
    (the count of free cores changes from one moment to the next)."""
    n = processes or workers(len(items), jobs)
    runs = _runs(len(items), n, weights)
    crew: list = []
    try:
        return _phased(first, combine, second, items, runs, crew, again or (lambda item, _told: first(item)[0]))
    finally:  # an exception here (a defect, Ctrl-C): no member is left waiting
        for member in crew:
            if member is not None:
                member[0].kill()
                _end(member)


def _phased(first, combine, second, items, runs, crew, again):
    left = _Left(runs)
    for k, run in enumerate(runs[1:], start=1):
        _start(first, second, again, items, k, run, left, crew)
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
        if member is not None and not _told(member, (shared, told_all)):
            crew[k - 1] = None
            kept_by_run[k] = _first(first, items, runs[k])[0]
    results: dict[int, object] = {}
    here = _Second(again, second, items, shared, told_all, left)
    for k, kept in kept_by_run.items():  # this process's run, and those of members that failed
        here.own(k, runs[k][0], kept, results, lambda: _collect(crew, results, wait=False))
    here.others(results, lambda: _collect(crew, results, wait=False))
    _collect(crew, results, wait=True)
    for i in range(len(items)):  # what a member took and could not send
        if i not in results:
            results[i] = second(again(items[i], told_all[i]), shared)
    return told_all, [results[i] for i in range(len(items))]


class _Left:
    """Where each run's items not yet begun in the second stage lie, ``[lo, hi)``, in a page that
    every member shares (anonymous, mapped before the fork): its holder takes them from the
    front, the others from the back. Taking is not locked: a race can make two processes do one
    item (the same result, kept once) but never lose one, since each process only moves a
    bound past the item it takes; and whatever no member sent is done here at the end (a lock
    held by a member that is killed would stop every other process)."""

    def __init__(self, runs: list[tuple[int, int]]):
        self._page = mmap.mmap(-1, 16 * len(runs))
        self.bounds = memoryview(self._page).cast("q")
        for k, (lo, hi) in enumerate(runs):
            self.bounds[2 * k], self.bounds[2 * k + 1] = lo, hi
        self.runs = len(runs)

    def front(self, k: int) -> int | None:
        lo = self.bounds[2 * k]
        if lo >= self.bounds[2 * k + 1]:
            return None
        self.bounds[2 * k] = lo + 1
        return lo

    def back(self) -> int | None:
        """The last item not begun of the run with the most of them, or None when all are."""
        k = max(range(self.runs), key=lambda r: self.bounds[2 * r + 1] - self.bounds[2 * r])
        hi = self.bounds[2 * k + 1]
        if hi <= self.bounds[2 * k]:
            return None
        self.bounds[2 * k + 1] = hi - 1
        return hi - 1


class _Second:
    """One process's second stage: the items it holds from their front, then the others' from
    their back (what ``first`` kept of those given by ``again``, with what their first run told)."""

    def __init__(self, again, second, items, shared, told: list, left: _Left):
        self.again, self.second, self.items, self.shared, self.told, self.left = again, second, items, shared, told, left

    def own(self, k: int, start: int, kept: list, out, between=lambda: None) -> None:
        """Run ``k``'s items from the front, ``kept`` holding what ``first`` kept of each from ``start``."""
        while (i := self.left.front(k)) is not None:
            out[i] = self.second(kept[i - start], self.shared)
            between()

    def others(self, out, between=lambda: None) -> None:
        while (i := self.left.back()) is not None:
            out[i] = self.second(self.again(self.items[i], self.told[i]), self.shared)
            between()


SENT_EVERY = 32
PARCEL_BYTES = 65536
"""A member sends its results as it goes, so that this process takes them in between its own
items rather than all at the end while the other cores wait: a parcel of up to ``SENT_EVERY``
items or ``PARCEL_BYTES`` pickled bytes, and only while the pipe has room for it (a Unix socket
is writable while at most a quarter of its buffer, some 200 KB, is used), so that a member never
waits in ``send`` while this process is busy with an item of its own (a long export: a member
of 64 KB results once waited there for most of its stage). Its last parcels are sent whatever
the room."""


class _Parcels:
    """A member's results, each pickled as it is done (``out[i] = result``), sent in parcels when
    the pipe has room, then an empty parcel last."""

    def __init__(self, conn):
        self.conn, self.gathered, self.size = conn, deque(), 0

    def __setitem__(self, i: int, result) -> None:
        blob = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        self.gathered.append((i, blob))
        self.size += len(blob)
        if len(self.gathered) >= SENT_EVERY or self.size >= PARCEL_BYTES:
            self.send(wait=False)

    def send(self, wait: bool) -> None:
        """Parcels of what is gathered while the pipe has room (``wait``: all of it, whatever the room)."""
        while self.gathered and (wait or _room(self.conn)):
            parcel = [self.gathered.popleft()]
            size = len(parcel[0][1])
            while self.gathered and len(parcel) < SENT_EVERY and size + len(self.gathered[0][1]) <= PARCEL_BYTES:
                parcel.append(self.gathered.popleft())
                size += len(parcel[-1][1])
            self.size -= size
            self.conn.send(parcel)

    def last(self) -> None:
        """What is left, then the empty parcel that says nothing more comes."""
        self.send(wait=True)
        self.conn.send([])


def _room(conn) -> bool:
    """Whether the pipe can take a parcel now without waiting for this process to read."""
    try:
        return bool(select.select([], [conn.fileno()], [], 0)[1])
    except (OSError, ValueError):
        return True


def _collect(crew, results: dict, wait: bool) -> None:
    """The parcels the members have sent (with ``wait``, every one, up to each member's last)."""
    for k, member in enumerate(crew):
        while member is not None and (wait or member[1].poll()):
            got = _parcel(member)
            if got is None:
                crew[k] = member = None
                break
            for i, result in got:
                results.setdefault(i, result)


def _parcel(member) -> list[tuple[int, object]] | None:
    """A member's next parcel of results, unpickled; None after its last (it is ended) or when it
    failed, or sent what cannot be read (it is given up: what it took is done here)."""
    parcel = _heard(member)
    if parcel is None:
        return None
    if not parcel:
        _end(member)
        return None
    try:
        return [(i, pickle.loads(blob)) for i, blob in parcel]
    except Exception:  # noqa: BLE001 - an unpickling error
        _given_up(member)
        return None


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


def _member(conn, ours, first, second, again, items, k, run, left, parent: int) -> None:
    """A forked member of the crew: its run through ``first``, what it told sent, ``shared`` awaited,
    its run through ``second`` and then what is left of the others', the results sent as it goes
    and an empty parcel last. The parent's ends of the pipes are closed here, so that the parent's
    death is an EOF; Ctrl-C is the parent's to handle; whatever fails ends the member quietly (the
    parent does what it did not send)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _MASKS:  # held back by _start until this member was known
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with(parent)
    for other in ours:
        other.close()
    try:
        kept, told = _first(first, items, run)
        conn.send(told)
        shared, told_all = conn.recv()
        here, out = _Second(again, second, items, shared, told_all, left), _Parcels(conn)
        here.own(k, run[0], kept, out)
        here.others(out)
        out.last()
        conn.close()
    except BaseException:  # noqa: BLE001 - the parent redoes what it did not get
        os._exit(1)


def _start(first, second, again, items, k, run, left, crew: list) -> None:
    """A member forked for run ``k``, added to ``crew`` with the pipe it answers on (None when it
    cannot start). Ctrl-C is held back from the fork until the member is in ``crew``: a member
    interrupted before it ignores SIGINT printed its traceback, and one forked just before this
    process was interrupted was in no list to be ended."""
    context = multiprocessing.get_context("fork")
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if _MASKS else None
    try:
        ours = [m[1] for m in crew if m is not None]
        try:
            here, there = context.Pipe()
            process = context.Process(target=_member, daemon=True,
                                      args=(there, [here, *ours], first, second, again, items, k, run, left,
                                            os.getpid()))
            process.start()
        except Exception:  # noqa: BLE001 - no process, no pipe: the run is done here
            crew.append(None)
            return
        there.close()
        crew.append((process, here))
    finally:
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


_MASKS = hasattr(signal, "pthread_sigmask")
PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Have the kernel end this member when the process that forked it dies (Linux's
    ``prctl(PR_SET_PDEATHSIG)``), and end it now if that has already happened: a member busy
    reading noticed a ``kill -9`` of the CLI only when it next sent (its first stage's end, or
    a parcel later), with the CLI's output pipe held open all the while. Elsewhere, the pipe's
    EOF at the next send is what ends it."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _heard(member):
    """What a member sends next, or None when it failed (ended, killed, or what it sent cannot be read)."""
    if member is None:
        return None
    try:
        return member[1].recv()
    except Exception:  # noqa: BLE001 - EOFError, OSError, an unpickling error
        _given_up(member)
        return None


def _given_up(member) -> None:
    """A member that failed: ended now, not at its next send (up to a parcel later, this process
    idle in join)."""
    member[0].kill()
    _end(member)


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
