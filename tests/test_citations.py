"""Citations a reader can follow: who posted it, the post id and its address in every format; each
time explained in the zone it was written in; quotes inline for editors that drop footnotes; explain
as data, naming the near-identical events of other kinds."""
import csv
import io
import json

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from outagetl.cli import main

from conftest import ROOT

LARKSPUR = ROOT / "tests" / "data" / "mixed-larkspur"
DANA = ("@dana_writes", "1346121000000000001", "https://twitter.com/dana_writes/status/1346121000000000001")


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def doc():
    return json.loads(run("build", str(LARKSPUR), "--format", "json").stdout)


def _cites(doc, source):
    return [c for e in doc["events"] for c in e["sources"] if c["source"].endswith(source)]


def test_json_citations_carry_author_post_id_and_url(doc):
    tweets = {(c["author"], c["post_id"], c["url"]) for c in _cites(doc, "tweets.json")}
    assert DANA in tweets
    assert ("@larkspurstatus", "1346150000000000004",
            "https://twitter.com/larkspurstatus/status/1346150000000000004") in tweets
    toots = {(c["author"], c["post_id"], c["url"]) for c in _cites(doc, "mastodon.json")}
    assert toots == {("@tanaka@social.example", "105499000000000011", "https://social.example/@tanaka/105499000000000011"),
                     ("@kaiwolf@mastodon.example", "105499000000000012",
                      "https://mastodon.example/@kaiwolf/105499000000000012")}
    # A story has no author handle or address: the keys are simply absent, as before.
    assert all("author" not in c for c in _cites(doc, "wire-story.txt"))


def test_markdown_html_and_csv_carry_them_too():
    md = run("build", str(LARKSPUR), "--format", "markdown").stdout
    assert f"(public, line 4; {DANA[0]}, post {DANA[1]}, <{DANA[2]}>)" in md
    html = run("build", str(LARKSPUR), "--format", "html").stdout
    assert (f'<dt>Posted by</dt><dd>{DANA[0]}, post {DANA[1]}, <a href="{DANA[2]}" rel="noopener noreferrer nofollow">'
            f"{DANA[2]}</a></dd>") in html
    rows = list(csv.DictReader(io.StringIO(run("build", str(LARKSPUR), "--format", "csv").stdout)))
    dana = [r for r in rows if r["url"] == DANA[2]]
    # The CSV neutralises a leading @ (a spreadsheet formula start), as every cell.
    assert dana and {(r["author"], r["post_id"]) for r in dana} == {("'" + DANA[0], DANA[1])}


def test_an_address_that_is_not_plain_http_is_never_a_link(tmp_path):
    (tmp_path / "tweets.csv").write_text(
        "created_at,text,username,url\n"
        "2021-01-04T15:03:00Z,Larkspur Mail is down again since 14:52 UTC,bob,javascript:alert(1)\n")
    doc = json.loads(run("build", str(tmp_path), "--format", "json").stdout)
    cites = [c for e in doc["events"] for c in e["sources"]]
    assert cites and all(c["url"] is None and c["author"] == "@bob" for c in cites)
    html = run("build", str(tmp_path), "--format", "html").stdout
    assert "javascript:" not in html


def test_a_status_stamp_is_explained_in_its_written_zone(doc):
    (investigating,) = [c for c in _cites(doc, "status-history.txt") if c["local_text"] == "Jan 04, 2021 - 07:14 PST"]
    assert investigating["local"] == "2021-01-04 07:14 PST"
    assert investigating["zone"] == "America/Los_Angeles" and investigating["zone_rule"] == "explicit:timestamp"
    assert investigating["time"] == "2021-01-04T15:14:00Z"
    (source,) = [s for s in doc["sources"] if s["path"].endswith("status-history.txt")]
    assert (source["zone"], source["zone_rule"]) == ("America/Los_Angeles", "inferred:zone-in-source")
    explained = run("explain", "E9", str(LARKSPUR)).stdout
    assert "read as 2021-01-04 07:14 PST\n  zone:       America/Los_Angeles, rule explicit:timestamp" in explained
    assert "UTC (assumed)" not in explained


