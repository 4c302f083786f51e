"""The Arrow/RE2 fast path gives the reference parser's result, row for row, on awkward input."""
import gzip
import random
import time
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from outagetl.logs import engine, reader
from outagetl.logs.engine import ReferenceEngine
from outagetl.logs.fast import loose, re2
from outagetl.logs.formats import formats

LOGHUB = Path(__file__).resolve().parents[2] / "shared/corpus/loghub"


def both(path: Path):
    fast = reader.read_stream(path, path.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reader, "choose", lambda parser, encoding: ReferenceEngine())
        ref = reader.read_stream(path, path.name)
    return fast, ref


def described(series) -> dict:
    """Every field of a LogSeries but its frame of minutes."""
    return {f.name: getattr(series, f.name) for f in fields(series) if f.name != "minutes"}


def assert_same(path: Path):
    fast, ref = both(path)
    assert fast.series.minutes.equals(ref.series.minutes)
    assert described(fast.series) == described(ref.series)
    assert fast.records == ref.records
    assert fast.skipped == ref.skipped
    return fast


def odd_lines(rnd: random.Random, stamp, level_word, n: int) -> list[str]:
    """Good lines plus every kind of trouble: non-ASCII, blanks, continuations, bad dates, change words."""
    t = datetime(2019, 12, 31, 22, 0)
    out = []
    for i in range(n):
        t += timedelta(seconds=rnd.randrange(0, 4))
        body = rnd.choice(["request ok", "upstream error: refused", "deploy finished for web",
                           "rolled  back release 7", "restart: false", "café servi ✓", "FAILED hard",
                           "warning: disk", "timed out", "pre-restart check", "x" * 300])
        line = stamp(t, rnd.choice(level_word), i) + body
        kind = rnd.random()
        if kind < 0.02:
            line = ""
        elif kind < 0.04:
            line = "    at com.example.Thing(Thing.java:12)"
        elif kind < 0.05:
            line = line.replace(f"{t:%H}", "25", 1)
        elif kind < 0.06:
            line = "garbage " + line
        out.append(line)
    return out


