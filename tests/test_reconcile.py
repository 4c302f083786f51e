"""Readings reconsidered against the other sources: a time whose date or half of the day is not
written, and that lands away from the incident the other sources agree on, takes the reading that
fits (flagged); one source alone is never reconsidered. The stories are written for these tests."""
from __future__ import annotations

from outagetl.model import FlagCode
from outagetl.pipeline import Options, build

from timeparse_helpers import Z


def folder(tmp_path, manifest: str, **files: str):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    return build([str(tmp_path)], Options()).timeline


def claims(timeline, name):
    return [c for e in timeline.events for c in e.claims if c.source.endswith(name)]


MANIFEST = """
[[source]]
path = "wire.txt"
published = "2019-07-02"
timezone = "Europe/London"
[[source]]
path = "forum.txt"
published = "2019-07-02"
timezone = "UTC"
[[source]]
path = "weekly.txt"
published = "2019-07-03"
timezone = "Europe/London"
"""
WIRE = "Sites across the web failed this afternoon.\n\nThe provider said errors began at 13:50 UTC and the fix was in by 14:20 UTC.\n"
FORUM = "Engineers rolled back the rule at 14:09 UTC on July 2.\n\nTraffic was normal again at 14:30 UTC.\n"


def test_today_inside_a_quote_of_the_day_before_is_moved_to_that_day(tmp_path):
    # the weekly story is from 3 July; the blog it quotes said "today" on 2 July, as the others do
    weekly = ("Yesterday there was a global outage.\n\n"
              "In a blog post the company wrote: “Starting at 13:42 UTC today we saw errors across our network.”\n")
    timeline = folder(tmp_path, MANIFEST, **{"wire.txt": WIRE, "forum.txt": FORUM, "weekly.txt": weekly})
    [claim] = claims(timeline, "weekly.txt")
    assert claim.span.best == Z("2019-07-02 13:42")
    assert any(f.code is FlagCode.RECONSIDERED for f in claim.span.flags)


def test_a_time_with_no_meridiem_takes_the_half_of_the_day_the_others_agree_on(tmp_path):
    # December, EST = UTC-5: the others put the incident 15:30Z–00:35Z; "6:03 EST" is 18:03 EST = 23:03Z
    manifest = MANIFEST.replace("2019-07-02", "2021-12-07").replace("2019-07-03", "2021-12-07")
    wire = "The outage began at 10:30 a.m. EST.\n\nBy 7:35 p.m. EST the company said services were recovering.\n"
    forum = "Support cases failed from 7:33 AM until 2:25 PM PST on Dec. 7.\n"
    weekly = "“Many services have already recovered,” the dashboard said at 6:03 EST.\n"
    timeline = folder(tmp_path, manifest, **{"wire.txt": wire, "forum.txt": forum, "weekly.txt": weekly})
    [claim] = claims(timeline, "weekly.txt")
    assert claim.span.best == Z("2021-12-07 23:03")


def test_a_carried_date_a_day_off_is_moved_to_the_incident_day(tmp_path):
    # the weekly story writes the wrong day once ("on July 3"); its next paragraph's times carry it;
    # the others agree on 2 July: 14:05 BST = 13:05Z? no: the zone is written, 14:05 UTC on 2 July
    weekly = "The outage hit on July 3, the company said.\n\nReports began around 14:05 UTC and ended by 14:40 UTC.\n"
    timeline = folder(tmp_path, MANIFEST, **{"wire.txt": WIRE, "forum.txt": FORUM, "weekly.txt": weekly})
    times = sorted(c.span.best for c in claims(timeline, "weekly.txt") if c.span.precision != "day")
    assert times == [Z("2019-07-02 14:05"), Z("2019-07-02 14:40")]


def test_a_time_a_few_hours_after_the_others_is_left_as_written(tmp_path):
    # 19:30 UTC is five hours after the others' last time: a late update, not a misreading
    weekly = "Cloudflare posted its final update at 19:30 UTC today.\n"
    manifest = MANIFEST.replace('published = "2019-07-03"', 'published = "2019-07-02"')
    timeline = folder(tmp_path, manifest, **{"wire.txt": WIRE, "forum.txt": FORUM, "weekly.txt": weekly})
    [claim] = claims(timeline, "weekly.txt")
    assert claim.span.best == Z("2019-07-02 19:30")
    assert not any(f.code is FlagCode.RECONSIDERED for f in claim.span.flags)