def test_a_log_without_a_zone_says_utc_assumed(doc):
    (log,) = [s for s in doc["sources"] if s["path"].endswith("relay-syslog.log")]
    assert (log["zone"], log["zone_rule"]) == ("UTC", "assumed")
    md = run("build", str(LARKSPUR), "--format", "markdown").stdout
    html = run("build", str(LARKSPUR), "--format", "html").stdout
    line = "relay-syslog.log` (log, system): zone UTC (assumed: nothing says; UTC assumed);"
    assert line in md
    assert "relay-syslog.log</code> (log, system): zone UTC (assumed: nothing says; UTC assumed);" in html
    for text in (md, html):
        assert "zone None" not in text and "(None: )" not in text and "zone  (" not in text


def test_markdown_inline_citations_put_the_quotes_in_the_rows():
    text = run("build", str(LARKSPUR), "--format", "markdown", "--citations", "inline").stdout
    assert "[^" not in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert rows
    e8 = text.split("\n| E9 `", 1)[1].split("\n", 1)[0]  # the timeline row: the id, then its key
    assert "[9] status-history.txt: “Investigating: We are investigating reports of users unable to send mail.”" in e8
    assert " · [10] tweets.json: “We're aware that some users can't send email" in e8
    citations = text.split("### Citations\n\n", 1)[1].splitlines()
    assert citations[8].startswith(f"9. `{LARKSPUR / 'status-history.txt'}` (official, line 16): read “Jan 04, 2021 - 07:14 PST”")
    doc = json.loads(run("build", str(LARKSPUR), "--format", "json").stdout)
    assert len(citations) == sum(len(e["sources"]) for e in doc["events"])
    # The lists that pointed at footnotes point at the numbered citations.
    assert "- E21 (citation 24): zone-assumed:UTC" in text


def test_explain_names_a_near_identical_event_of_another_kind(tmp_path):
    """The status page's investigating update and the company's tweet ten minutes later in the same
    words: an acknowledgement and an update, two events; explain says so."""
    (tmp_path / "status.txt").write_text(
        "Larkspur Mail Status\n\nInvestigating\nSome users cannot send email from the web app right now.\n"
        "Posted Jan 04, 2021 - 07:14 PST\n")
    (tmp_path / "tweets.json").write_text(json.dumps({
        "data": [{"id": "1346122000000000002", "author_id": "501", "created_at": "2021-01-04T15:23:30.000Z",
                  "text": "Some users cannot send email from the web app right now."}],
        "includes": {"users": [{"id": "501", "name": "Larkspur Status", "username": "larkspurstatus"}]}}))
    text = run("explain", "E1", str(tmp_path)).stdout
    assert text.startswith("E1 (") and text.splitlines()[0].endswith("): acknowledged at 2021-01-04 15:14 UTC (minute)")
    assert ("Near-identical events of other kinds (much the same words, close in time):\n"
            f"  - E2 update at 2021-01-04 15:23 UTC ({tmp_path / 'tweets.json'}): words match 100%; kept apart: "
            "time gap of 10 min between their intervals, beyond the 5-min tolerance\n") in text
    data = json.loads(run("explain", "E1", str(tmp_path), "--format", "json").stdout)
    assert data["schema"] == "outagetl/explain@1"
    assert data["event"]["id"] == "E1" and data["event"]["kind"] == "acknowledged"
    assert [(s["id"], s["kind"], s["minutes_apart"], s["match"], s["same_unit"]) for s in data["similar_other_kinds"]] \
        == [("E2", "update", 10, 100, False)]
    assert data["kept_apart"] == []
    assert data["citations"][0]["local"] == "2021-01-04 07:14 PST"
    assert data["citations"][0]["zone_rule_text"] == "the source's own machine timestamp carries its offset"


def test_explain_json_is_only_json_and_has_every_citation():
    result = run("explain", "E9", str(LARKSPUR), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [c["source"].rsplit("/", 1)[-1] for c in data["citations"]] == [
        "status-history.txt", "tweets.json", "uk-story.html", "wire-story.txt"]
    assert data["citations"][1]["author"] == "@larkspurstatus" and data["citations"][1]["post_id"] == "1346122000000000002"
    assert data["conflicts"] == [{"id": "C2", "kind": "acknowledged", "events": ["E9", "E13"], "spread_minutes": 26,
                                  "official": "E9"}]
    assert data["kept_apart"][0]["id"] == "E13" and "beyond the 5-min tolerance" in data["kept_apart"][0]["why"]
