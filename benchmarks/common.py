"""What every benchmark shares: run a command as a user would, measure wall time and peak RSS,
alternate the contenders, take medians, print a table.

Each run is its own child process (``os.wait4`` gives that child's peak RSS), so one tool's
imports, caches and memory never count for another.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    wall: float
    rss_mib: float
    out: str
    cpu: float = float("nan")
    """User plus system CPU seconds of the run and its children: less noisy than wall time on a
    shared machine (it does not count the time spent waiting for a core)."""


def measure(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> Run:
    """Run ``cmd`` to the end, its output read (and kept) as a user's pipe would."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err.read().decode(errors='replace')[-800:]}")
    return Run(wall, usage.ru_maxrss / 1024, out.decode(errors="replace"), usage.ru_utime + usage.ru_stime)


def alternate(contenders: dict[str, callable], runs: int) -> dict[str, list[Run]]:
    """Run each contender ``runs`` times, taking turns (A B A B …), so drift hits both alike."""
    out: dict[str, list[Run]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, run in contenders.items():
            out[name].append(run())
    return out


def median(runs: list[Run]) -> Run:
    """The median wall and CPU time, the largest RSS seen, and the output of the median run."""
    ordered = sorted(runs, key=lambda r: r.wall)
    mid = ordered[len(ordered) // 2]
    return Run(statistics.median(r.wall for r in runs), max(r.rss_mib for r in runs), mid.out,
               statistics.median(r.cpu for r in runs))


def fresh_home() -> dict:
    """The environment with an empty HOME (lnav keeps an index and config there)."""
    return dict(os.environ, HOME=tempfile.mkdtemp(prefix="bench-home-"))


def measure_home(cmd: list[str]) -> Run:
    """``measure`` with a fresh HOME, removed afterwards."""
    env = fresh_home()
    try:
        return measure(cmd, env=env)
    finally:
        shutil.rmtree(env["HOME"], ignore_errors=True)


def wall(runs: list[Run]) -> str:
    """The median wall time, and the fastest-slowest range so that the noise shows beside it."""
    walls = sorted(r.wall for r in runs)
    return f"{statistics.median(walls):.2f} ({walls[0]:.2f}-{walls[-1]:.2f})" if len(walls) > 1 else f"{walls[0]:.2f}"


def outagetl_command() -> list[str]:
    """The ``outagetl`` console script of the running interpreter's environment, its bytecode
    compiled first, as ``pip install`` leaves it: a module edited since its ``.pyc`` was written
    is compiled again on every run when ``PYTHONDONTWRITEBYTECODE`` is set (0.3 s of start-up)."""
    import compileall

    import outagetl

    compileall.compile_dir(Path(outagetl.__file__).parent, quiet=1)
    script = Path(sys.executable).with_name("outagetl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "outagetl"]


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, so the README can show exactly what was printed."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def load() -> float:
    """The 1-minute load average (other work on the machine), NaN where there is none."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def machine() -> str:
    return f"{os.cpu_count()} CPUs, load {load():.1f} at start, Python {sys.version.split()[0]}"