SHAPES = {
    "syslog": (lambda t, lv, i: f"{t:%b} {t.day:2d} {t:%H:%M:%S} host-{i % 3} app[{i}]: ", [""]),
    "iso": (lambda t, lv, i: f"{t:%Y-%m-%dT%H:%M:%S}.{i % 1000:03d}{['Z', '+02:00', ' -0400', ''][i % 4]} {lv} ",
            ["ERROR", "info", "WARNING", "[warn]", "Err", "CRIT"]),
    "access": (lambda t, lv, i: f'10.0.0.{i % 9} - - [{t:%d/%b/%Y:%H:%M:%S} +0100] "GET /a\\"b HTTP/1.1" {lv} 12 '
               '"-" "ua" ', ["200", "503", "404", "500"]),
    "log4j": (lambda t, lv, i: f"{t:%Y-%m-%d %H:%M:%S},{i % 1000:03d} - {lv} [main] - ", ["INFO ", "ERROR", "WARN "]),
    "rfc5424": (lambda t, lv, i: f"<{lv}>1 {t:%Y-%m-%dT%H:%M:%S}Z host app {i} - - ", ["3", "14", "165", "11"]),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_generated_logs_match_the_reference(tmp_path, shape, newline):
    stamp, words = SHAPES[shape]
    lines = odd_lines(random.Random(shape + newline), stamp, words, 3000)
    path = tmp_path / f"{shape}.log"
    path.write_bytes(newline.join(lines).encode("utf-8"))
    doc = assert_same(path)
    assert doc.series.lines == len(lines)


ODD_STAMPS = [
    "2019-07-03T13:1x:00.000Z ERROR [w] letter in the minute",
    "2019/07/03T13:18:00.000Z ERROR [w] slashes",
    "2019-07-03 13:18:00.000Z ERROR [w] space for the T",
    "2019-07-03T13:18:00.000+ ERROR [w] sign for the Z",
    "2019-07-03T13:18:00.000Z ERROR",
    "2019-07-03T13:18:00.000Z ERRORS are not a level",
    "2019-07-03T13:18:00.000Z       ERROR: ten spaces",
    "2019-07-03T13:18:00.000Z error\tlower case and a tab",
    "2019-07-03T13:18:00.000Z",
    "2019-07-03T13:18:00.00",
    "2019-07-03T13:18:61.000Z ERROR [w] second 61",
    "2019-07-03T13:18:00.000Z INFO [w] café",
    "2019-07-03T13:18:00.000Z\u00a0ERROR no-break space",
]


FAR_LEVEL = "2019-07-03T13:18:00.000Z" + " " * 20 + "ERROR [w] the level past the window"


@pytest.mark.parametrize("far_level", [False, True])
def test_one_stamp_layout_with_odd_lines_matches_the_reference(tmp_path, far_level):
    """Lines laid out like the first are tested in place (stamp bytes, then a window after the
    stamp); every way a line can fail that test, or leave it undecided, reads as the reference
    does. A level word past the window sends the batch to RE2 extraction, with the same result."""
    rnd = random.Random(12)
    odd = ODD_STAMPS + ([FAR_LEVEL] if far_level else [])
    t, lines = datetime(2019, 7, 3, 13, 0), []
    for i in range(6000):
        t += timedelta(seconds=rnd.randrange(0, 2))
        if rnd.random() < 0.05:
            lines.append(rnd.choice(odd).replace("13:18", f"{t:%H:%M}", 1))
        else:
            level = "ERROR" if 1500 <= i < 2500 and i % 3 else rnd.choice(["INFO", "WARN", "DEBUG", "INFO"])
            lines.append(f"{t:%Y-%m-%dT%H:%M:%S}.{i % 1000:03d}Z {level} [worker-{i % 5}] handled {i}")
    path = tmp_path / "app.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = assert_same(path)
    assert doc.series.lines == 6000 and doc.series.parsed < 6000


def test_batches_read_ahead_hand_on_what_the_reading_raises():
    def reading():
        yield 1
        yield 2
        raise OSError("disk gone")

    got = []
    with pytest.raises(OSError, match="disk gone"):
        for item in engine.ahead(reading()):
            got.append(item)
    assert got == [1, 2]


def test_batches_read_ahead_stop_when_the_caller_stops():
    import threading

    closed = []

    def reading():
        try:
            yield from range(100)
        finally:
            closed.append(True)

    ahead = engine.ahead(reading())
    assert next(ahead) == 0
    ahead.close()
    assert closed == [True]
    assert not any(t.name == "outagetl-log-read" for t in threading.enumerate())


def test_batches_gzip_bom_and_bad_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 700)
    stamp, words = SHAPES["iso"]
    text = "\n".join(odd_lines(random.Random(9), stamp, words, 4000)) + "\n"
    raw = b"\xef\xbb\xbf" + text.encode("utf-8").replace("café".encode(), b"caf\xe9", 5)
    with gzip.open(tmp_path / "app.log.gz", "wb") as fh:
        fh.write(raw)
    assert_same(tmp_path / "app.log.gz")


@pytest.mark.skipif(not LOGHUB.is_dir(), reason="loghub samples not present")
@pytest.mark.parametrize("name", ["Android_2k.log", "Apache_2k.log", "BGL_2k.log", "HDFS_2k.log",
                                  "OpenSSH_2k.log", "Zookeeper_2k.log"])
def test_loghub_matches_the_reference(name):
    assert_same(LOGHUB / name)


@pytest.mark.parametrize("fmt", formats(), ids=lambda f: f.name)
def test_fast_extract_agrees_with_regex_on_samples(fmt):
    import pyarrow as pa
    import pyarrow.compute as pc

    from outagetl.logs.fast import plan

    p = plan(fmt)
    samples = pa.array(list(fmt.samples))
    assert pc.all(pc.match_substring_regex(samples, p["full"])).as_py()
    got = pc.extract_regex(samples, p["extract"])
    for i, sample in enumerate(fmt.samples):
        m = fmt.regex.match(sample)
        for name in got.type.names:
            assert got.field(name)[i].as_py() == (m.group(name) or ""), (fmt.name, name)


def test_translations():
    assert re2(r"[^\s:]+\s\S") == r"[^\t-\r\x1c-\x20:]+[\t-\r\x1c-\x20][^\t-\r\x1c-\x20]"
    assert loose(r"(?i)(?<![a-z])(?:error)(?![a-z])$") == "(?i)(?:error)"


