"""Hostile logs (issue 15, the log reader's rows): a gigabyte of NULs in a sparse log, a line dated
9999 or 1677, a year-less syslog dated Feb 29. Big inputs come from small generators; every
expected message and count is written by hand from what the generator writes."""
import gzip
import json
import subprocess
import sys
from datetime import datetime, timezone

from click.testing import CliRunner

from outagetl.cli import main
from outagetl.logs.claims import log_claims
from outagetl.sources.registry import read_path

UTC = timezone.utc
LIMIT = 10 * 1024 * 1024


def iso_lines(first: int, count: int, hour: int = 16) -> bytes:
    """``count`` ISO lines, one a second from line ``first`` on; errors on lines 700-899."""
    out = []
    for i in range(first, first + count):
        level = "ERROR" if 700 <= i < 900 else "INFO"
        out.append(f"2024-03-05T{hour + i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000Z {level} "
                   f"[api] request {i}\n")
    return "".join(out).encode()


def build_json(*args) -> tuple[dict, str]:
    result = CliRunner().invoke(main, ["build", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_a_gigabyte_of_nuls_is_one_skipped_line_and_memory_stays_flat(tmp_path):
    """1,500 lines, a hole of 1 GiB (read back as NULs, no newline), then 1,500 more lines: the
    NULs and the line they run into (line 1,501) are one line over --max-line-bytes."""
    path = tmp_path / "sparse.log"
    with open(path, "wb") as fh:
        fh.write(iso_lines(0, 1500))
        fh.seek(1 << 30, 1)
        fh.write(iso_lines(1500, 1500))
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent (pytest, hundreds of MB).
    code = ("import json, sys\n"
            "from pathlib import Path\n"
            "from outagetl.sources.registry import read_path\n"
            "doc = read_path(Path(sys.argv[1]), 'sparse.log')[0]\n"
            "peak = next(ln for ln in open('/proc/self/status') if ln.startswith('VmHWM:'))\n"
            "print(json.dumps({'lines': doc.series.lines, 'parsed': doc.series.parsed,\n"
            "                  'skipped': [[s.what, s.reason, s.line] for s in doc.skipped],\n"
            "                  'rss_mib': int(peak.split()[1]) / 1024}))\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout)
    assert got["lines"] == 3000 and got["parsed"] == 2999
    assert got["skipped"] == [["1 line", f"longer than the {LIMIT}-byte limit (--max-line-bytes), not read "
                                         "(first at line 1501)", 1501]]
    assert got["rss_mib"] < 400


def test_the_line_limit_is_the_option_and_holds_for_gzip_too(tmp_path):
    """A .gz log whose line 1,001 carries 3 MB of NULs: over a 1 MB --max-line-bytes, one line."""
    body = iso_lines(0, 1000) + b"\x00" * 3_000_000 + iso_lines(1000, 1000)
    path = tmp_path / "api.log.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(body)
    doc = read_path(path, "api.log.gz")[0]
    assert (doc.series.lines, doc.series.parsed) == (2000, 2000)  # 3 MB is under the default 10 MB
    timeline, _ = build_json(str(path), "--max-line-bytes", "1000000")
    (source,) = timeline["sources"]
    assert source["units"] == {"kind": "line", "read": 2000, "used": 1999, "skipped": 1}
    assert [s["reason"] for s in source["skipped"] if s["what"] == "1 line"] == [
        "longer than the 1000000-byte limit (--max-line-bytes), not read (first at line 1001)"]


def far_dated(tmp_path, stamp: str):
    """200 ISO lines with an error burst at lines 101-139; line 58 dated ``stamp``."""
    lines = [f"2024-03-05T16:{i // 60:02d}:{i % 60:02d}.000Z {'ERROR' if 100 < i < 140 else 'INFO'} [api] request {i}"
             for i in range(200)]
    lines[57] = f"{stamp} ERROR [api] a line from another age"
    path = tmp_path / "api.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_line_dated_9999_or_1677_is_one_skipped_line(tmp_path):
    for stamp in ("9999-12-31T23:59:59.000Z", "1677-01-01T00:00:00.000Z"):
        timeline, stderr = build_json(str(far_dated(tmp_path, stamp)))
        assert "please report this" not in stderr
        (source,) = timeline["sources"]
        assert source["units"] == {"kind": "line", "read": 200, "used": 199, "skipped": 1}
        assert [s for s in source["skipped"] if s["what"] == "1 line"] == [{
            "what": "1 line", "line": 58,
            "reason": "timestamp outside the years 1678-2261 (a time in nanoseconds holds no other) "
                      "(first at line 58)"}]
        # The burst is still read: errors from 16:01 (line 102, minute 1) on.
        starts = [e for e in timeline["events"] if e["kind"] == "start"]
        assert [e["time"] for e in starts] == ["2024-03-05T16:01:00Z"]


def feb29_syslog(tmp_path):
    """A year-less syslog of Feb 29, 12:00-12:59, with errors 12:20-12:29 (5 of 6 lines a minute)."""
    lines = [f"Feb 29 12:{m:02d}:{s:02d} web nginx[7]: {'upstream error: refused' if 20 <= m < 30 and s else 'ok'}"
             for m in range(60) for s in range(0, 60, 10)]
    path = tmp_path / "edge.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_path(path, "edge.log")[0]


def window(year: int):
    return datetime(year, 2, 28, tzinfo=UTC), datetime(year, 3, 2, tzinfo=UTC)


def test_a_year_less_feb_29_is_placed_in_a_leap_year_and_flagged(tmp_path):
    doc = feb29_syslog(tmp_path)
    claims, _ = log_claims(doc, window=window(2021))
    onset = next(c for c in claims if c.kind == "start")
    assert onset.span.best == datetime(2020, 2, 29, 12, 20, tzinfo=UTC)
    assert "leap-day: the log has Feb 29, so it is placed in 2020, a leap year, not in the incident window's 2021" \
        in map(str, onset.span.flags)
    claims, _ = log_claims(doc, window=window(2024))
    onset = next(c for c in claims if c.kind == "start")
    assert onset.span.best == datetime(2024, 2, 29, 12, 20, tzinfo=UTC)
    assert "leap-day: the log has Feb 29, so it is placed in 2024, a leap year" in map(str, onset.span.flags)


def test_a_feb_29_log_in_a_common_year_says_its_lines_are_lost(tmp_path):
    claims, skips = log_claims(feb29_syslog(tmp_path), year=2021)
    assert claims == []
    assert [(s.what, s.reason) for s in skips] == [
        ("360 lines", "Feb 29 does not exist in 2021"),
        ("error rate", "too few minutes to compare against a baseline")]


def test_a_year_less_log_without_feb_29_has_no_leap_day_flag(tmp_path):
    path = tmp_path / "edge.log"
    path.write_text("\n".join(f"Mar  1 12:{m:02d}:{s:02d} web nginx[7]: "
                              f"{'upstream error: refused' if 20 <= m < 30 and s else 'ok'}"
                              for m in range(60) for s in range(0, 60, 10)) + "\n", encoding="utf-8")
    claims, _ = log_claims(read_path(path, "edge.log")[0], window=window(2021))
    onset = next(c for c in claims if c.kind == "start")
    assert onset.span.best == datetime(2021, 3, 1, 12, 20, tzinfo=UTC)
    assert not any(str(f).startswith("leap-day") for f in onset.span.flags)
