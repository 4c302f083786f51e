"""Run the whole hostile corpus under a memory cap: every file in tests/data/hostile/ and every
generated big input (tests/hostile_inputs.py), each beside a good story, built and rendered in
every format in a child process whose address space is capped (``RLIMIT_AS``, 2 GiB by default).

Not part of the test suite (the big inputs take minutes): ``python tools/hostile_run.py``. A
finding is a child that dies (MemoryError, a signal), prints a traceback, runs past ``--timeout``,
or reports an internal error ("please report this"); the exit status is 1 when there is one.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_inputs  # noqa: E402 - the generators live beside the tests that use them

GOOD = ROOT / "data" / "examples" / "facebook-2019-07-03" / "000_218ec5be4a413192.txt"
HOSTILE = ROOT / "tests" / "data" / "hostile"
GIB = 1 << 30

CHILD = r"""
import json, os, resource, sys, tempfile, time
from outagetl.output import write_file
from outagetl.pipeline import build
from outagetl.render import FORMATS, chunks
from outagetl.sources.manifest import ManifestError
started = time.monotonic()
try:
    built = build([sys.argv[1]])
except ManifestError as exc:  # a sources.toml to fix: the CLI's one line and exit 2, not a crash
    print(json.dumps({"refused": str(exc)[:300], "seconds": round(time.monotonic() - started, 1), "internal": []}))
    sys.exit(0)
built_in = round(time.monotonic() - started, 1)
sizes, seconds = {}, {}
with tempfile.TemporaryDirectory() as out:  # each format written as the CLI writes it, piece by piece
    for fmt in FORMATS:
        at = time.monotonic()
        path = os.path.join(out, fmt)
        write_file(path, chunks(fmt, built.timeline))
        sizes[fmt], seconds[fmt] = os.path.getsize(path), round(time.monotonic() - at, 1)
        os.unlink(path)
internal = [str(e) for e in built.errors if "please report this" in e.reason or "could not be processed" in e.reason]
print(json.dumps({"seconds": round(time.monotonic() - started, 1), "build_seconds": built_in,
                  "events": len(built.timeline.events), "unreadable": len(built.errors), "internal": internal,
                  "bytes": sizes, "render_seconds": seconds,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def sparse_log(folder: Path) -> Path:
    """1 GiB of mostly NULs with 3,000 log lines at its start and end (a truncated, pre-allocated log)."""
    path = folder / "sparse.log"
    lines = b"".join(b"2019-07-03T12:%02d:%02dZ ERROR upload failed\n" % divmod(i % 3600, 60) for i in range(1500))
    with open(path, "wb") as handle:
        handle.write(lines)
        handle.truncate(GIB)
        handle.seek(GIB)
        handle.write(lines)
    return path


def wide_metrics(folder: Path) -> Path:
    path = folder / "wide.csv"
    header = "minute,errors,total," + ",".join(f"c{i}" for i in range(1_000_000))
    path.write_text(header + "\n" + "2019-07-03T12:00Z,5,100" + ",0" * 1_000_000 + "\n")
    return path


def big_title(folder: Path) -> Path:
    path = folder / "sources.toml"
    path.write_text('[defaults]\ntitle = "' + "x" * 10_000_000 + '"\n')
    return path


GENERATED = {
    "2,000 times in one sentence": lambda f: _write(f / "mentions.txt", hostile_inputs.many_mentions(2000)),
    "24,000 Mastodon statuses": lambda f: _write(f / "statuses.jsonl", hostile_inputs.mastodon_statuses(24_000, 240)),
    "200,000 Mastodon statuses": lambda f: _write(f / "statuses.jsonl", hostile_inputs.mastodon_statuses(200_000, 240)),
    "4,000 leading spaces": lambda f: _write(f / "spaces.txt", hostile_inputs.leading_spaces(4000)),
    "a list nested 3,000 deep": lambda f: _write(f / "nested.md", hostile_inputs.nested_list(3000)),
    "256 KB of '[' in Markdown": lambda f: _write(f / "brackets.md", hostile_inputs.markup_runs("[", 256_000)),
    "256 KB of 'A. '": lambda f: _write(f / "initials.txt", hostile_inputs.markup_runs("A. ", 256_000)),
    "1 GiB sparse log": sparse_log,
    "multi-member .gz (200 members, 2 GB inflated)": lambda f: _write(
        f / "edge.log.gz", hostile_inputs.gzip_members(b"2019-07-03T12:00:00Z ERROR upload failed\n" * 250_000, 200)),
    "metrics CSV with 10^6 columns": wide_metrics,
    "10 MB manifest title": big_title,
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def run_case(name: str, make, limit: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        shutil.copy(GOOD, folder / "good.txt")
        make(folder)

        def cap():
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        started = time.monotonic()
        try:
            done = subprocess.run([sys.executable, "-c", CHILD, str(folder)], capture_output=True, text=True,
                                  timeout=timeout, preexec_fn=cap, env={**os.environ, "PYTHONHASHSEED": "0"})
        except subprocess.TimeoutExpired:
            return {"case": name, "finding": f"slow: over {timeout:g}s"}
        wall = round(time.monotonic() - started, 1)
        if done.returncode != 0 or "Traceback" in done.stderr:
            last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            return {"case": name, "finding": f"exit {done.returncode}: {last[:300]}", "wall": wall}
        report = json.loads(done.stdout.strip().splitlines()[-1])
        report.update(case=name, wall=wall)
        if report["internal"]:
            report["finding"] = "internal error: " + report["internal"][0][:300]
        return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit-gib", type=float, default=2, help="address space of each child (GiB)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one case may take")
    parser.add_argument("-k", default="", help="only the cases whose name contains this")
    args = parser.parse_args(argv)
    limit = int(args.limit_gib * GIB)
    cases = {f"file {p.name}": (lambda f, p=p: shutil.copy(p, f / p.name)) for p in sorted(HOSTILE.iterdir()) if p.is_file()}
    cases.update(GENERATED)
    findings = 0
    for name, make in cases.items():
        if args.k not in name:
            continue
        report = run_case(name, make, limit, args.timeout)
        findings += "finding" in report
        print(json.dumps(report, ensure_ascii=False), flush=True)
    print(f"hostile corpus: {findings} findings under a {args.limit_gib:g} GiB address-space cap")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