@pytest.fixture
def split_everything(monkeypatch):
    """Every plain file is read in two halves by two processes (``reader.SPLIT_BYTES``), in
    batches small enough that each half has several; the list records each split made. The
    run's helper process is let go before and after: one forked earlier holds another BATCH."""
    reader.release()
    monkeypatch.setattr(reader, "SPLIT_BYTES", 1)
    monkeypatch.setenv("OUTAGETL_LOG_PROCESSES", "2")
    monkeypatch.setattr(engine, "BATCH", 400)
    made = []
    halves = reader._count_halves

    def spy(*args):
        made.append(args[-1])
        return halves(*args)

    monkeypatch.setattr(reader, "_count_halves", spy)
    yield made
    reader.release()


@pytest.mark.skipif(not hasattr(reader.os, "fork"), reason="no fork on this platform")
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_two_halves_read_in_two_processes_match_the_reference(tmp_path, split_everything, shape):
    stamp, words = SHAPES[shape]
    lines = odd_lines(random.Random("halves" + shape), stamp, words, 3000)
    path = tmp_path / f"{shape}.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = assert_same(path)
    assert len(split_everything) == 1 and doc.series.lines == 3000


def syslog_line(t: datetime, i: int) -> str:
    """One RFC 3164 line, 49 characters for every ``t`` and ``i`` below 10,000, an error every 7th."""
    return f"{t:%b} {t.day:2d} {t:%H:%M:%S} edge-1 app[{i:05d}]: {'upstream error' if i % 7 == 0 else 'request was ok'}"


@pytest.mark.skipif(not hasattr(reader.os, "fork"), reason="no fork on this platform")
def test_a_new_year_crossed_right_at_the_half_is_counted_once(tmp_path, split_everything):
    """1,000 lines of 50 bytes: the half is cut after the line that holds byte 25,000, line 501;
    lines 1-501 are on Dec 31, 502-1,000 on Jan 1, so the second process starts in the new year
    and only the first knows what came before."""
    december, january = datetime(2019, 12, 31, 23, 50), datetime(2020, 1, 1, 0, 0)
    lines = [syslog_line(december + timedelta(seconds=i), i) for i in range(501)]
    lines += [syslog_line(january + timedelta(seconds=i), 501 + i) for i in range(499)]
    assert {len(x) for x in lines} == {49}
    path = tmp_path / "syslog.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = assert_same(path)
    assert split_everything == [501 * 50]
    minutes = doc.series.minutes
    # placeholder years (logs.stamps): 2000 for the first line, 2004 after one New Year
    assert str(minutes.minute[0])[:16] == "2000-12-31T23:50" and str(minutes.minute[-1])[:16] == "2004-01-01T00:08"
    assert len(minutes.minute) == 9 + 9  # 23:50-23:58 (501 seconds), then 00:00-00:08 (499)
    assert doc.series.parsed == 1000


@pytest.mark.skipif(not hasattr(reader.os, "fork"), reason="no fork on this platform")
def test_a_first_half_without_a_timestamp_is_read_again_in_one_go(tmp_path, split_everything):
    """Nothing in the first half says whether times are UTC or local: the copy stops, and the
    file is read again in one go, as one reader would."""
    stamp, words = SHAPES["iso"]
    head = [f"2019-13-03T10:00:{i % 60:02d}Z ERROR there is no month 13" for i in range(2000)]
    lines = head + odd_lines(random.Random(5), stamp, words, 1500)
    path = tmp_path / "app.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = assert_same(path)
    assert len(split_everything) == 1 and doc.series.lines == 3500


@pytest.mark.skipif(not hasattr(reader.os, "fork"), reason="no fork on this platform")
def test_one_helper_reads_the_second_halves_of_every_big_log_of_a_run(tmp_path, split_everything, monkeypatch):
    """Three logs in one run: each is read in two halves, the second halves all by one forked
    helper, which is let go once the run's sources are read; the timeline is the one a single
    process gives."""
    from outagetl.cli import main

    forks = []
    helper = reader._Helper.__init__

    def counted(self):
        forks.append(1)
        helper(self)

    monkeypatch.setattr(reader._Helper, "__init__", counted)
    for n, shape in enumerate(sorted(SHAPES)[:3]):
        stamp, words = SHAPES[shape]
        (tmp_path / f"{shape}.log").write_text("\n".join(odd_lines(random.Random(n), stamp, words, 2000)) + "\n",
                                               encoding="utf-8")
    two = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json"])
    assert two.exit_code == 0, two.output
    assert len(split_everything) == 3 and forks == [1] and reader._HELPER is None
    monkeypatch.setenv("OUTAGETL_LOG_PROCESSES", "1")
    one = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json"])
    assert len(split_everything) == 3 and one.stdout == two.stdout


