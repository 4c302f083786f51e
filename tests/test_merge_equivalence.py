"""The merge stage's indexes (time-sorted, by source and milestone, stories that quote nothing left
unpaired) give exactly what a straightforward merge gives: every pair of claims considered, every
date-only claim checked against every claim. Inputs are generated (seeded): stories, a big post
export, an official status page and a log, over ten hours, in every precision, quoting a few
statements, paraphrasing them, or saying nothing quotable."""
import random
from datetime import datetime, timedelta, timezone

import pytest

from outagetl import merge as merge_module
from outagetl.merge import TOLERANCE_MINUTES, _own_key, merge
from outagetl.model import Claim, Kind, Precision, Skip, TimeSpan

T0 = datetime(2021, 10, 4, 6, 0, tzinfo=timezone.utc)
STATEMENTS = [
    "We're aware that some people are having trouble accessing our apps and products right now.",
    "Engineers have identified the cause of the outage and are rolling out a fix to all regions.",
    "Service has been restored for all customers and we are monitoring the recovery closely.",
    "Card payments are failing in several countries while we investigate the problem.",
    "Logins are back to normal; a small number of users may need to sign in again.",
]
PLAIN = ["Users said the app would not load.", "Shops turned customers away.", "It was the second outage this month.",
         "Some people could still use the website.", "Complaints peaked in the afternoon."]
WIDTHS = {Precision.MINUTE: 0, Precision.APPROXIMATE: 15, Precision.HOUR: 30, Precision.PART_OF_DAY: 120}


def span(rng: random.Random, minute: float, precision: Precision) -> TimeSpan:
    best = T0 + timedelta(minutes=minute)
    if precision is Precision.DAY:
        day = best.replace(hour=0, minute=0, second=0)
        return TimeSpan(day, day + timedelta(hours=12), day + timedelta(days=1) - timedelta(microseconds=1),
                        precision, "UTC", "explicit")
    width = timedelta(minutes=WIDTHS[precision])
    return TimeSpan(best - width, best, best + width, precision, "UTC", "explicit")


def claims(seed: int) -> list[Claim]:
    rng = random.Random(seed)
    out = []

    def add(source, role, origin, minute, precision, quote, record, author=None, kind=None):
        kind = kind or rng.choice(list(Kind))
        out.append(Claim(source=source, role=role, kind=kind, span=span(rng, minute, precision),
                         summary=quote[:40], quote=quote, local_text=f"t{minute:g}/{precision}", local="",
                         record=record, origin=origin, author=author))

    minutes = [rng.randrange(0, 600) for _ in range(25)]  # the moments sources keep coming back to
    for n in range(60):  # stories
        source, role = f"story-{n:02d}.txt", rng.choice(["press", "press", "public"])
        for record in range(rng.randint(1, 6)):
            minute = rng.choice(minutes) + rng.choice([0, 0, 1, 3, 7, 20])
            precision = rng.choice([Precision.MINUTE, Precision.MINUTE, Precision.APPROXIMATE, Precision.HOUR,
                                    Precision.PART_OF_DAY, Precision.DAY])
            statement = rng.choice(STATEMENTS)
            quote = rng.choice([f'The company said: "{statement}"', f"It wrote: {statement}", rng.choice(PLAIN),
                                rng.choice(PLAIN), " ".join(rng.sample(statement.split(), 9))])
            add(source, role, "text", minute, precision, quote, record)
            if rng.random() < 0.3:  # the same milestone again, in that sentence or another
                again = record if rng.random() < 0.5 else record + 10
                add(source, role, "text", minute + rng.choice([0, 0.5, 2]), rng.choice(list(WIDTHS)), quote, again,
                    kind=out[-1].kind)
    for n in range(300):  # one export of many posts (over the big-source threshold)
        minute = rng.choice(minutes) + rng.choice([0, 1, 2])
        text = rng.choice(STATEMENTS + PLAIN + ["down again", "is it just me"])
        add("posts.jsonl", "public", "timestamp", minute, Precision.MINUTE, text, n, author=f"@user{n % 40}")
        if rng.random() < 0.2:
            add("posts.jsonl", "public", "text", minute - rng.choice([5, 10]), rng.choice(list(WIDTHS)), text, n,
                author=f"@user{n % 40}")
    for n, statement in enumerate(STATEMENTS * 2):  # the official status page
        add("status.json", "official", "timestamp", rng.choice(minutes), Precision.MINUTE, statement, n)
    for n in range(20):  # log evidence, never merged
        add("edge.log", "system", "log", rng.choice(minutes), Precision.MINUTE, "errors per minute rose", n,
            kind=rng.choice([Kind.START, Kind.RESOLVED]))
    rng.shuffle(out)
    return out


