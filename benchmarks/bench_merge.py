"""Benchmark: the merge stage (claims → events and conflicts) from 500 to 8,000 sources, and
how much each doubling of sources costs (linear is 2.0x; quadratic 4.0x).

Short distinct stories (``stories.py``) are read and their claims found once; ``merge`` then runs
on the claims of the first N sources, ``--runs`` times for each N, in this process (the merge
stage alone is timed: reading and parsing are the text benchmark's). Each run starts with the merge
module's memos empty, as in a build, and is timed in CPU seconds of this process
(``time.process_time``): on a shared machine, wall time also counts the waits for a core. Two shapes:

- ``incident``: every story tells one outage (it began within two hours of 2024-03-05 14:00 UTC),
  and one story in ten quotes the company's status page, so all claims fall in the incident window
  and thousands of them overlap in time: what merging a big folder about one outage costs.
- ``years``: stories of outages on days spread over seven years; the incident window is the
  densest run of them, which takes in more of the claims the more stories there are (so the work
  grows faster than the sources: see the events column, and the CPU per event).

    python benchmarks/bench_merge.py [--sources 500,1000,2000,4000,8000] [--runs 3] [--shapes incident,years]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from common import machine, table
from stories import write_stories

INCIDENT = datetime(2024, 3, 5, 14, 0)
QUOTE = ('At {t} UTC the company posted on its status page: "We are aware that some customers cannot use '
         'the service and our engineers are working on a fix."')


def write_shape(root: Path, shape: str, count: int) -> None:
    """``count`` stories of ``shape``; in ``incident``, every tenth English story quotes the status page."""
    if shape == "years":
        write_stories(root, count, sentences=4)
        return
    for n, (path, lang) in enumerate(write_stories(root, count, sentences=4, incident=INCIDENT)):
        if lang == "en" and n % 10 == 0:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("\n" + QUOTE.format(t=f"14:{20 + n % 30:02d}") + "\n")


def claims_by_source(folder: Path) -> dict[str, list]:
    from outagetl import events
    from outagetl.pipeline import Options, read_all, reference_date
    from outagetl.timeparse import parse_source

    docs, _ = read_all([str(folder)], Options())
    docs.sort(key=lambda d: d.source.path)
    fallback = reference_date(docs)
    out = {}
    for doc in docs:
        found, _ = events.claims(parse_source(doc, None, fallback, None))
        out[doc.source.path] = found
    return out


def cold() -> None:
    """Empty the merge module's memos (``functools.lru_cache``), which a build starts without."""
    from outagetl import merge as stage

    for value in vars(stage).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def main(argv: list[str] | None = None) -> int:
    from outagetl.merge import merge

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", default="500,1000,2000,4000,8000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shapes", default="incident,years")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sources.split(",")]
    for shape in args.shapes.split(","):
        root = Path(tempfile.mkdtemp(prefix="outagetl-bench-merge-"))
        try:
            t0 = time.perf_counter()
            write_shape(root, shape, max(sizes))
            by_source = claims_by_source(root)
            paths = sorted(by_source)
            print(f"merge ({shape}): claims of the first N of {len(paths):,} short stories, read in "
                  f"{time.perf_counter() - t0:.0f} s; median of {args.runs} runs; {machine()}")
            rows, previous = [], None
            for n in sizes:
                claims = [c for p in paths[:n] for c in by_source[p]]
                times = []
                for _ in range(args.runs):
                    cold()
                    started = time.process_time()
                    result = merge(claims)
                    times.append(time.process_time() - started)
                cpu = statistics.median(times)
                rows.append([f"{n:,}", f"{len(claims):,}", f"{len(result.events):,}",
                             f"{cpu / max(len(result.events), 1) * 1e6:.0f}", f"{cpu:.3f}",
                             f"{cpu / previous:.2f}x" if previous else ""])
                previous = cpu
            print(table(["sources", "claims", "events", "µs per event", "merge CPU s", "per doubling"], rows))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
