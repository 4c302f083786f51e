"""Benchmark: outagetl's log path against lnav on the same 1,000,000 lines (errors per minute).

Generates three logs (RFC 3164 syslog, nginx combined, ISO app log; fixed seed) in a temp folder,
then runs, each in its own child process so wall time and peak RSS are per tool:
  outagetl: ``read_path`` (sniff, stream bytes into Arrow, RE2 match/extract, per-minute counts)
            + ``log_claims``;
  lnav:     ``lnav -n -c ';SELECT minute, count(*), errors ... FROM all_logs GROUP BY minute'``.

    python benchmarks/bench_logs.py [--lines 1000000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

SEED = 4
SHARES = (("syslog.log", 0.4), ("access.log", 0.3), ("app.log", 0.3))
LNAV_SQL = (";SELECT strftime('%Y-%m-%d %H:%M', log_time) AS minute, count(*) AS total, "
            "sum(log_level IN ('error', 'critical', 'fatal')) AS errors FROM all_logs GROUP BY minute")
OUTAGETL = """
import sys
from pathlib import Path
from outagetl.sources.registry import read_path
from outagetl.logs.claims import log_claims
lines = errors = claims = 0
for name in sys.argv[1:]:
    doc = read_path(Path(name), name)[0]
    lines += doc.series.lines
    errors += int(doc.series.minutes["errors"].sum())
    claims += len(log_claims(doc, year=2019)[0])
print(lines, errors, claims)
"""


def generate(folder: Path, total: int) -> list[Path]:
    rnd = random.Random(SEED)
    start = datetime(2019, 7, 3, 0, 0)
    paths = []
    for name, share in SHARES:
        n = int(total * share)
        step = 86400 / n
        path = folder / name
        with open(path, "w") as f:
            for i in range(n):
                t = start + timedelta(seconds=i * step)
                bad = rnd.random() < (0.4 if 13 * 3600 <= i * step < 14 * 3600 else 0.01)
                if name == "syslog.log":
                    msg = "upstream error: connection refused" if bad else "request ok"
                    f.write(f"{t:%b} {t.day:2d} {t:%H:%M:%S} edge-{i % 7} nginx[{1000 + i % 50}]: {msg}\n")
                elif name == "access.log":
                    status = 503 if bad else 200
                    f.write(f'10.0.{i % 256}.{i % 200} - - [{t:%d/%b/%Y:%H:%M:%S} +0000] "GET /p/{i} HTTP/1.1" '
                            f'{status} {0 if bad else 5120} "-" "bench"\n')
                else:
                    level = "ERROR" if bad else "INFO"
                    f.write(f"{t:%Y-%m-%d %H:%M:%S},{i % 1000:03d} {level} worker-{i % 16} handled job {i}\n")
        paths.append(path)
    return paths


def run_measured(cmd: list[str], env: dict) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{cmd[0]} failed: {err.decode(errors='replace')[-500:]}")
    return wall, usage.ru_maxrss, out.decode(errors="replace")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="outagetl-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        paths = generate(folder, args.lines)
        lines = 0
        for p in paths:
            with open(p, "rb") as fh:
                lines += sum(1 for _ in fh)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {lines:,} lines ({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f}s: "
              + ", ".join(p.name for p in paths))
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
        wall, rss, out = run_measured([sys.executable, "-c", OUTAGETL, *map(str, paths)], env)
        read, errors, claims = map(int, out.split())
        print(f"outagetl: {wall:6.2f}s  {read / wall:12,.0f} lines/s  peak RSS {rss / 1024:7.1f} MiB"
              f"  ({read:,} lines, {errors:,} errors, {claims} claims)")
        lnav = shutil.which("lnav")
        if not lnav:
            print("lnav: NOT FOUND on PATH - only outagetl was measured, no ratio "
                  "(install lnav 0.11, e.g. apt-get install lnav, to compare)")
            return 0
        home = Path(tempfile.mkdtemp(prefix="lnav-home-"))
        lenv = dict(os.environ, HOME=str(home))
        lwall, lrss, lout = run_measured([lnav, "-n", "-c", LNAV_SQL, *map(str, paths)], lenv)
        rows = [r.split() for r in lout.splitlines()[1:] if r.strip()]
        ltotal = sum(int(r[-2]) for r in rows if len(r) >= 4)
        lerrors = sum(int(r[-1]) for r in rows if len(r) >= 4)
        shutil.rmtree(home, ignore_errors=True)
        version = subprocess.run([lnav, "-V"], capture_output=True, text=True).stdout.strip()
        print(f"lnav:     {lwall:6.2f}s  {lines / lwall:12,.0f} lines/s  peak RSS {lrss / 1024:7.1f} MiB"
              f"  ({ltotal:,} lines, {lerrors:,} errors; {version})")
        print(f"ratio outagetl/lnav wall time: {wall / lwall:.2f}   peak RSS: {rss / lrss:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
