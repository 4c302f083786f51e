"""The big members of the hostile corpus, made on demand: each generator gives the bytes of one input
(tests/data/hostile/ holds the small ones as files). ``tests/test_hostile*.py`` build them beside a good
story, and ``tools/hostile_run.py`` runs the whole corpus under a memory cap.

Every generator is deterministic (no clock, no unseeded randomness), so a failure replays.
"""
from __future__ import annotations

import json


def many_mentions(count: int = 2000) -> bytes:
    """A ~150 KB story that is one long sentence holding ``count`` distinct times (no sentence
    break anywhere, so every time shares the one statement)."""
    parts = []
    for i in range(count):
        day, minute = divmod(i, 1440)
        parts.append(f"on July {3 + day}, 2019 at {minute // 60:02d}:{minute % 60:02d} UTC the edge reported errors and retried, then")
    return ("Edge log, retold\n\n" + " ".join(parts) + " it ended.\n").encode()


def mastodon_statuses(count: int, minutes: int, seed: int = 7) -> bytes:
    """``count`` Mastodon statuses (JSON Lines) by different accounts within ``minutes`` of
    2019-07-03 12:00Z, each a few words about the outage (``seed`` picks the words)."""
    import random

    rng = random.Random(seed)
    words = ("instagram", "images", "feed", "cannot", "load", "broken", "again", "anyone", "else", "app", "stuck", "here")
    out = []
    for i in range(count):
        second = rng.randrange(minutes * 60)
        when = f"2019-07-03T{12 + second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000Z"
        body = " ".join(rng.choice(words) for _ in range(rng.randint(5, 12)))
        out.append(json.dumps({"id": str(10**17 + i), "created_at": when, "content": f"<p>{body}</p>",
                               "visibility": "public", "account": {"acct": f"user{i}"}}))
    return ("\n".join(out) + "\n").encode()


def leading_spaces(count: int = 4000) -> bytes:
    """A text whose first line is ``count`` spaces then ``x`` (three ``\\s*`` in a row once made
    the dateline pattern cubic: 156 s)."""
    return (" " * count + "x\n\nThe outage began at 12:00 UTC on July 3, 2019.\n").encode()


def nested_list(depth: int = 3000) -> bytes:
    """A Markdown list nested ``depth`` deep (two spaces a level: 9 MB at 3,000), one time at the bottom."""
    lines = ["  " * i + "- item" for i in range(depth)]
    lines.append("  " * depth + "- Uploads failed at 12:00 UTC on July 3, 2019.")
    return ("\n".join(lines) + "\n").encode()


def markup_runs(unit: str, size: int) -> bytes:
    """A story holding ``size`` bytes of one repeated unit (``[``, ``*a ``, ``A. ``, `` \\n``, a
    date...) before a time: each such run once made a reader's or the sentence splitter's pattern
    quadratic."""
    return ("Title\n\n" + unit * (size // len(unit)) + " The outage began at 12:00 UTC on July 3, 2019.\n").encode()


def gzip_members(member: bytes, count: int) -> bytes:
    """``count`` gzip members of ``member`` each, one after the other (what ``cat a.gz b.gz`` or a
    log rotated by appending makes). Every member is a whole gzip file with its own trailer; the
    file's last four bytes give only the last member's size."""
    import gzip

    one = gzip.compress(member, 9, mtime=0)
    return one * count


def repeated_line(line: str, count: int) -> bytes:
    """A story that is one line written ``count`` times (a scraper's loop, a fuzzer's duplication):
    as many claims of one milestone at one time in one source (the fuzzer's seed 2776632604, case
    1195: 2,000 copies were 2 M pairs of claims compared one by one, 46 s)."""
    return ("Status\n\n" + (line + "\n") * count).encode()
