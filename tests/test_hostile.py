"""Hostile inputs (tests/data/hostile/ and generated ones): each is named on stderr with one exact
line, the good story next to it still gives its events, nothing crashes, nothing is executed."""
import csv
import gzip
import html
import io
import json
import os
import re
import shutil
from pathlib import Path

import hostile_inputs
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from outagetl.cli import main

from conftest import EXAMPLE, ROOT

HOSTILE = ROOT / "tests" / "data" / "hostile"
GOOD = EXAMPLE / "000_218ec5be4a413192.txt"
GOOD_EVENTS = 3
REFUSED_XML = "refused: XML with a DOCTYPE/entity declaration (possible entity-expansion attack)"


def run(*args):
    return CliRunner().invoke(main, list(args))


def folder_with(tmp_path, name, data=None):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    target = folder / name
    if data is None:
        shutil.copy(HOSTILE / name, target)
    else:
        target.write_bytes(data)
    return folder, target


def build(folder, *extra):
    result = run("build", str(folder), "--format", "json", *extra)
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)


def good_events(doc):
    return [e for e in doc["events"] if any(s["source"].endswith("good.txt") for s in e["sources"])]


UNREADABLE = {
    "billion-laughs.rss": REFUSED_XML,
    "xxe.atom": REFUSED_XML,
    "xxe-parameter.rss": REFUSED_XML,
    "truncated.json": "1: invalid JSON: Unterminated string starting at (line 1)",
    "tweets-payload.js": "not a Twitter export: expected tweets JSON, tweets.js or a CSV with a header",
    "empty.txt": "file is empty",
    "nuls.txt": "binary file (only NUL bytes), not text",
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_file_is_named_in_one_line_and_the_rest_builds(tmp_path, name):
    folder, target = folder_with(tmp_path, name)
    result, doc = build(folder)
    assert result.exit_code == 0
    reason = UNREADABLE[name]
    where, _, rest = reason.partition(": ") if reason[:1].isdigit() else ("", "", reason)
    line = f"outagetl: {target}{':' + where if where else ''}: {rest}"
    assert [ln for ln in result.stderr.splitlines() if str(target) in ln] == [line]
    assert len(good_events(doc)) == GOOD_EVENTS
    assert doc["unreadable"] == [{"path": str(target), "reason": rest, "line": int(where) if where else None}]
    assert run("build", str(folder), "--format", "json", "--strict").exit_code == 1
    assert run("build", str(target)).exit_code == 1


def test_nothing_in_a_payload_or_entity_is_fetched_or_run(tmp_path):
    folder, _ = folder_with(tmp_path, "tweets-payload.js")
    for name in ("xxe.atom", "xxe-parameter.rss", "external-dtd.rss", "billion-laughs.rss"):
        shutil.copy(HOSTILE / name, folder / name)
    result, doc = build(folder)
    assert "root:" not in result.output and "lollol" not in result.output and "pwned" not in result.output


def test_external_dtd_is_never_loaded_and_the_feed_is_read(tmp_path):
    folder, target = folder_with(tmp_path, "external-dtd.rss")
    result, doc = build(folder)
    assert result.exit_code == 0 and str(target) not in result.stderr
    (feed,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert feed["units"] == {"kind": "entry", "read": 1, "used": 1, "skipped": 0}


def test_json_nested_100k_deep(tmp_path):
    folder, target = folder_with(tmp_path, "deep.json", b'{"incident_updates": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    result, doc = build(folder)
    assert f"outagetl: {target}:1: JSON nested deeper than 200 levels (--max-json-depth)" in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS


def test_html_nested_100k_deep(tmp_path):
    page = b"<html><body>" + b"<div>" * 100_000 + b"At 12:00 UTC it broke." + b"</div>" * 100_000 + b"</body></html>"
    folder, target = folder_with(tmp_path, "deep.html", page)
    result, doc = build(folder)
    assert f"outagetl: {target}:1: markup nested deeper than 1000 elements (--max-html-depth)" in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS


def test_gzip_bomb_is_refused_without_expanding(tmp_path):
    line = b"2019-07-03 12:00 UTC uploads failing for everyone, the company said in a statement\n"
    bomb = gzip.compress(line * (60 * 1024 * 1024 // len(line)), 9)
    folder, target = folder_with(tmp_path, "story.txt.gz", bomb)
    result, doc = build(folder)
    assert f"outagetl: {target}: refused: gzip expands beyond 100x its {len(bomb)} bytes " \
           "(possible gzip bomb; --max-gzip-ratio)" in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS


def test_gzip_bomb_of_log_lines_is_refused_from_its_trailer(tmp_path):
    bomb = gzip.compress(b"2019-07-03T12:00:00Z ERROR upload failed\n" * 8_000_000, 9)
    folder, target = folder_with(tmp_path, "edge.log.gz", bomb)
    result, _ = build(folder)
    assert f"outagetl: {target}: refused: gzip expands beyond 100x its {len(bomb)} bytes " \
           "(possible gzip bomb; --max-gzip-ratio)" in result.stderr.splitlines()


def test_every_member_of_a_multi_member_log_gz_is_read_with_the_line_limit(tmp_path):
    """multi-member.log.gz: three members of 1,000 ISO lines each (16:00:00 on, one a second); the
    second starts with 3 MB of NULs that run into its first line, line 1,001."""
    folder, target = folder_with(tmp_path, "multi-member.log.gz")
    assert int.from_bytes(target.read_bytes()[-4:], "little") == 49_000  # the last member's size only
    result, doc = build(folder)
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert source["units"] == {"kind": "line", "read": 3000, "used": 3000, "skipped": 0}
    result, doc = build(folder, "--max-line-bytes", "1000000")
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert source["units"] == {"kind": "line", "read": 3000, "used": 2999, "skipped": 1}
    assert [s["reason"] for s in source["skipped"] if s["what"] == "1 line"] == [
        "longer than the 1000000-byte limit (--max-line-bytes), not read (first at line 1001)"]
    assert len(good_events(doc)) == GOOD_EVENTS


MEMBER = b"2019-07-03T12:00:00Z ERROR upload failed\n" * 25_000  # 1,025,000 bytes, 3 KB gzipped


def test_a_multi_member_log_gz_is_refused_by_the_bytes_it_inflates(tmp_path):
    """40 members of 1 MB: the trailer claims 1 MB, under every limit; the members inflate to 41 MB,
    over 100x the file's 122 KB."""
    data = hostile_inputs.gzip_members(MEMBER, 40)
    assert int.from_bytes(data[-4:], "little") == len(MEMBER)
    folder, target = folder_with(tmp_path, "edge.log.gz", data)
    result, doc = build(folder)
    assert f"outagetl: {target}: refused: gzip expands beyond 100x its {len(data)} bytes " \
           "(possible gzip bomb; --max-gzip-ratio)" in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS
    result, doc = build(folder, "--max-gzip-ratio", "1000", "--max-gzip-bytes", "5000000")
    assert f"outagetl: {target}: refused: gzip expands beyond 5000000 bytes (--max-gzip-bytes)" \
        in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS
    result, doc = build(folder, "--max-gzip-ratio", "1000")
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert source["units"] == {"kind": "line", "read": 1_000_000, "used": 1_000_000, "skipped": 0}


def test_a_multi_member_story_gz_is_read_whole_and_refused_by_what_it_inflates(tmp_path):
    """A story whose second half is a second member: its times are read too; and 20 members of 3 MB
    of text pass --max-bytes (50 MB) though each member's trailer says 3 MB."""
    story = (b"Uploads failed worldwide.\n\nThe outage began at 12:00 UTC on July 3, 2019.\n\n",
             b"Service was fully restored at 14:30 UTC, the company said.\n")
    folder, target = folder_with(tmp_path, "story.txt.gz", b"".join(gzip.compress(part, mtime=0) for part in story))
    result, doc = build(folder)
    mine = sorted((e["kind"], e["time"]) for e in doc["events"] if e["sources"][0]["source"] == str(target))
    assert mine == [("resolved", "2019-07-03T14:30:00Z"), ("start", "2019-07-03T12:00:00Z")]
    filler = b"Engineers kept working through the night on the storage cluster.\n" * 48_000  # 3,168,000 bytes
    (folder / "story.txt.gz").write_bytes(hostile_inputs.gzip_members(filler, 20))
    result, doc = build(folder, "--max-gzip-ratio", "100000")
    assert f"outagetl: {target}: decompressed file is over the {50 * 1024 * 1024}-byte limit (--max-bytes)" \
        in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS


def test_one_11_mb_line(tmp_path):
    data = b"Uploads failed at 12:00 UTC. " + b"x" * (11 * 1024 * 1024) + b"\n"
    folder, target = folder_with(tmp_path, "long.txt", data)
    result, doc = build(folder)
    assert f"outagetl: {target}:1: line is {len(data) - 1} bytes, over the 10485760-byte limit (--max-line-bytes)" \
        in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS
    assert run("build", str(target), "--max-line-bytes", str(len(data)), "--format", "json").exit_code == 0


def test_max_bytes_names_its_option(tmp_path):
    folder, target = folder_with(tmp_path, "big.txt", b"At 12:00 UTC the outage began.\n" * 100)
    result, doc = build(folder, "--max-bytes", "2000")
    assert f"outagetl: {target}: file is 3100 bytes, over the 2000-byte limit (--max-bytes)" in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS


@pytest.mark.parametrize("name, encoding", [
    ("utf16-story.txt", "utf-16"), ("utf16le-nobom-story.txt", "utf-16-le (no BOM)"), ("cp1252-story.txt", "cp1252"),
])
def test_encodings_are_detected_and_recorded(tmp_path, name, encoding):
    folder, target = folder_with(tmp_path, name)
    result, doc = build(folder)
    assert result.exit_code == 0 and str(target) not in result.stderr
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert source["encoding"] == encoding
    assert any(c["source"] == str(target) and "12:00 UTC" in c["quote"] for e in doc["events"] for c in e["sources"])
    if name.startswith("cp1252"):
        assert "“uploads broke at 12:00 UTC”" in json.dumps(doc, ensure_ascii=False)


def test_utf8_bom_and_mixed_line_endings(tmp_path):
    data = b"\xef\xbb\xbfUploads broke\r\n\r\nThe outage began at 12:00 UTC on July 3, 2019.\r\rIt was fixed at 23:09 UTC.\n"
    folder, target = folder_with(tmp_path, "bom.txt", data)
    result, doc = build(folder)
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert source["encoding"] == "utf-8-sig"
    lines = {c["line"] for e in doc["events"] for c in e["sources"] if c["source"] == str(target)}
    assert lines == {3, 5}


def test_nul_bytes_inside_text_are_removed_and_reported(tmp_path):
    folder, target = folder_with(tmp_path, "nul-inside-story.txt")
    result, doc = build(folder)
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert {"what": "2 NUL bytes", "reason": "removed: NUL bytes are not text", "line": 3} in source["skipped"]
    assert any(c["source"] == str(target) for e in doc["events"] for c in e["sources"])


def test_script_and_event_handlers_in_a_story_are_never_output_as_markup(tmp_path):
    folder, target = folder_with(tmp_path, "xss-story.html")
    _, doc = build(folder)
    assert any(c["source"] == str(target) for e in doc["events"] for c in e["sources"])
    quoted = [c["quote"] for e in doc["events"] for c in e["sources"] if c["source"] == str(target)]
    assert not [q for q in quoted if "alert" in q or "onerror" in q]
    page = run("build", str(folder), "--format", "html").stdout
    assert "<script" not in page.lower() and "onerror=" not in page and "javascript:" not in page


def test_csv_formula_cells_are_neutralised(tmp_path):
    folder, target = folder_with(tmp_path, "formula-tweets.csv")
    result = run("build", str(folder), "--format", "csv")
    assert result.exit_code == 0
    cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
    assert any("cmd|' /C calc'" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_statuspage_with_wrong_types_accounts_for_every_update(tmp_path):
    folder, target = folder_with(tmp_path, "statuspage-wrong-types.json")
    result, doc = build(folder)
    assert result.exit_code == 0 and str(target) not in result.stderr
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert source["units"] == {"kind": "update", "read": 1982, "used": 1, "skipped": 1981}
    assert len([s for s in source["skipped"] if s["reason"] == "not an update object"]) == 1320
    assert len(good_events(doc)) == GOOD_EVENTS


def test_log_with_garbage_lines_counts_them(tmp_path):
    folder, target = folder_with(tmp_path, "garbage.log")
    result, doc = build(folder)
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert source["units"] == {"kind": "line", "read": 180, "used": 80, "skipped": 100}
    assert "100 of 198 units skipped" in result.stderr
    assert run("build", str(folder), "--format", "json", "--strict").exit_code == 1


def test_usage_errors_exit_2(tmp_path):
    assert run("build", str(GOOD), "--max-bytes", "0").exit_code == 2
    assert run("build", str(GOOD), "--max-json-depth", "many").exit_code == 2
    assert run("build", str(tmp_path / "missing.txt")).exit_code == 2


def test_fixed_offsets_render_in_every_format(tmp_path):
    story = (b"Outage notes\n\nThe outage began in Delhi at 2019-07-03T18:00:00+05:30. Kathmandu saw it at "
             b"2019-07-03T18:30:00+05:45.\n\nIt was resolved at 2019-07-04T08:39:00+09:30.\n")
    folder, target = folder_with(tmp_path, "offsets.txt", story)
    for fmt in ("table", "markdown", "html", "json", "csv", "timelinejs"):
        result = run("build", str(folder), "--format", fmt)
        assert result.exit_code == 0 and "Traceback" not in result.output, (fmt, result.output[-500:])
    _, doc = build(folder)
    zones = {c["zone"] for e in doc["events"] for c in e["sources"] if c["source"] == str(target)}
    assert zones == {"UTC+05:30", "UTC+05:45", "UTC+09:30"}
    assert {e["time"] for e in doc["events"] if e["sources"][0]["source"] == str(target)} == {
        "2019-07-03T12:30:00Z", "2019-07-03T12:45:00Z", "2019-07-03T23:09:00Z"}
    assert len(good_events(doc)) == GOOD_EVENTS
    markdown = run("build", str(folder), "--format", "markdown").stdout
    assert "18:00 UTC+05:30" in markdown and "18:30 UTC+05:45" in markdown and "08:39 UTC+09:30" in markdown
    explained = run("explain", "E1", str(target)).stdout
    assert "2019-07-03 12:30 UTC = 2019-07-03 18:00 UTC+05:30 (UTC+05:30)" in explained


KNOWN = "known keys: language, locale, path, published, role, timezone, title, type"
MANIFESTS = {
    '[defaults]\ntimzone = "Europe/Rome"\n': f"2: unknown key 'timzone' in [defaults]; {KNOWN}",
    '[[source]]\npath = "good.txt"\n\n[[source]]\npath = "x"\nrole = "press"\ntimzone = "UTC"\n':
        f"7: unknown key 'timzone' in [[source]]; {KNOWN}",
    '[default]\ntimezone = "UTC"\n': "1: unknown key 'default'; known keys: defaults, source",
    '[defaults]\ntimezone = 5\n': "2: 'timezone' must be a string (an IANA zone name such as \"Europe/Rome\"), not an integer",
    'defaults = 5\n': "1: 'defaults' must be a table ([defaults]), not an integer",
    'source = 5\n': "1: 'source' must be an array of tables ([[source]] entries), not an integer",
    '[[source]]\npath = "good.txt"\npublished = 5\n':
        "3: 'published' must be a date-time (2019-07-03T16:10:00+02:00), a date or a string, not an integer",
    '[[source]]\npath = "good.txt"\ntitle = true\n': "3: 'title' must be a string, not a boolean",
    '[[source]]\npath = 7\n': "2: 'path' must be a string (a glob such as \"corriere-*.txt\"), not an integer",
    '[[source]]\npath = "good.txt"\ntype = "blog"\n': "3: type must be one of article, post, status, log, metrics, not 'blog'",
    '[[source]]\ntimezone = "UTC"\n': "1: every [[source]] needs a path",
    f'[defaults]\ntitle = "{"x" * 10_000_000}"\n':
        "2: 'title' is 10000000 characters, over the 1000-character limit (--max-manifest-chars)",
}


@pytest.mark.parametrize("manifest", sorted(MANIFESTS), ids=lambda m: m[:40])
def test_a_manifest_to_fix_is_one_line_naming_file_line_and_key_exit_2(tmp_path, manifest):
    folder, target = folder_with(tmp_path, "sources.toml", manifest.encode())
    result = run("build", str(folder), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"outagetl: {target}:{MANIFESTS[manifest]}"]
    assert result.stdout == ""


def test_a_long_manifest_value_is_read_with_the_option_that_raises_the_limit(tmp_path):
    folder, _ = folder_with(tmp_path, "sources.toml", f'[defaults]\ntitle = "{"x" * 5000}"\n'.encode())
    result, doc = build(folder, "--max-manifest-chars", "5000")
    assert result.exit_code == 0 and {s["title"] for s in doc["sources"]} == {"x" * 5000}


def test_manifest_type_log_reads_the_file_as_a_log_or_says_why_not(tmp_path):
    folder, _ = folder_with(tmp_path, "sources.toml", b'[[source]]\npath = "*.txt"\ntype = "log"\n')
    shutil.copy(GOOD, folder / "story.txt")
    (folder / "edge.txt").write_text("2019-07-03T12:00:01Z ERROR upload failed\n" * 30 + "2019-07-03T12:40:00Z INFO ok\n")
    result, doc = build(folder)
    refused = "sources.toml gives type 'log', but it reads as article and the log reader refuses it: " \
              "no known log format matches most of the first lines"
    assert sorted(ln for ln in result.stderr.splitlines() if "sources.toml gives" in ln) == [
        f"outagetl: {folder / 'good.txt'}: {refused}", f"outagetl: {folder / 'story.txt'}: {refused}"]
    (edge,) = doc["sources"]
    assert edge["type"] == "log" and edge["units"]["read"] == 31 and edge["units"]["used"] == 31
    assert any(c["source"] == str(folder / "edge.txt") for e in doc["events"] for c in e["sources"])


def test_a_fifo_given_by_name_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run("build", str(fifo), str(GOOD), "--format", "json")
    assert result.exit_code == 0
    assert [ln for ln in result.stderr.splitlines() if str(fifo) in ln] == [
        f"outagetl: {fifo}: not a regular file (a FIFO): not read"]
    assert json.loads(result.stdout)["unreadable"] == [
        {"path": str(fifo), "reason": "not a regular file (a FIFO): not read", "line": None}]
    assert run("build", str(fifo)).exit_code == 1


def test_a_folder_lists_what_it_cannot_read_and_never_follows_links_out(tmp_path, monkeypatch):
    folder, _ = folder_with(tmp_path, "story.txt", (EXAMPLE / "001_05a724bd71759534.txt").read_bytes())
    outside = tmp_path / "private.txt"
    outside.write_text("root:x:0:0:secret first line\n")
    (folder / "x.txt").symlink_to(outside)
    (folder / "shadow.txt").symlink_to("/etc/shadow")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop1").symlink_to(folder / "loop2")
    (folder / "loop2").symlink_to(folder / "loop1")
    (folder / "sub").mkdir()
    (folder / "sub" / "again.txt").symlink_to(folder / "good.txt")  # inside the folder: read
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0)
    if os.geteuid() == 0:  # root lists a mode-000 folder anyway: make the listing fail as it would for a user
        scandir = os.scandir
        monkeypatch.setattr(os, "scandir", lambda p: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                            if Path(p) == locked else scandir(p))
    try:
        result, doc = build(folder)
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 0
    expected = {
        "locked": "folder cannot be read: Permission denied",
        "loop1": "symbolic link loop: not read", "loop2": "symbolic link loop: not read",
        "pipe.txt": "not a regular file (a FIFO): not read",
        "shadow.txt": f"symbolic link to /etc/shadow, outside {folder}: not followed",
        "x.txt": f"symbolic link to {outside}, outside {folder}: not followed",
    }
    assert doc["unreadable"] == [{"path": str(folder / name), "reason": reason, "line": None}
                                 for name, reason in sorted(expected.items())]
    for name, reason in expected.items():
        assert f"outagetl: {folder / name}: {reason}" in result.stderr.splitlines()
    assert "secret first line" not in result.stdout and "root:x" not in result.stdout
    assert sorted(s["path"] for s in doc["sources"]) == [str(folder / n) for n in ("good.txt", "story.txt", "sub/again.txt")]
    assert len(good_events(doc)) == GOOD_EVENTS
    assert run("build", str(folder / "x.txt"), "--format", "json").exit_code == 0  # named: the user's choice


ESCAPES_STORY = (
    "Outage\n\nThe outage began at 12:00 UTC on July 3, 2019, said \x1b]52;c;cm0gLXJmIH4=\x07 the \x1b]0;pwned\x07 "
    "company \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ and \x1bP1;2|payload\x1b\\ then \x1b[?1049h "
    "gone \u009b31m red \x7f.\n\n"
    "It was resolved at 23:09 UTC on July 3, 2019 by admin\u202etxt.exe, zero\u200bwidth \u2066x\u2069 "
    "[l](javascript:alert(1)) ![](https://evil.example/p.png) | see https://evil.example or www.evil.example.\n")
INVISIBLE_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202e\u2066\u2069]")


def test_terminal_escapes_and_invisible_characters_never_reach_the_output(tmp_path):
    folder, target = folder_with(tmp_path, "story`name|x.txt", ESCAPES_STORY.encode())
    for fmt in ("table", "markdown", "html", "csv", "timelinejs", "json"):
        result = run("build", str(folder), "--format", fmt)
        assert result.exit_code == 0, fmt
        assert not INVISIBLE_RAW.findall(result.stdout), (fmt, INVISIBLE_RAW.findall(result.stdout)[:5])
        if fmt != "json":
            assert "<U+001B>" in html.unescape(result.stdout) and "admin<U+202E>txt.exe" in html.unescape(result.stdout)
    _, doc = build(folder)
    assert "admin\u202etxt.exe" in json.dumps(doc, ensure_ascii=False)  # JSON keeps the data, escaped
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    assert {"what": "17 invisible or control characters",
            "reason": "U+0007, U+001B, U+007F, U+009B, U+200B, U+202E: shown as <U+XXXX> in every text output, "
                      "never passed to a terminal", "line": 3} in source["skipped"]
    assert source["units"]["skipped"] == 0  # a note about characters, not a unit left out
    assert len(good_events(doc)) == GOOD_EVENTS
    explained = run("explain", "E1", str(target)).stdout + run("explain", "E2", str(target)).stdout
    assert not INVISIBLE_RAW.findall(explained) and "admin<U+202E>txt.exe" in explained


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


def test_markdown_forms_no_link_or_image_from_source_text_and_code_spans_hold_any_name(tmp_path):
    folder, target = folder_with(tmp_path, "story`name|x.txt", ESCAPES_STORY.encode())
    text = run("build", str(folder), "--format", "markdown").stdout
    for parser in (MarkdownIt("commonmark").enable("table"), MarkdownIt("commonmark")):
        tokens = list(_tokens(parser.parse(text)))
        links = [t.attrGet("href") or t.attrGet("src") for t in tokens if t.type in ("link_open", "image")]
        assert not [href for href in links if "evil" in href or "javascript" in href], links
        spans = {t.content for t in tokens if t.type == "code_inline"}
        assert str(target) in spans  # the name with a backtick, whole, in its code span
    # GitHub links bare addresses too (markdown-it here does not): they are written so it cannot.
    assert "\\[l\\](javascript:alert(1))" in text and "https\\://evil.example" in text and "www\\.evil.example" in text


def test_a_metrics_csv_with_a_million_columns_is_refused_by_name(tmp_path):
    header = "minute,errors,total," + ",".join(f"c{i}" for i in range(1_000_000))
    data = (header + "\n2019-07-03T12:00Z,5,100" + ",0" * 1_000_000 + "\n").encode()
    folder, target = folder_with(tmp_path, "wide.csv", data)
    result, doc = build(folder)
    assert f"outagetl: {target}:1: CSV header has 1000003 columns, over the 10000-column limit (--max-csv-columns)" \
        in result.stderr.splitlines()
    assert len(good_events(doc)) == GOOD_EVENTS


def test_log_evidence_never_decides_the_incident_window_alone(tmp_path):
    """A one-source story whose two times are five days apart (two runs, one claim each), and a log
    whose errors sit at both: the window is the one the story alone gives, the log or not."""
    story = b"Notes\n\nThe outage began at 12:00 UTC on July 3, 2019.\n\nIt was resolved at 12:00 UTC on July 8, 2019.\n"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_bytes(story)
    alone = build(folder)[1]["window"]
    lines = ["2019-07-03T12:00:00Z ERROR upload failed"]
    lines += [f"2019-07-08T{h:02d}:{m:02d}:00Z {'ERROR upload failed' if 11 <= h < 12 else 'INFO ok'}"
              for h in range(6, 18) for m in range(0, 60, 2)]
    (folder / "edge.log").write_text("\n".join(lines) + "\n")
    with_log = build(folder)[1]
    assert with_log["window"] == alone == {"start": "2019-07-03T00:00:00Z", "end": "2019-07-04T00:00:00Z"}
    assert [e["time"] for e in with_log["events"] if e["sources"][0]["source"].endswith("story.txt")] == \
        ["2019-07-03T12:00:00Z"]


FAR_YEARS = ("Outage\n\nThe outage began on June 8, 2102 at 15:17 UTC, the company said.\n\n"
             "In the year 0001 the service did not exist. On 9999-12-31 at 23:00 UTC it ended.\n")


def test_a_far_off_year_is_never_rewritten_and_is_left_out_with_its_reason(tmp_path):
    """'June 8, 2102' was once silently given the publication year; years 0001 and 9999 too. Beside
    a story of 2019 they are read as written and left out as outside the incident window."""
    folder, target = folder_with(tmp_path, "far.txt", FAR_YEARS.encode())
    result, doc = build(folder)
    assert len(good_events(doc)) == GOOD_EVENTS
    assert not [e for e in doc["events"] if e["sources"][0]["source"] == str(target)]
    (source,) = [s for s in doc["sources"] if s["path"] == str(target)]
    left_out = {s["what"]: s["reason"] for s in source["skipped"]}
    window = doc["window"]
    within = f"outside the incident window ({window['start'][:16]}Z – {window['end'][:16]}Z)"
    assert left_out == {"'June 8, 2102 at 15:17 UTC'": within, "'9999-12-31 at 23:00 UTC'": within}


def _status_page(incidents: int, body_of) -> str:
    """A status page's incidents.json: one resolved incident a day, its first update's text from ``body_of``."""
    def incident(k):
        day = f"2024-03-{k:02d}"
        updates = [{"id": f"u{k}b", "status": "resolved", "body": "This incident has been resolved.",
                    "incident_id": f"i{k}", "created_at": f"{day}T11:00:00Z", "display_at": f"{day}T11:00:00Z"},
                   {"id": f"u{k}a", "status": "investigating", "body": body_of(k), "incident_id": f"i{k}",
                    "created_at": f"{day}T10:00:00Z", "display_at": f"{day}T10:00:00Z"}]
        return {"id": f"i{k}", "name": f"Login errors {k}", "status": "resolved", "created_at": f"{day}T10:00:00Z",
                "resolved_at": f"{day}T11:00:00Z", "impact": "minor", "shortlink": f"https://s.example/i{k}",
                "incident_updates": updates}
    page = {"page": {"id": "p", "name": "Example", "time_zone": "Etc/UTC"},
            "incidents": [incident(k) for k in range(1, incidents + 1)]}
    return json.dumps(page, indent=2, ensure_ascii=False)


def test_a_status_page_names_its_invisible_characters_and_reads_the_file_for_them_once(tmp_path, monkeypatch):
    """Each incident of a status page is a doc of its own; the invisible characters are looked
    for in the file once, not once per incident (1,000 incidents: 6 s)."""
    from outagetl.sources import registry

    text = _status_page(20, lambda k: "Logins fail for some\u200b users; see admin\u202etxt.exe." if k == 7
                        else "We are investigating login errors.")
    line = next(n for n, ln in enumerate(text.split("\n"), 1) if "\u200b" in ln)
    (tmp_path / "incidents.json").write_text(text, encoding="utf-8")
    searches = []

    class Counting:
        def findall(self, text):
            searches.append(len(text))
            return INVISIBLE.findall(text)

        def search(self, text):
            return INVISIBLE.search(text)

    INVISIBLE = registry.INVISIBLE
    monkeypatch.setattr(registry, "INVISIBLE", Counting())
    _, doc = build(tmp_path)
    (seventh,) = [s for s in doc["sources"] if s["path"].endswith("#i7")]
    assert {"what": "2 invisible or control characters",
            "reason": "U+200B, U+202E: shown as <U+XXXX> in every text output, never passed to a terminal",
            "line": line} in seventh["skipped"]
    assert len(searches) == 1
