"""Benchmark: ``outagetl build LOG --format json`` (the CLI as a user runs it) against lnav's
errors-per-minute query, on the same generated logs, in the same run.

Two shapes, each at 0.25 M, 1 M and 4 M lines (fixed seed, a day of traffic with a one-hour
burst of errors):
  iso: one app log with ISO 8601 timestamps (``2019-07-03T13:18:00.123Z ERROR [worker-3] …``);
  mix: three files, 40 % RFC 3164 syslog, 30 % nginx access log, 30 % log4j-style app log.
For each, outagetl, lnav and outagetl made to read each big log with two processes take turns
(outagetl, lnav, two, outagetl, …) ``--runs`` times each. outagetl as a user runs it reads a big
log with two processes only when a core is free (``outagetl.logs.reader.SPLIT_BYTES``,
``_processes``); "two processes" is ``OUTAGETL_LOG_PROCESSES=2``, so the table shows whether the
second one would have paid in this run. The table gives the median wall time with the
fastest-slowest range (the machine is shared: the range is the noise); the median CPU time
(user + system, children included; waiting for a core does not count); the largest peak RSS (of
the largest process); the ratios outagetl/lnav of wall time (the target) and of CPU time. The
load average is printed before and after.

    lnav -n -c ";SELECT strftime('%Y-%m-%dT%H:%M', log_time) AS m, count(*) FROM all_logs
                WHERE log_level = 'error' GROUP BY m" FILES        (a fresh HOME per run)
    outagetl build FILES --format json [--year 2019 for the year-less syslog]

    python benchmarks/bench_logs.py [--lines 250000,1000000,4000000] [--shapes iso,mix]
                                    [--runs 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from common import alternate, load, machine, measure, measure_home, median, outagetl_command, table, wall

SEED = 4
LNAV_SQL = (";SELECT strftime('%Y-%m-%dT%H:%M', log_time) AS m, count(*) FROM all_logs "
            "WHERE log_level = 'error' GROUP BY m")
SHAPES = {"iso": (("app-iso.log", 1.0),),
          "mix": (("syslog.log", 0.4), ("access.log", 0.3), ("app.log", 0.3))}
START = datetime(2019, 7, 3, 0, 0)
BURST = (13 * 3600, 14 * 3600)


def lnav_command(lnav: str, paths: list[Path]) -> list[str]:
    """lnav's errors-per-minute query over ``paths``: the reference both log benchmarks run."""
    return [lnav, "-n", "-c", LNAV_SQL, *map(str, paths)]


def _line(kind: str, i: int, bad: bool, stamp: str) -> str:
    if kind == "app-iso.log":
        level = "ERROR" if bad else ("WARN" if i % 97 == 0 else "INFO")
        msg = "upstream photos-origin returned 503" if bad else f"handled request id={i} in {i % 90} ms"
        return f"{stamp}.{i % 1000:03d}Z {level} [worker-{i % 16}] {msg}\n"
    if kind == "syslog.log":
        msg = "upstream error: connection refused" if bad else "request ok"
        return f"{stamp} edge-{i % 7} nginx[{1000 + i % 50}]: {msg}\n"
    if kind == "access.log":
        status = 503 if bad else 200
        return (f'10.0.{i % 256}.{i % 200} - - [{stamp} +0000] "GET /p/{i} HTTP/1.1" '
                f'{status} {0 if bad else 5120} "-" "bench"\n')
    level = "ERROR" if bad else "INFO"
    return f"{stamp},{i % 1000:03d} {level} worker-{i % 16} handled job {i}\n"


_STAMPS = {"app-iso.log": lambda t: f"{t:%Y-%m-%dT%H:%M:%S}", "syslog.log": lambda t: f"{t:%b} {t.day:2d} {t:%H:%M:%S}",
           "access.log": lambda t: f"{t:%d/%b/%Y:%H:%M:%S}", "app.log": lambda t: f"{t:%Y-%m-%d %H:%M:%S}"}


