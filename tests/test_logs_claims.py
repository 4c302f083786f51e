"""Onset, peak and recovery on logs with a known injected burst; year roll-over; DST; robustness."""
import gzip
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outagetl.logs import engine
from outagetl.logs import reader as logs
from outagetl.logs.claims import log_claims
from outagetl.sources.base import SourceError
from outagetl.sources.registry import read_path

UTC = timezone.utc
DATA = Path(__file__).parent / "data" / "logs"


def write_syslog(path, start, minutes, errors_at, seed=1, gz=False):
    """RFC 3164 lines: 10 info lines a minute plus ``errors_at(minute)`` error lines."""
    rnd = random.Random(seed)
    out = []
    for m in range(minutes):
        t = start + timedelta(minutes=m)
        n_err = errors_at(m, rnd)
        for i in range(10 + n_err):
            s = t + timedelta(seconds=rnd.randrange(60))
            msg = ("upstream connect error: connection refused" if i < n_err
                   else "GET /photos 200 served from cache")
            out.append((s, f"{s:%b} {s.day:2d} {s:%H:%M:%S} cdn-edge-3 nginx[812]: {msg}"))
    out.sort(key=lambda pair: pair[0])
    text = "\n".join(line for _, line in out) + "\n"
    if gz:
        with gzip.open(path, "wt") as f:
            f.write(text)
    else:
        path.write_text(text)
    return len(out)


def burst(m, rnd):
    minute = 12 * 60 + m
    if 13 * 60 + 2 <= minute <= 13 * 60 + 20:
        return 500 if minute == 13 * 60 + 9 else 300
    return rnd.choice([1, 2, 2, 3])


def test_injected_burst(tmp_path):
    path = tmp_path / "edge.log"
    lines = write_syslog(path, datetime(2019, 7, 3, 12, 0), 120, burst)
    doc = read_path(path, "edge.log")[0]
    assert doc.series.lines == lines and doc.series.unparsed == 0
    claims, skips = log_claims(doc, zone="UTC", zone_rule="pinned",
                               window=(datetime(2019, 7, 3, tzinfo=UTC), datetime(2019, 7, 4, tzinfo=UTC)))
    rate = {c.kind: c for c in claims if c.record == -1}
    assert rate["start"].span.best == datetime(2019, 7, 3, 13, 2, tzinfo=UTC)
    assert rate["update"].span.best == datetime(2019, 7, 3, 13, 9, tzinfo=UTC)
    assert rate["resolved"].span.best == datetime(2019, 7, 3, 13, 21, tzinfo=UTC)
    assert rate["start"].summary == "errors rose from 2/min to 500/min"
    assert rate["update"].summary == "errors peaked at 500/min"
    assert rate["resolved"].summary.startswith("errors back to ") and "(baseline 2/min)" in rate["resolved"].summary
    for c in rate.values():
        assert c.role == "system" and c.evidence and c.span.precision == "minute"
        assert c.span.zone == "UTC" and c.span.zone_rule == "pinned" and c.lines
        assert c.span.earliest == c.span.best == c.span.latest
    assert rate["start"].local == "2019-07-03 13:02 UTC"


def test_flat_log_has_no_events(tmp_path):
    path = tmp_path / "flat.log"
    write_syslog(path, datetime(2019, 7, 3, 12, 0), 180, lambda m, rnd: rnd.choice([1, 2, 2, 3]))
    claims, skips = log_claims(read_path(path, "flat.log")[0], year=2019)
    assert not [c for c in claims if c.record == -1]
    assert any(s.what == "error rate" for s in skips)


def test_gzip_and_new_year_rollover():
    doc = read_path(DATA / "newyear-syslog.log.gz", "newyear.log.gz")[0]
    assert doc.series.format == "syslog-rfc3164" and doc.series.lines == 12
    claims, _ = log_claims(doc, window=(datetime(2019, 1, 1, tzinfo=UTC), datetime(2019, 1, 2, tzinfo=UTC)))
    first = next(c for c in claims if c.summary.startswith("first error"))
    last = next(c for c in claims if c.summary.startswith("last error"))
    assert first.span.best == datetime(2018, 12, 31, 23, 57, tzinfo=UTC)
    assert last.span.best == datetime(2019, 1, 1, 0, 3, tzinfo=UTC) and last.line == 9
    assert all("zone-assumed:UTC" in map(str, c.span.flags) for c in claims)


def test_dst_repeated_hour_is_flagged(tmp_path):
    path = tmp_path / "app.log"
    path.write_text("2019-11-03 00:59:00 INFO ok\n2019-11-03 01:30:00 ERROR database failover started\n"
                    "2019-11-03 02:10:00 INFO ok\n")
    doc = read_path(path, "app.log")[0]
    claims, _ = log_claims(doc, zone="America/New_York", zone_rule="pinned:manifest")
    c = next(c for c in claims if c.line == 2 and c.kind == "mitigated")
    assert "dst-ambiguous:America/New_York" in map(str, c.span.flags)
    assert c.span.earliest == datetime(2019, 11, 3, 5, 30, tzinfo=UTC)
    assert c.span.latest == datetime(2019, 11, 3, 6, 30, tzinfo=UTC)
    assert c.span.zone_rule == "pinned:manifest" and c.summary == "failover logged in app.log"