def every_pair(claims: list[Claim]):
    """Every pair i < j that ``_same_statement`` could join: times within the tolerance, and of one
    source's claims those of one milestone (``_own_key``) whose times meet."""
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.evidence or b.evidence:
                continue
            if a.source == b.source:
                if _own_key(a) == _own_key(b) and a.span.overlaps(b.span):
                    yield i, j
            elif a.span.overlaps(b.span, TOLERANCE_MINUTES):
                yield i, j


def drop_subsumed_by_scanning(claims: list[Claim]):
    kept, skipped = [], []
    for claim in claims:
        if claim.span.precision == "day":
            finer = [c for c in claims if c.source == claim.source and c.kind == claim.kind
                     and c.span.precision != "day" and claim.span.earliest <= c.span.best <= claim.span.latest]
            if finer:
                skipped.append(Skip(claim.source, repr(claim.local_text),
                                    f"date only; the same source gives this {claim.kind} a time "
                                    f"({finer[0].local_text!r})", claim.line))
                continue
        kept.append(claim)
    return kept, skipped


@pytest.mark.parametrize("quoted_by", [merge_module._QUOTED_BY, 2])
@pytest.mark.parametrize("seed", range(6))
def test_indexed_merge_equals_the_straightforward_one(seed, quoted_by, monkeypatch):
    """Also with every passage two stories quote indexed as a much-quoted one (``_Quoted``)."""
    given = claims(seed)
    monkeypatch.setattr(merge_module, "_QUOTED_BY", quoted_by)
    fast = merge(given)
    monkeypatch.setattr(merge_module, "_overlapping_pairs", lambda cs, apart: every_pair(cs))
    monkeypatch.setattr(merge_module, "_drop_subsumed", drop_subsumed_by_scanning)
    slow = merge(given)
    assert fast == slow
    # The inputs exercise what the indexes must get right: joins of each kind and date-only skips.
    why = " ".join(r for e in fast.events for r in e.merged_because)
    assert "same words in" in why and "twice" in why
    assert len(fast.events) < len(given) - 20
    assert any(s.reason.startswith("date only") for s in fast.skipped)


def test_one_line_written_many_times_is_one_event_as_by_every_pair(monkeypatch):
    """Copies of one line in one source (a page that repeats its update) are one statement; once
    they are one group their pairs are not listed again, and the result is the all-pairs one.
    Beside them: a vaguer time of the same page that overlaps the copies (it joins them: a part of
    the day states no time of its own), and the same line an hour later (apart: the page's two
    stated times disagree)."""
    def claim(record, minute, precision=Precision.MINUTE):
        best = T0 + timedelta(minutes=minute)
        width = timedelta(minutes=WIDTHS[precision])
        return Claim(source="page.txt", role="press", kind=Kind.RESOLVED,
                     span=TimeSpan(best - width, best, best + width, precision, "UTC", "explicit"),
                     summary="restored", quote="Service was restored.", local_text=f"t{minute}", local="",
                     record=record)

    given = [claim(n, 30) for n in range(300)] + [claim(300, 90), claim(301, 60, Precision.PART_OF_DAY)]
    fast = merge(given)
    monkeypatch.setattr(merge_module, "_overlapping_pairs", lambda cs, apart: every_pair(cs))
    assert fast == merge(given)
    assert sorted(len(e.claims) for e in fast.events) == [1, 301]
    (big,) = [e for e in fast.events if len(e.claims) == 301]
    assert big.merged_because == ("page.txt states this resolved twice",)
    assert {c.record for c in big.claims} == set(range(300)) | {301}
