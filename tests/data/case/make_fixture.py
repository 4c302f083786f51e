"""Make ``tests/data/case/v1.db``: a case file written by case schema v1, kept so that every later
version proves it still opens, migrates and builds a file made by the first (tests/test_case.py).

Run from the repository root:  python tests/data/case/make_fixture.py
It was run once, at schema v1, and its output committed; run now, it would write the current version
(it refuses, so that the committed v1 file is never replaced by mistake). The inputs in ``inputs/``
are written for this fixture: a Rome paper's story with bare times, a wire story, two posts by the
company. One decision of every kind is recorded, by "fixture", at fixed times.
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from outagetl.case import Case
from outagetl.case.schema import VERSION
from outagetl.decisions import (
    Confirm,
    EventRef,
    Made,
    Merge,
    Note,
    PinZone,
    Reject,
    SetKind,
    SetPublished,
    SetRole,
    Split,
)

HERE = Path("tests/data/case")
OUT = HERE / "v1.db"
T0 = datetime(2019, 7, 5, 9, 0, tzinfo=timezone.utc)


def main() -> None:
    if VERSION != 1:
        sys.exit(f"make_fixture.py makes the v1 fixture; this outagetl writes schema v{VERSION}")
    if OUT.exists():
        sys.exit(f"{OUT} exists; remove it first if you really mean to remake it")
    case = Case.create(OUT, title="ExampleCo, 2019-07-03 (fixture)", by="fixture")
    added, errors = case.add([str(HERE / "inputs")], by="fixture")
    assert not errors and len(added) == 3, (added, errors)
    n = 0

    def made(why: str) -> Made:
        nonlocal n
        n += 1
        return Made(n, T0 + timedelta(minutes=n), "fixture", why)

    def event(local_text: str) -> EventRef:
        timeline = case.build().timeline
        found = next(e for e in timeline.events for c in e.claims if c.local_text == local_text)
        return EventRef.to(found, next(c.key for c in found.claims if c.local_text == local_text))

    rome, _ = case.source_ref("rome-story.txt")
    posts, _ = case.source_ref("exampleco-posts.json")
    wire, _ = case.source_ref("wire.txt")
    case.record(PinZone(made("a Rome paper: its bare times are Italian time"), rome, "Europe/Rome"))
    case.record(SetRole(made("the company's own account"), posts, "official"))
    case.record(SetKind(made("user reports are detection, not the start"), event("06:55 UTC on July 3, 2019"),
                        "detected"))
    case.record(Merge(made("the wire paraphrases the post"), event("Wed Jul 03 07:18:00 +0000 2019"),
                      event("07:20 UTC")))
    case.record(Reject(made("planned maintenance, not the outage"), event("22:00 UTC on July 3, 2019")))
    case.record(Confirm(made("checked against the archived post"), event("Wed Jul 03 09:35:00 +0000 2019")))
    case.record(Note(made("from the wire"), event("09:40 UTC"), "five minutes after the company's post"))
    case.record(SetPublished(made("the wire's time stamp"), wire, "2019-07-03T10:05:00+00:00"))
    case.record(Split(made("on second thought: the wire's 07:20 is its own report"),
                      event("Wed Jul 03 07:18:00 +0000 2019"), wire))
    case.close()
    print(f"wrote {OUT} (schema v{VERSION}, {n} decisions)")


if __name__ == "__main__":
    main()
