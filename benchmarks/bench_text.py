"""Benchmark: ``outagetl build FOLDER --format json`` (the CLI as a user runs it) on 2,000 distinct
generated stories, against ``dateparser.search_dates`` on the same texts, in the same run.

The stories (``stories.py``: seeded templates with varied phrasings, clocks, zones and five
languages) are written to a temp folder; each contender runs in its own process, taking turns
``--runs`` times; the table gives the median wall time, MB/s over the stories' bytes, and the
ratio. dateparser gets each story's language (its fastest, most favourable mode).

    python benchmarks/bench_text.py [--stories 2000] [--runs 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from common import alternate, machine, measure, median, outagetl_command, table
from stories import write_stories

DATEPARSER = """
import json, sys
from dateparser.search import search_dates
found = 0
for path, lang in json.load(open(sys.argv[1])):
    text = open(path, encoding="utf-8").read()
    found += len(search_dates(text, languages=[lang]) or ())
print(found)
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="outagetl-bench-text-"))
    try:
        folder = root / "stories"
        shutil.rmtree(folder, ignore_errors=True)
        written = write_stories(folder, args.stories)
        listing = root / "stories.json"
        listing.write_text(json.dumps(written), encoding="utf-8")
        mb = sum(Path(p).stat().st_size for p, _ in written) / 1e6
        langs = sorted({lang for _, lang in written})
        print(f"text: {args.stories:,} distinct stories ({mb:.2f} MB; {', '.join(langs)}); "
              f"median of {args.runs} alternating runs; {machine()}")
        runs = alternate({
            "outagetl": lambda: measure(outagetl_command() + ["build", str(folder), "--format", "json"]),
            "dateparser": lambda: measure([sys.executable, "-c", DATEPARSER, str(listing)]),
        }, args.runs)
        ours, theirs = median(runs["outagetl"]), median(runs["dateparser"])
        events = len(json.loads(ours.out)["events"])
        rows = [["outagetl build --format json", f"{ours.wall:.2f}", f"{mb / ours.wall:.3f}", f"{ours.rss_mib:.0f}",
                 f"{events:,} events"],
                ["dateparser.search_dates", f"{theirs.wall:.2f}", f"{mb / theirs.wall:.3f}", f"{theirs.rss_mib:.0f}",
                 f"{int(theirs.out.split()[-1]):,} dates"]]
        print(table(["tool", "s", "MB/s", "MiB", "found"], rows))
        print(f"outagetl is {theirs.wall / ours.wall:.1f}x dateparser's speed")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