def test_one_source_alone_is_never_reconsidered(tmp_path):
    weekly = "In a blog post the company wrote: “Starting at 13:42 UTC today we saw errors.”\n"
    timeline = folder(tmp_path, MANIFEST, **{"weekly.txt": weekly})
    [claim] = claims(timeline, "weekly.txt")
    assert claim.span.best == Z("2019-07-03 13:42")


POSTMORTEM = """Incident review: queue outage

## Timeline

### 2021 March 4 09:12 UTC

Our paging system alerted the on-call engineer to a rise in publish failures. By 09:20 UTC two more
engineers had joined.

### 2021 March 4 10:05 UTC

The team failed over the queue to the standby region, and errors fell.

### 2021 March 4 11:40 UTC

All queues were drained and the integrity of every message had been confirmed.
"""


def test_a_heading_that_is_only_a_time_heads_the_paragraph_under_it(tmp_path):
    (tmp_path / "review.txt").write_text(POSTMORTEM, encoding="utf-8")
    timeline = build([str(tmp_path)], Options()).timeline
    got = {(e.span.best, e.kind) for e in timeline.events}
    # each heading's time is the entry the paragraph under it tells: alerted (detected), failed over
    # (mitigated); the sentence with a time of its own (09:20) is an entry of its own; no summary is
    # only the heading's markup
    assert (Z("2021-03-04 09:12"), "detected") in got
    assert (Z("2021-03-04 10:05"), "mitigated") in got
    assert Z("2021-03-04 09:20") in {e.span.best for e in timeline.events}
    assert all(e.summary.strip("#* ") for e in timeline.events)


def test_a_time_counted_from_a_reconsidered_one_moves_with_it(tmp_path):
    # the others place the incident on 22 October (UTC); the weekly, published on the 23rd, reads its
    # "around 8 p.m. Beijing time" (UTC+8) on the 23rd: 12:00Z, moved to the 22nd, and "an hour later" with it
    manifest = """
[[source]]
path = "wire.txt"
published = "2018-10-22"
timezone = "UTC"
[[source]]
path = "forum.txt"
published = "2018-10-22"
timezone = "UTC"
[[source]]
path = "weekly.txt"
published = "2018-10-23"
timezone = "Asia/Shanghai"
"""
    wire = "Restores finished at 06:51 UTC.\n\nAt 11:12 UTC writes were directed to the primary again.\n"
    forum = "The failover came at 16:24 UTC and the backlog was done by 23:03 UTC.\n"
    weekly = "Around 8 p.m. Beijing time the fault was mostly cleared, and an hour later all stores were back to normal.\n"
    timeline = folder(tmp_path, manifest, **{"wire.txt": wire, "forum.txt": forum, "weekly.txt": weekly})
    assert sorted(c.span.best for c in claims(timeline, "weekly.txt")) == [Z("2018-10-22 12:00"), Z("2018-10-22 13:00")]


def test_a_time_beside_another_sources_time_after_the_densest_stretch_keeps_its_date(tmp_path):
    # a two-day incident: the others' densest stretch ends on 2 July, but the forum states a firm
    # time on 3 July (13:00 UTC); the weekly's "08:30 UTC", dated 3 July by its paragraph, is
    # four and a half hours from it, and is not moved back a day into the stretch
    manifest = MANIFEST.replace('path = "wire.txt"\npublished = "2019-07-02"', 'path = "wire.txt"\npublished = "2019-07-01"')
    wire = ("The outage began at 22:00 UTC.\n\nAt 23:30 UTC the provider confirmed the fault.\n\n"
            "On July 2 at 06:00 UTC it said half the traffic was back.\n")
    forum = ("Engineers were paged at 22:10 UTC on July 1.\n\nA second region failed at 08:00 UTC on July 2.\n\n"
             "The provider declared the incident resolved at 13:00 UTC on July 3.\n")
    weekly = "The repairs took two days.\n\nOn July 3, crews were still at work.\n\nRepair work in the east ended at 08:30 UTC.\n"
    timeline = folder(tmp_path, manifest, **{"wire.txt": wire, "forum.txt": forum, "weekly.txt": weekly})
    [claim] = [c for c in claims(timeline, "weekly.txt") if c.span.precision != "day"]
    assert claim.span.best == Z("2019-07-03 08:30")
    assert not any(f.code is FlagCode.RECONSIDERED for f in claim.span.flags)
