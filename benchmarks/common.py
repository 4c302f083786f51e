"""What every benchmark shares: run a command as a user would, measure wall time and peak RSS,
alternate the contenders, take medians, print a table.

Each run is its own child process (``os.wait4`` gives that child's peak RSS), so one tool's
imports, caches and memory never count for another.
"""
from __future__ import annotations

import os
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
    return Run(wall, usage.ru_maxrss / 1024, out.decode(errors="replace"))


def alternate(contenders: dict[str, callable], runs: int) -> dict[str, list[Run]]:
    """Run each contender ``runs`` times, taking turns (A B A B …), so drift hits both alike."""
    out: dict[str, list[Run]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, run in contenders.items():
            out[name].append(run())
    return out


def median(runs: list[Run]) -> Run:
    """The run of median wall time (its RSS is that run's), and the largest RSS seen."""
    ordered = sorted(runs, key=lambda r: r.wall)
    mid = ordered[len(ordered) // 2]
    return Run(statistics.median(r.wall for r in runs), max(r.rss_mib for r in runs), mid.out)


def fresh_home() -> dict:
    """The environment with an empty HOME (lnav keeps an index and config there)."""
    return dict(os.environ, HOME=tempfile.mkdtemp(prefix="bench-home-"))


def outagetl_command() -> list[str]:
    """The ``outagetl`` console script of the running interpreter's environment."""
    script = Path(sys.executable).with_name("outagetl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "outagetl"]


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, so the README can show exactly what was printed."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def machine() -> str:
    cpus = os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{cpus} CPUs, load {load:.1f} at start, Python {sys.version.split()[0]}"
