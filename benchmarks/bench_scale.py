"""Benchmark: one big input of each shape a user may hand over whole, at N, 2N and 4N units, and
what each doubling costs: ``outagetl build FOLDER --format json`` end to end (the CLI as a user
runs it), median CPU and wall time of ``--runs``, peak RSS. Linear is 2.0x per doubling, quadratic
4.0x; the CLI's start-up (about 0.2 s) makes the first doubling look cheaper than it is.

Each shape once took time in proportion to the square of its size, through one step that went
over the whole input again for each unit of it (found with this benchmark, and fixed):

- ``html``: a page of N paragraphs in one ``<article>``: each block's break was placed after it,
  which looks the block up among its siblings;
- ``posts``: a Twitter export of N posts, each stating its own start: the metrics compared every
  start with every other;
- ``statuspage``: a status page's incidents.json of N incidents (four updates each): the file was
  searched for invisible characters once per incident;
- ``feed``: an RSS history of N entries: each entry's line was counted from the top of the file.

    python benchmarks/bench_scale.py [--units 2000,4000,8000] [--runs 3] [--shapes html,posts,statuspage,feed]
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import machine, measure, outagetl_command, table

START = datetime(2024, 3, 5, 13, 0, tzinfo=timezone.utc)
WORDS = ["customers", "could", "not", "sign", "in", "while", "engineers", "rolled", "back", "a", "configuration", "change", "and", "traffic", "recovered", "slowly", "across", "the", "affected", "regions"]
HTML_UNITS = 5
"""The html shape's N is this many times the others' (a paragraph is a short unit)."""


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _clock(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%H:%M")


def write_html(folder: Path, n: int, rng: random.Random) -> None:
    paragraphs = "\n".join(f"<p>{_words(rng, 14).capitalize()} at {_clock(i % 600)} UTC.</p>" for i in range(n))
    (folder / "page.html").write_text(
        '<html lang="en"><head><title>Sign-in outage</title>'
        '<meta property="article:published_time" content="2024-03-05T20:00:00Z"></head>'
        f"<body><article><h1>Sign-in outage</h1>{paragraphs}</article></body></html>", encoding="utf-8")


def write_posts(folder: Path, n: int, rng: random.Random) -> None:
    posts = [{"created_at": (START + timedelta(minutes=i)).strftime("%a %b %d %H:%M:%S +0000 %Y"),
              "full_text": f"{_words(rng, 10).capitalize()}, down since {_clock(i - 30)} UTC",
              "user": {"screen_name": f"user{i % 97}", "name": f"User {i % 97}"}} for i in range(n)]
    (folder / "tweets.json").write_text(json.dumps(posts), encoding="utf-8")


def write_statuspage(folder: Path, n: int, rng: random.Random) -> None:
    incidents = []
    for k in range(n):
        began = START + timedelta(hours=k)
        updates = [{"id": f"u{k}-{j}", "status": status, "body": f"{_words(rng, 12).capitalize()}.",
                    "incident_id": f"i{k}", "created_at": (began + timedelta(minutes=20 * j)).isoformat(),
                    "display_at": (began + timedelta(minutes=20 * j)).isoformat()}
                   for j, status in enumerate(("investigating", "identified", "monitoring", "resolved"))]
        incidents.append({"id": f"i{k}", "name": f"Sign-in errors {k}", "status": "resolved",
                          "created_at": began.isoformat(), "resolved_at": (began + timedelta(minutes=60)).isoformat(),
                          "impact": "minor", "shortlink": f"https://status.example/i{k}",
                          "incident_updates": updates[::-1]})
    page = {"page": {"id": "p", "name": "Example", "url": "https://status.example", "time_zone": "Etc/UTC"},
            "incidents": incidents}
    (folder / "incidents.json").write_text(json.dumps(page, indent=2), encoding="utf-8")


def write_feed(folder: Path, n: int, rng: random.Random) -> None:
    items = "\n".join(
        f"<item><title>Incident {i}</title><description><![CDATA[<p><small>Mar 5, "
        f"<var data-var='time'>{_clock(i % 600)}</var> UTC</small><br><strong>Investigating</strong> - "
        f"{_words(rng, 10)}.</p>]]></description>"
        f"<pubDate>{(START + timedelta(minutes=i)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<guid>https://status.example/i/{i}</guid></item>" for i in range(n))
    (folder / "history.rss").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Example Status - Incident '
        f"History</title><link>https://status.example</link><description>Statuspage</description>\n{items}\n"
        "</channel></rss>\n", encoding="utf-8")


SHAPES = {"html": write_html, "posts": write_posts, "statuspage": write_statuspage,
          "feed": write_feed}


def _events(written: Path) -> int:
    """The events of a timeline's JSON, counted line by line (each begins with its id at this
    indent). The timeline goes to a file (``-o``), not through a pipe into this process: read and
    parsed here, thousands of events grow this process by hundreds of MB, which every later run's
    MiB would show (``_write_apart``)."""
    with open(written, encoding="utf-8") as lines:
        return sum(1 for line in lines if re.match(r'      "id": "E\d+",$', line))


def _write_apart(shape: str, folder: Path, units: int) -> None:
    """The input written by a process of its own: building it here would grow this process by
    hundreds of MB (8,000 incidents as Python objects), and Linux gives each child started after
    that its parent's peak RSS (``ru_maxrss`` survives ``exec``), so every later run's MiB would be
    this process's."""
    subprocess.run([sys.executable, __file__, "--write", shape, str(units), str(folder)], check=True)


def _per_doubling(before: tuple[int, float], now: tuple[int, float]) -> float:
    """The CPU ratio from one size to the next, as if the size had doubled (the sizes given need not)."""
    return (now[1] / before[1]) ** (1 / math.log2(now[0] / before[0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", default="2000,4000,8000", help="comma-separated sizes (html: five times these)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--write", nargs=3, metavar=("SHAPE", "UNITS", "FOLDER"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write:
        shape, units, folder = args.write
        SHAPES[shape](Path(folder), int(units), random.Random(int(units)))
        return
    sizes = [int(x) for x in args.units.split(",")]
    shapes = [s for s in args.shapes.split(",") if s]
    unknown = set(shapes) - set(SHAPES)
    if unknown:
        raise SystemExit(f"unknown shapes: {', '.join(sorted(unknown))} (known: {', '.join(SHAPES)})")
    cmd = outagetl_command()
    print(f"scale: outagetl build FOLDER --format json, one input per shape; median of {args.runs} runs; {machine()}")
    rows = []
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        for shape in shapes:
            before = None  # (units, cpu) of the size before
            for size in sizes:
                units = size * (HTML_UNITS if shape == "html" else 1)
                folder = root / f"{shape}-{units}"
                folder.mkdir()
                _write_apart(shape, folder, units)
                mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
                written = root / f"{shape}-{units}.json"
                runs = [measure([*cmd, "build", str(folder), "--format", "json", "-o", str(written)])
                        for _ in range(args.runs)]
                events = _events(written)
                cpu = statistics.median(r.cpu for r in runs)
                rows.append([shape, f"{units:,}", f"{mb:.1f}", f"{statistics.median(r.wall for r in runs):.2f}",
                             f"{cpu:.2f}", f"{max(r.rss_mib for r in runs):.0f}", f"{events:,}",
                             f"{_per_doubling(before, (units, cpu)):.2f}x" if before else ""])
                before = units, cpu
                shutil.rmtree(folder)
                written.unlink()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(table(["shape", "units", "MB", "wall s", "cpu s", "MiB", "events", "cpu per doubling"], rows))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
