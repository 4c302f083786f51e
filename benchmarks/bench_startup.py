"""Benchmark: what a run costs before it reads anything: ``outagetl --help``, a build of the bundled
example (three stories and two posts: a text-only build), and a build of a 1,000-line log against
lnav's errors-per-minute query on the same file, beside the bare interpreter (``python -c pass``,
this environment's site loaded), the floor no command of ours can go under.

Each command runs as a user runs it, in its own process, the commands taking turns ``--runs``
times; the table gives the median wall time (fastest-slowest), CPU and peak RSS. The goal of issue
12 is ``outagetl --help`` in at most 0.15 s.

    python benchmarks/bench_startup.py [--runs 10]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench_logs import generate, lnav_command
from common import alternate, machine, measure, measure_home, median, outagetl_command, table, wall

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "facebook-2019-07-03"
HELP_GOAL = 0.15
"""Seconds: ``outagetl --help`` is what a newcomer runs first, and every usage error costs as much."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="outagetl-bench-startup-"))
    try:
        log = generate(root, "iso", 1000)
        ours = outagetl_command()
        contenders = {
            "python -c pass": lambda: measure([sys.executable, "-c", "pass"]),
            "outagetl --help": lambda: measure(ours + ["--help"]),
            "outagetl build EXAMPLE --format json": lambda: measure(ours + ["build", str(EXAMPLE), "--format", "json"]),
            "outagetl build LOG --format json": lambda: measure(ours + ["build", *map(str, log), "--format", "json"]),
        }
        lnav = shutil.which("lnav")
        if lnav:
            contenders["lnav (errors per minute) LOG"] = lambda: measure_home(lnav_command(lnav, log))
        print(f"start-up: each command {args.runs} times, taking turns; LOG is 1,000 ISO lines, EXAMPLE "
              f"the bundled Facebook example; {machine()}")
        if not lnav:
            print("lnav: NOT FOUND on PATH: the log row has no reference (apt-get install -y lnav)")
        runs = alternate(contenders, args.runs)
        rows = []
        for name, done in runs.items():
            m = median(done)
            rows.append([name, wall(done), f"{m.cpu:.2f}", f"{m.rss_mib:.0f}"])
        print(table(["command", "wall s (range)", "cpu s", "MiB"], rows))
        helped = median(runs["outagetl --help"]).wall
        print(f"outagetl --help: {helped:.3f} s, goal {HELP_GOAL:.2f} s: {'met' if helped <= HELP_GOAL else 'NOT met'}; "
              f"{helped / median(runs['python -c pass']).wall:.1f}x the bare interpreter")
        if lnav:
            built, theirs = median(runs["outagetl build LOG --format json"]), median(runs["lnav (errors per minute) LOG"])
            print(f"1,000-line log: outagetl {built.wall / theirs.wall:.1f}x lnav's wall time "
                  f"({built.cpu / theirs.cpu:.1f}x its CPU): the fixed cost every log build pays")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
