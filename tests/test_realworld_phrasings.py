"""Phrasings as public postmortems and status updates write them (paraphrased here), each
expected timeline computed by hand."""
import json

from click.testing import CliRunner

from outagetl.cli import main

CLOUDFLARE_STYLE = """# Details of the outage on July 2, 2019

Starting at 1342 UTC today we experienced a global outage across our network that resulted in visitors being shown 502 errors.

At 1402 UTC we understood what was happening and decided to issue a 'global kill' on the rulesets.

## Timeline

- 13:42 The engineer deploys the new rule.
- 13:45 First PagerDuty page for global outage.
- 14:07 Global kill of the rulesets.
- 14:09 Traffic and CPU levels return to normal.
"""

S3_STYLE = """We'd like to give you some information about the service disruption on the morning of February 28th.
At 9:37AM PST, an authorized team member executed a command which was intended to remove a small number of servers.
The index subsystem was fully recovered by 1:18PM PST. The placement subsystem completed its recovery at 1:54PM PST.
"""

SLACK_STYLE = """date 2021-01-05
Starting around 7:00 AM PST on January 4th, 2021, some customers may have experienced issues loading channels. We're aware of the issue and investigating as of 7:14 AM PST. Service was fully restored at 10:40 a.m. PST.
"""


def events(tmp_path, name, text, *args):
    (tmp_path / name).write_text(text)
    result = CliRunner().invoke(main, ["build", str(tmp_path / name), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [(e["kind"], e["time"], e["precision"]) for e in json.loads(result.stdout)["events"]]


def test_postmortem_with_a_timeline_list(tmp_path):
    # times are UTC (written "UTC" in the prose; the list inherits the zone written elsewhere in the source)
    got = events(tmp_path, "cf.md", CLOUDFLARE_STYLE)
    assert ("start", "2019-07-02T13:42:00Z", "minute") in got
    assert ("update", "2019-07-02T13:42:00Z", "minute") in got            # the deploy line
    assert ("detected", "2019-07-02T13:45:00Z", "minute") in got
    assert ("mitigated", "2019-07-02T14:02:00Z", "minute") in got
    assert ("mitigated", "2019-07-02T14:07:00Z", "minute") in got         # not merged with 14:02
    assert ("resolved", "2019-07-02T14:09:00Z", "minute") in got
    assert len(got) == 6


def test_a_report_without_year_needs_year_and_reads_pst(tmp_path):
    # February 28, 2017 is in PST (UTC-8): 9:37 → 17:37Z; "by 1:18PM" → 20:18–21:18Z; 1:54PM → 21:54Z;
    # "the morning of February 28th" → 06:00–12:00 PST = 14:00–20:00Z
    (tmp_path / "s3.txt").write_text(S3_STYLE)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "s3.txt"), "--format", "json"])
    skipped = [s["reason"] for s in json.loads(result.stdout)["sources"][0]["skipped"]]
    assert all("--year" in r for r in skipped) and len(skipped) == 4
    got = events(tmp_path, "s3.txt", S3_STYLE, "--year", "2017")
    assert got == [
        ("start", "2017-02-28T17:00:00Z", "part-of-day"),
        ("other", "2017-02-28T17:37:00Z", "minute"),
        ("resolved", "2017-02-28T21:18:00Z", "approximate"),
        ("resolved", "2017-02-28T21:54:00Z", "minute"),
    ]


def test_status_style_note_with_dateline(tmp_path):
    # January 4, 2021 is PST (UTC-8): ~7:00 → 15:00Z ±15; 7:14 → 15:14Z; 10:40 → 18:40Z
    got = events(tmp_path, "slack.txt", SLACK_STYLE)
    assert got == [
        ("start", "2021-01-04T15:00:00Z", "approximate"),
        ("acknowledged", "2021-01-04T15:14:00Z", "minute"),
        ("resolved", "2021-01-04T18:40:00Z", "minute"),
    ]
