"""The real loghub 2k samples (research-only licence: read in place, never copied into the project)."""
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from outagetl.logs.claims import log_claims
from outagetl.sources.registry import read_path

LOGHUB = Path(__file__).resolve().parents[2] / "shared/corpus/loghub"
FORMATS = {"Android_2k.log": "logcat", "Apache_2k.log": "apache-error", "BGL_2k.log": "bgl",
           "HDFS_2k.log": "hdfs", "OpenSSH_2k.log": "syslog-rfc3164", "Zookeeper_2k.log": "log4j"}
UTC = timezone.utc


@pytest.fixture(scope="module")
def docs():
    if not LOGHUB.is_dir():
        pytest.skip("loghub samples not present")
    return {name: read_path(LOGHUB / name, name)[0] for name in FORMATS}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_detected_and_no_line_lost(docs, name):
    doc = docs[name]
    attrs = doc.series
    lines = len((LOGHUB / name).read_bytes().splitlines())
    assert doc.source.reader == "log" and doc.source.type == "log" and doc.source.role == "system"
    assert attrs.format == FORMATS[name]
    assert attrs.parsed + attrs.unparsed == attrs.lines == lines == 2000
    assert int(doc.series.minutes.total.sum()) == attrs.parsed
    skipped = sum(int(s.what.split()[0]) for s in doc.skipped if s.what.split()[0].isdigit()
                  and "line" in s.what)
    assert skipped == attrs.unparsed


def test_openssh_has_no_year_and_no_zone(docs):
    doc = docs["OpenSSH_2k.log"]
    assert doc.series.year_missing and doc.series.zone_missing
    first = doc.records[0]
    assert first.line == 1 and first.timestamp_text == "Dec 10 06:55:46" and first.timestamp is None
    assert {"year-missing", "zone-missing"} <= set(map(str, first.flags))
    claims, _ = log_claims(doc, zone="Asia/Shanghai", zone_rule="pinned",
                           window=(datetime(2017, 12, 10, tzinfo=UTC), datetime(2017, 12, 11, tzinfo=UTC)))
    # The burst from 10:54 CST is the story; the stray first error at 06:55 is baseline, reported as a skip.
    onset = next(c for c in claims if c.kind == "start")
    assert onset.span.best == datetime(2017, 12, 10, 2, 54, tzinfo=UTC)
    assert onset.local == "2017-12-10 10:54 CST" and "year-inferred:2017" in map(str, onset.span.flags)
    assert any(s.line == 1 and "quiet baseline" in s.reason for s in log_claims(
        doc, zone="Asia/Shanghai", zone_rule="pinned", year=2017)[1])
    # Without a window the year cannot be placed: no invented events.
    assert log_claims(doc)[0] == []


def test_openssh_brute_force_burst(docs):
    """From 10:54 to the last line (11:04:45) sshd logs 33-71 failures a minute against ~4 before."""
    claims, skips = log_claims(docs["OpenSSH_2k.log"], year=2017)
    onset = next(c for c in claims if c.kind == "start")
    assert onset.local == "2017-12-10 10:54 UTC" and "zone-assumed:UTC" in map(str, onset.span.flags)
    peak = next(c for c in claims if c.summary.startswith("errors peaked"))
    assert peak.local.startswith("2017-12-10 11:04") and dict(peak.counts)["errors"] == 71
    assert not any(c.kind == "resolved" for c in claims)
    assert any("still above baseline" in s.reason for s in skips)


def test_hdfs_two_digit_year(docs):
    doc = docs["HDFS_2k.log"]
    assert doc.series.minutes.minute[0] == np.datetime64("2008-11-09T20:36:00")
    assert doc.series.minutes.ts_text[0] == "081109 203615"
    assert not doc.series.year_missing and doc.series.zone_missing
    assert int(doc.series.minutes.errors.sum()) == 0
    claims, skips = log_claims(doc, zone="America/Los_Angeles")
    assert claims == [] and skips


def test_bgl_uses_the_utc_epoch(docs):
    """Line 9: epoch 1117869872 = 2005-06-04 07:24:32 UTC, written as 00.24.32 Pacific (PDT)."""
    doc = docs["BGL_2k.log"]
    assert doc.source.zone == "UTC" and not doc.series.zone_missing
    claims, skips = log_claims(doc, zone="Europe/Rome")
    first = next(r for r in doc.records if r.line == 9)
    assert doc.series.record_times[first.index] == np.datetime64("2005-06-04T07:24:32")
    assert all(c.span.zone_rule == "explicit" for c in claims)
    # Errors are sparse over six months; the one burst (2005-09-20) is the event, not the strays.
    assert [s.line for s in skips if "quiet baseline" in s.reason] == [9, 1991]


def test_zookeeper_first_and_last_error_by_time(docs):
    """The file is not in time order: line 506 (07-29 23:44) is the last error, 755 (19:03) the first."""
    claims, skips = log_claims(docs["Zookeeper_2k.log"], zone="Asia/Shanghai")
    first = next(c for c in claims if c.summary.startswith("first error"))
    last = next(c for c in claims if c.summary.startswith("last error"))
    assert (first.line, first.local) == (755, "2015-07-29 19:03 CST")
    assert (last.line, last.local) == (506, "2015-07-29 23:44 CST")
    assert first.span.best == datetime(2015, 7, 29, 11, 3, 35, 413000, tzinfo=UTC)
    assert not any(c.kind == "start" for c in claims)


def test_apache_startup_error_cluster(docs):
    """mod_jk init errors after a quiet start: 4, 5, 3, 5 a minute 04:51-04:54, then 0, 1, 3, 2, 2, 3,
    0, 0, 0 and 7 at 05:04; 05:05-05:11 have none. The dip at 04:55 is no recovery (errors go on at
    1-3 a minute over a baseline of 0): the burst runs to 05:04 and is resolved at 05:05."""
    claims, _ = log_claims(docs["Apache_2k.log"], zone="Europe/London")
    kinds = {c.kind: c for c in claims if c.record == -1}
    assert kinds["start"].local == "2005-12-04 04:51 GMT"
    assert kinds["update"].local == "2005-12-04 05:04 GMT" and dict(kinds["update"].counts)["errors"] == 7
    assert kinds["resolved"].local == "2005-12-04 05:05 GMT"


def test_android_logcat_no_burst(docs):
    doc = docs["Android_2k.log"]
    assert doc.series.year_missing
    claims, skips = log_claims(doc, year=2017)
    assert {c.summary.split(" in ")[0] for c in claims} >= {"first error", "last error"}
    assert not any(c.kind in ("start", "resolved") for c in claims)
    first = next(c for c in claims if c.summary.startswith("first error"))
    assert first.line == 199 and first.local_text == "03-17 16:13:46.764"
