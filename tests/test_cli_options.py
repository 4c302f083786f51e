"""The small things users reach for: --version, - for stdin, --kinds/--role, --title, the window's
order, and a source from another incident named plainly."""
import json
import shutil
from importlib.metadata import version

from click.testing import CliRunner

import outagetl
from outagetl.cli import main

from conftest import EXAMPLE, ROOT

LARKSPUR = ROOT / "tests" / "data" / "mixed-larkspur"
STATUS = ROOT / "data" / "examples" / "statuspage-fictitious" / "incidents.json"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_version_is_the_installed_one():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"outagetl, version {version('outagetl')}\n"
    assert version("outagetl") == outagetl.__version__


def test_dash_reads_one_source_from_stdin():
    result = run("build", "-", "--format", "json", input=STATUS.read_bytes())
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["path"] for s in doc["sources"]] == ["<stdin>"]
    assert [s["type"] for s in doc["sources"]] == ["status"]
    # The fictitious page's started_at, 08:12 PT on 17 July 2024 (PDT, UTC-7).
    assert doc["events"][0]["kind"] == "start" and doc["events"][0]["time"] == "2024-07-17T15:12:00Z"


def test_stdin_beside_a_folder_and_its_zone_pinned_by_name(tmp_path):
    story = b"date 2019-07-03\n\nInstagram stopped loading photos at 15:30, users in Milan said.\n"
    result = run("build", str(EXAMPLE), "-", "--source-tz", "<stdin>=Europe/Rome", "--format", "json", input=story)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert "<stdin>" in [s["path"] for s in doc["sources"]]
    cited = [c for e in doc["events"] for c in e["sources"] if c["source"] == "<stdin>"]
    assert [(c["local_text"], c["time"], c["zone_rule"]) for c in cited] == [
        ("15:30", "2019-07-03T13:30:00Z", "pinned:--source-tz")]


def test_unreadable_stdin_is_one_line_and_exit_1():
    result = run("build", "-", input=b"")
    assert result.exit_code == 1
    assert "outagetl: <stdin>: file is empty" in result.stderr and "Traceback" not in result.output


def test_kinds_filter_keeps_ids_and_conflicts_of_those_kinds():
    whole = json.loads(run("build", str(EXAMPLE), "--format", "json").stdout)
    result = run("build", str(EXAMPLE), "--format", "json", "--kinds", "start,resolved")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {e["kind"] for e in doc["events"]} == {"start", "resolved"}
    wanted = [e["id"] for e in whole["events"] if e["kind"] in ("start", "resolved")]
    assert [e["id"] for e in doc["events"]] == wanted
    # The start (C1) and resolved (C3) conflicts are wholly made of start/resolved events: both kept;
    # the acknowledgement's (C2: "9:18 AM EST" taken as written) is not shown.
    assert [c["id"] for c in doc["conflicts"]] == ["C1", "C3"]
    assert doc["notes"][-1] == f"filtered: {len(wanted)} of {len(whole['events'])} events shown (kinds resolved, start)"


def test_role_filter_names_the_conflict_it_cannot_show_whole(tmp_path):
    result = run("build", str(LARKSPUR), "--format", "json", "--role", "official")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["events"] and all(any(c["role"] == "official" for c in e["sources"]) for e in doc["events"])
    # C2 (acknowledged) is E9 (status page, official) against E13 (calendar incident, official): both shown.
    assert [c["id"] for c in doc["conflicts"]] == ["C2"]
    notes = [n for n in doc["notes"] if n.startswith("filtered: conflict")]
    # C1 (start): the UK story E1 and others are press or public; C3 (resolved): the tweet E24 is public.
    assert [n.split(" is not shown")[0] for n in notes] == ["filtered: conflict C1 (start, 95 min)",
                                                           "filtered: conflict C3 (resolved, 28 min)"]
    assert notes[1].endswith("because E24 is filtered out")


def test_unknown_kind_or_role_is_a_usage_error():
    for option, value in (("--kinds", "start,finished"), ("--role", "journalist")):
        result = run("build", str(EXAMPLE), option, value)
        assert result.exit_code == 2
        assert repr(value.split(",")[-1]) in result.output and "choose from" in result.output


def test_since_after_until_is_a_usage_error():
    result = run("build", str(EXAMPLE), "--since", "2019-07-04T00:00Z", "--until", "2019-07-03T00:00Z")
    assert result.exit_code == 2
    assert "--since (2019-07-04T00:00Z) must be before --until (2019-07-03T00:00Z)" in result.output
    assert "Traceback" not in result.output
    assert run("explain", "E1", str(EXAMPLE), "--since", "2019-07-04", "--until", "2019-07-04").exit_code == 2


def test_title_heads_each_format():
    title = "Larkspur Mail, 4 January 2021"
    md = run("build", str(LARKSPUR), "--format", "markdown", "--title", title).stdout
    assert md.startswith(f"**{title}**\n\n")
    table = run("build", str(LARKSPUR), "--format", "table", "--title", title).stdout
    assert table.splitlines()[0].strip() == title
    tl = json.loads(run("build", str(LARKSPUR), "--format", "timelinejs", "--title", title).stdout)
    assert tl["title"]["text"]["headline"] == title
    html = run("build", str(LARKSPUR), "--format", "html", "--title", "<b>x</b> & y").stdout
    assert "<title>&lt;b&gt;x&lt;/b&gt; &amp; y</title>" in html and "<h1>&lt;b&gt;x&lt;/b&gt; &amp; y</h1>" in html


def test_a_source_from_another_incident_is_named_with_how_to_choose(tmp_path):
    folder = tmp_path / "two-outages"
    shutil.copytree(LARKSPUR, folder)
    # A story about the 2019 Facebook outage, saved into the Larkspur folder by mistake.
    shutil.copy(EXAMPLE / "000_218ec5be4a413192.txt", folder / "facebook-story.txt")
    result = run("build", str(folder), "--format", "markdown")
    assert result.exit_code == 0
    summary = result.stderr.splitlines()[-1]
    assert summary.endswith("; 1 source with none of its times inside the incident window, which may describe "
                            "another incident (facebook-story.txt): choose with --since/--until")
    story = str(folder / "facebook-story.txt")
    named = f"outagetl: {story}: none of its 3 times is inside the incident window"
    assert [line for line in result.stderr.splitlines() if line.startswith(named)]
    left_out = result.stdout.split("### Left out", 1)[1]
    assert left_out.lstrip().startswith(f"**{story}: none of its 3 times is inside the incident window (")
    assert "so it may describe another incident; to build that one instead, choose its window with --since/--until" \
        in left_out
    html = run("build", str(folder), "--format", "html").stdout
    assert "<h2>Left out</h2>\n<p class=\"flag wrap\"><b>" + story + ": none of its 3 times" in html
    # Choosing the other incident's window builds it instead, and the Larkspur sources are the ones left out.
    other = run("build", str(folder), "--format", "json", "--since", "2019-07-03T00:00Z", "--until", "2019-07-04T12:00Z")
    doc = json.loads(other.stdout)
    assert {c["source"] for e in doc["events"] for c in e["sources"]} == {story}
    assert "wire-story.txt" in other.stderr.splitlines()[-1]


def test_a_source_whose_times_are_all_inside_is_not_named():
    result = run("build", str(LARKSPUR), "--format", "markdown")
    assert "none of its" not in result.output
    assert result.stderr.splitlines()[-1].endswith("(see the sources section)")