@pytest.mark.skipif(not hasattr(reader.os, "fork"), reason="no fork on this platform")
@pytest.mark.parametrize("work", ["answers", "fails", "dies"])
def test_a_helper_that_dies_or_fails_is_told_apart_from_one_that_answers(monkeypatch, work):
    """A job, then the mode: the helper answers what it read with that mode, or the reason a
    SourceError gave; one that died gives None, and is seen to be gone."""
    from outagetl.sources.base import SourceError

    def second_half(job, told):
        if work == "fails":  # before it asks for the mode, which the helper must still take
            raise SourceError("app.log", f"cannot read {job[0]}: disk gone")
        mode = told()
        if work == "dies":
            reader.os._exit(3)
        return {"job": job, "mode": mode}

    monkeypatch.setattr(reader, "_second_half", second_half)
    helper = reader._Helper()
    try:
        assert helper.ask(("app.log", 7)) and helper.tell("utc")
        expected = {"answers": ("ok", {"job": ("app.log", 7), "mode": "utc"}),
                    "fails": ("error", "cannot read app.log: disk gone"), "dies": None}[work]
        assert helper.answer() == expected
        if work != "dies":  # the same helper takes the next file
            assert helper.ask(("web.log", 8)) and helper.tell("local")
            assert helper.answer() == (("ok", {"job": ("web.log", 8), "mode": "local"}) if work == "answers"
                                       else ("error", "cannot read web.log: disk gone"))
        if work == "dies":  # its pipe is closed as it exits, a moment before the kernel has it gone
            deadline = time.monotonic() + 5
            while helper.alive() and time.monotonic() < deadline:
                time.sleep(0.01)
        assert helper.alive() == (work != "dies")
    finally:
        helper.close()
    assert not helper.alive()


@pytest.mark.parametrize(("asked", "cores", "load", "processes"), [
    ("1", 8, 0.0, 1), ("2", 2, 9.0, 2),  # what the environment asks, whatever the machine
    ("", 2, 0.9, 2), ("", 2, 1.2, 1), ("", 8, 6.5, 2), ("", 1, 0.0, 1),  # else a second one needs a free core
])
def test_a_second_process_reads_only_where_a_core_is_free(monkeypatch, asked, cores, load, processes):
    monkeypatch.setenv("OUTAGETL_LOG_PROCESSES", asked)
    monkeypatch.setattr(reader.cores, "cores", lambda: cores)
    monkeypatch.setattr(reader.cores, "others", lambda: load)
    assert reader._processes() == processes


def test_one_process_when_the_environment_asks(tmp_path, split_everything, monkeypatch):
    monkeypatch.setenv("OUTAGETL_LOG_PROCESSES", "1")
    stamp, words = SHAPES["iso"]
    path = tmp_path / "app.log"
    path.write_text("\n".join(odd_lines(random.Random(6), stamp, words, 1000)) + "\n", encoding="utf-8")
    assert_same(path)
    assert split_everything == []


@pytest.mark.parametrize("in_order", [True, False])
def test_minutes_of_lines_in_and_out_of_time_order(tmp_path, in_order):
    """Per-minute totals, errors, first line and first error line, counted from lines written in
    time order (one pass) and with one line late (sorted first): both by hand from the lines."""
    lines = ["2024-03-05T10:00:05Z INFO [api] ok", "2024-03-05T10:00:30Z ERROR [api] refused",
             "2024-03-05T10:01:10Z ERROR [api] refused", "2024-03-05T10:01:50Z INFO [api] ok"]
    if not in_order:
        lines.append("2024-03-05T10:00:45Z ERROR [api] refused, logged late")
    path = tmp_path / "api.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    minutes = assert_same(path).series.minutes
    assert [str(m)[11:16] for m in minutes.minute] == ["10:00", "10:01"]
    assert minutes.total.tolist() == ([2, 2] if in_order else [3, 2])
    assert minutes.errors.tolist() == ([1, 1] if in_order else [2, 1])
    assert minutes.first_line.tolist() == [1, 3]
    assert minutes.first_error_line.tolist() == [2, 3]
