"""Fuzz the readers and the pipeline with mutated copies of the example and test files.

Not part of the test suite: ``python tools/fuzz.py --seconds 180``. Each case is a folder of one to
three mutated files (byte flips, truncation, splicing, hostile inserts) built with
``pipeline.build`` and rendered in every format (the table stacked and in colour, Markdown with inline citations too), in a worker process whose address space is capped
(``--memory-gib``). A finding is an exception out of ``build`` or a renderer (a MemoryError past the
cap included), an error that is not a clean per-file reason (a reader's or a stage's defect), or a
case slower than ``--timeout``.
Findings are saved under ``--out`` to be replayed with ``outagetl build FOLDER``.
"""
from __future__ import annotations

import argparse
import gzip
import multiprocessing
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DIRS = (ROOT / "data" / "examples", ROOT / "tests" / "data")
EXTENSIONS = (".txt", ".json", ".js", ".html", ".xml", ".csv", ".log", ".gz", ".jsonl", ".rss", ".atom", ".md")
INSERTS = (b"\x00", b"{" * 300, b"[" * 1200, b"<div>" * 1200, b"\xff\xfe", b"\r", b'"', b"\\", b"<!ENTITY x 'y'>",
           b"]]>", b"\n\n", b"\xe2\x80", b"\xef\xbb\xbf", b"9999-99-99T99:99:99Z", b"-99999", b"1e999",
           b"2019-07-03T12:00:00+25:00", b"Wed Jul 03 13:18:00 +9999 2019", b"at 12:00 UTC", b"\t=cmd|'/C calc'!A0")
INTERNAL = ("please report this", "could not be processed")


def seeds() -> list[Path]:
    return sorted(p for d in SEED_DIRS for p in d.rglob("*") if p.is_file() and p.stat().st_size < 2_000_000)


def mutate(rng: random.Random, files: list[Path]) -> bytes:
    data = bytearray(_raw(rng.choice(files)))
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(("flip", "flip", "cut", "splice", "insert", "duplicate"))
        at = rng.randint(0, max(len(data) - 1, 0))
        if op == "flip" and data:
            data[at] = rng.randrange(256)
        elif op == "cut":
            data = data[:at] if rng.random() < 0.5 else data[at:]
        elif op == "splice":
            other = _raw(rng.choice(files))
            data = data[:at] + other[rng.randint(0, max(len(other) - 1, 0)):]
        elif op == "insert":
            data[at:at] = rng.choice(INSERTS)
        else:
            end = min(len(data), at + rng.randint(1, 4000))
            data[at:at] = data[at:end] * rng.randint(2, 50)
    return bytes(data)


def _raw(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def write_case(rng: random.Random, files: list[Path], folder: Path) -> None:
    for n in range(rng.randint(1, 3)):
        source = rng.choice(files)
        ext = source.suffix if rng.random() < 0.6 and source.suffix else rng.choice(EXTENSIONS)
        data = mutate(rng, files)
        (folder / f"f{n}{ext}").write_bytes(gzip.compress(data) if ext == ".gz" else data)


def run_case(folder: str) -> list[str]:
    """In the worker: the findings of one build (empty when every failure was a clean per-file error)."""
    from outagetl.pipeline import build
    from outagetl.render import FORMATS, render

    try:
        built = build([folder])
        for fmt in sorted(FORMATS):
            render(fmt, built.timeline)
        # the other layouts a user gets: the stacked terminal view, colour, citations inline
        render("table", built.timeline, width=80)
        render("table", built.timeline, color=True)
        render("markdown", built.timeline, citations="inline")
    except Exception:  # noqa: BLE001 - that is what we are looking for
        return ["exception: " + traceback.format_exc(limit=-3).strip().replace("\n", " | ")]
    return [f"unclean error: {e}" for e in built.errors if any(word in e.reason for word in INTERNAL)]


def cap_memory(limit: int) -> None:
    """In the worker: no more than ``limit`` bytes of address space, so a blow-up is a MemoryError."""
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def new_pool(limit: int):
    return multiprocessing.Pool(1, initializer=cap_memory, initargs=(limit,))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=20, help="seconds a case may take before it is a finding")
    parser.add_argument("--memory-gib", type=float, default=2, help="address space of the worker (GiB)")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "outagetl-fuzz")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng, files = random.Random(seed), seeds()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"fuzz: seed {seed}, {len(files)} seed files, worker capped at {args.memory_gib:g} GiB, "
          f"findings in {args.out}", flush=True)
    limit = int(args.memory_gib * (1 << 30))
    pool = new_pool(limit)
    deadline, cases, kinds = time.monotonic() + args.seconds, 0, Counter()
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < deadline:
            folder = Path(tmp) / f"case{cases}"
            folder.mkdir()
            write_case(rng, files, folder)
            cases += 1
            try:
                findings = pool.apply_async(run_case, (str(folder),)).get(args.timeout)
            except multiprocessing.TimeoutError:
                pool.terminate()
                pool = new_pool(limit)
                findings = [f"slow: over {args.timeout:g}s"]
            for finding in findings:
                kept = args.out / f"case{cases}-{len(kinds)}"
                shutil.copytree(folder, kept, dirs_exist_ok=True)
                print(f"FINDING {kept}: {finding[:600]}", flush=True)
                kinds[finding.split(":", 1)[0]] += 1
            shutil.rmtree(folder)
    pool.terminate()
    print(f"fuzz: {cases} cases, {sum(kinds.values())} findings {dict(kinds)}", flush=True)
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