def generate(folder: Path, shape: str, total: int) -> list[Path]:
    """The shape's files with ``total`` lines between them, spread evenly over one day."""
    rnd = random.Random(f"{SEED}-{shape}-{total}")
    paths = []
    for name, share in SHAPES[shape]:
        path = folder / name
        paths.append(path)
        if path.exists():
            continue
        n = int(total * share)
        step = 86400 / n
        stamp_of, last, stamp = _STAMPS[name], -1, ""
        with open(path.with_suffix(".tmp"), "w", encoding="utf-8") as f:
            for i in range(n):
                second = int(i * step)
                if second != last:
                    stamp, last = stamp_of(START + timedelta(seconds=second)), second
                bad = rnd.random() < (0.4 if BURST[0] <= second < BURST[1] else 0.01)
                f.write(_line(name, i, bad, stamp))
        path.with_suffix(".tmp").rename(path)
    return paths


def lnav_errors(out: str) -> int:
    rows = [r.split() for r in out.splitlines()[1:] if r.strip()]
    return sum(int(r[-1]) for r in rows if len(r) >= 2 and r[-1].isdigit())


def outagetl_summary(out: str) -> str:
    timeline = json.loads(out)
    kinds = [e["kind"] for e in timeline["events"]]
    return f"{len(kinds)} events ({', '.join(sorted(set(kinds)))})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", default="250000,1000000,4000000", help="comma-separated sizes")
    ap.add_argument("--shapes", default="iso,mix")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (reused next time)")
    args = ap.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="outagetl-bench-logs-"))
    lnav = shutil.which("lnav")
    version = subprocess.run([lnav, "-V"], capture_output=True, text=True).stdout.strip() if lnav else "absent"
    print(f"logs: outagetl build FILES --format json vs {version} errors-per-minute query; "
          f"median of {args.runs} alternating runs; {machine()}")
    if not lnav:
        print("lnav: NOT FOUND on PATH: only outagetl is measured, no ratio (apt-get install -y lnav)")
    rows = []
    try:
        for shape in args.shapes.split(","):
            for total in (int(x) for x in args.lines.split(",")):
                folder = root / f"{shape}-{total}"
                folder.mkdir(parents=True, exist_ok=True)
                t0 = time.perf_counter()
                paths = generate(folder, shape, total)
                size = sum(p.stat().st_size for p in paths) / 1e6
                print(f"  {shape} {total:,} lines ({size:.0f} MB) ready in {time.perf_counter() - t0:.1f} s",
                      file=sys.stderr)
                cmd = outagetl_command() + ["build", *map(str, paths), "--format", "json"]
                if shape == "mix":
                    cmd += ["--year", "2019"]
                contenders = {"outagetl": lambda cmd=cmd: measure(cmd)}
                if lnav:
                    contenders["lnav"] = lambda paths=paths: measure_home(lnav_command(lnav, paths))
                contenders["two"] = lambda cmd=cmd: measure(cmd, env=dict(os.environ, OUTAGETL_LOG_PROCESSES="2"))
                runs = alternate(contenders, args.runs)
                ours, two = median(runs["outagetl"]), median(runs["two"])
                if two.out != ours.out:
                    raise SystemExit(f"{shape} {total}: two processes gave another timeline than the default")
                row = [shape, f"{total:,}", f"{size:.0f}", wall(runs["outagetl"]), f"{ours.cpu:.2f}",
                       f"{ours.rss_mib:.0f}", wall(runs["two"]), f"{two.rss_mib:.0f}"]
                if lnav:
                    theirs = median(runs["lnav"])
                    row += [wall(runs["lnav"]), f"{theirs.cpu:.2f}", f"{theirs.rss_mib:.0f}",
                            f"{ours.wall / theirs.wall:.2f}", f"{ours.cpu / theirs.cpu:.2f}",
                            f"{lnav_errors(theirs.out):,}"]
                rows.append(row + [outagetl_summary(ours.out)])
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    headers = ["shape", "lines", "MB", "outagetl s (range)", "cpu s", "MiB", "two processes s", "MiB"]
    if lnav:
        headers += ["lnav s (range)", "cpu s", "MiB", "ratio", "cpu ratio", "lnav errors"]
    print(table(headers + ["outagetl found"], rows))
    print(f"load {load():.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