def test_access_log_offsets_are_explicit(tmp_path):
    path = tmp_path / "access.log"
    path.write_text('1.2.3.4 - - [03/Jul/2019:09:18:00 -0400] "GET / HTTP/1.1" 503 0 "-" "x"\n'
                    '1.2.3.4 - - [03/Jul/2019:13:19:00 +0000] "GET / HTTP/1.1" 200 10 "-" "x"\n')
    doc = read_path(path, "access.log")[0]
    claims, _ = log_claims(doc, zone="Asia/Tokyo")
    c = next(c for c in claims if c.summary.startswith("first error"))
    assert c.span.best == datetime(2019, 7, 3, 13, 18, tzinfo=UTC) and c.span.zone_rule == "explicit"
    assert c.local_text == "03/Jul/2019:09:18:00 -0400"


def test_journal_json():
    doc = read_path(DATA / "edge-journal.json", "edge-journal.json")[0]
    a = doc.series
    assert a.format == "journal-json" and a.lines == 60 and a.unparsed == 0
    assert doc.source.zone == "UTC"
    claims, _ = log_claims(doc)
    first = next(c for c in claims if c.summary.startswith("first error"))
    assert first.span.best.replace(microsecond=0) == datetime(2019, 7, 3, 13, 2, tzinfo=UTC)
    assert any(c.summary == "config logged in edge-journal.json" for c in claims)


def test_json_lines_epoch_ms_and_a_broken_line():
    doc = read_path(DATA / "api-app.jsonl", "api-app.jsonl")[0]
    a = doc.series
    assert a.format == "json-lines" and a.lines == 41 and a.parsed == 40 and a.unparsed == 1
    assert doc.skipped[0].line == 7 and "json-lines" in doc.skipped[0].reason
    claims, _ = log_claims(doc)
    rollback = next(c for c in claims if c.kind == "mitigated")
    assert rollback.span.best == datetime(2021, 10, 4, 15, 40, tzinfo=UTC)
    first = next(c for c in claims if c.summary.startswith("first error"))
    assert first.span.best == datetime(2021, 10, 4, 15, 42, 30, tzinfo=UTC)


def test_csv_export():
    doc = read_path(DATA / "search-export.csv", "search-export.csv")[0]
    a = doc.series
    assert a.format == "csv" and a.lines == 31 and a.parsed == 30
    assert doc.skipped[0].reason.startswith("header line")
    assert int(doc.series.minutes.errors.sum()) == 10


def test_metrics_csv_and_prometheus():
    for name in ("cdn-metrics.csv", "edge-5xx.prom.json"):
        doc = read_path(DATA / name, name)[0]
        assert doc.source.type == "metrics"
        claims, _ = log_claims(doc)
        kinds = {c.kind: c.span.best for c in claims}
        assert kinds["start"] == datetime(2019, 7, 3, 13, 2, tzinfo=UTC), name
        assert kinds["resolved"] == datetime(2019, 7, 3, 13, 15, tzinfo=UTC), name


def test_sniff_rejects_prose_and_posts():
    news = ("Facebook, Instagram and WhatsApp were down for hours on Wednesday.\n"
            "The outage began around 8 a.m. ET, the company said.\n")
    posts = '{"created_at": "2019-07-03T13:18:00Z", "text": "is facebook down?", "user": {"id": 1}}\n' * 3
    status = '{"page": {"id": "x"}, "incidents": [{"name": "Photos", "status": "resolved"}]}'
    for head in (news, posts, status):
        assert logs.sniff(Path("x.txt"), head) == 0


def test_big_file_streams_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 500)
    path = tmp_path / "big.log.gz"
    lines = write_syslog(path, datetime(2019, 7, 3, 12, 0), 120, burst, gz=True)
    doc = read_path(path, "big.log.gz")[0]
    assert doc.series.lines == lines and int(doc.series.minutes.total.sum()) == lines
    claims, _ = log_claims(doc, year=2019)
    assert {c.kind for c in claims if c.record == -1} == {"start", "update", "resolved"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=80), max_size=30))
def test_arbitrary_lines_raise_only_source_error(tmp_path, lines):
    path = tmp_path / "fuzz.log"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        logs.sniff(path, "\n".join(lines)[:4096])
        doc = logs.read_stream(path, "fuzz.log")
    except SourceError:
        return
    a = doc.series
    assert a.parsed + a.unparsed == a.lines
    log_claims(doc, year=2019)


def test_synthetic_cdn_log(tmp_path):
    import runpy
    out = tmp_path / "synthetic-cdn-access.log"
    runpy.run_path(str(Path(__file__).parents[1] / "data" / "make_cdn_log.py"))["main"](["x", str(out)])
    assert out.stat().st_size < 1_000_000
    claims, _ = log_claims(read_path(out, out.name)[0])
    rate = {c.kind: c.span.best for c in claims if c.record == -1}
    assert rate["start"] == datetime(2019, 7, 3, 12, 2, tzinfo=UTC)
    assert rate["resolved"] == datetime(2019, 7, 3, 23, 51, tzinfo=UTC)
    assert datetime(2019, 7, 3, 14, tzinfo=UTC) <= rate["update"] <= datetime(2019, 7, 3, 16, tzinfo=UTC)
