"""Status pages, posts and logs together: the primary source wins, and no file needs a label."""
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from outagetl.cli import main

from conftest import EXAMPLE, ROOT

STATUS = ROOT / "data" / "examples" / "statuspage-fictitious"
DATA = ROOT / "tests" / "data"


def build(*args):
    result = CliRunner().invoke(main, ["build", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_statuspage_example_by_hand():
    # incidents.json (fictitious), updates at -07:00 (PDT), so UTC = local + 7 h:
    # started_at 08:12 PDT = 15:12Z; investigating 08:31:12 = 15:31:12Z; identified 08:57:03 and 09:19:40;
    # monitoring 09:48:51 ("rollback finished at 09:41 PT" = 16:41Z); resolved 10:26:05 = 17:26:05Z
    # ("Between 08:12 and 09:41 PT" = 15:12Z–16:41Z); the postmortem two days later, 2024-07-19 14:02:37 PDT.
    data = build(STATUS)
    got = [(e["kind"], e["time"]) for e in data["events"]]
    assert got == [
        ("start", "2024-07-17T15:12:00Z"),
        ("acknowledged", "2024-07-17T15:31:12Z"),
        ("update", "2024-07-17T15:57:03Z"),
        ("update", "2024-07-17T16:19:40Z"),
        # the end of "Between 08:12 and 09:41 PT some customers saw failed publish requests" is when
        # the impact ended, an update; the resolution is the update that says so (17:26:05Z)
        ("update", "2024-07-17T16:41:00Z"),
        ("mitigated", "2024-07-17T16:41:00Z"),
        ("mitigated", "2024-07-17T16:48:51Z"),
        ("resolved", "2024-07-17T17:26:05Z"),
        ("update", "2024-07-19T21:02:37Z"),  # the postmortem, 14:02:37 PDT two days later
    ]
    start = data["events"][0]
    # the start is said four times: started_at, "since 08:12 PT", "began at 15:12 UTC", "Between 08:12 and ..."
    assert sorted(s["local_text"] for s in start["sources"]) == sorted(
        ["2024-07-17T08:12:00.000-07:00", "since 08:12 PT", "15:12 UTC", "08:12"])
    assert start["sources"][0]["zone_rule"] == "explicit:timestamp"
    assert all(s["role"] == "official" for e in data["events"] for s in e["sources"])
    assert data["conflicts"] == []
    assert data["metrics"]["time_to_acknowledge"]["minutes"] == 19
    assert data["metrics"]["duration"]["minutes"] == 134
    assert data["events"][-1]["sources"][0]["local_text"] == "2024-07-19T14:02:37.118-07:00"


def test_a_folder_mixing_every_type_needs_no_labels(tmp_path):
    picks = {
        "story.txt": EXAMPLE / "000_218ec5be4a413192.txt",
        "tweets.dat": DATA / "posts" / "twitter-v11.json",
        "status.txt": STATUS / "incidents.json",
        "feed.xml": DATA / "status" / "history.rss",
        "toots.json": DATA / "posts" / "mastodon-statuses.json",
        "app.log": DATA / "logs" / "api-app.jsonl",
        "export.csv": DATA / "posts" / "tweets.csv",
    }
    for name, src in picks.items():
        shutil.copy(src, tmp_path / name)
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    types = {Path(s["path"]).name: s["type"] for s in data["sources"]}
    assert types == {"story.txt": "article", "tweets.dat": "post", "status.txt": "status", "feed.xml": "status",
                     "toots.json": "post", "app.log": "log", "export.csv": "post"}
    assert data["events"]


def test_csv_posts_without_offsets_are_read_in_the_pinned_zone(tmp_path):
    (tmp_path / "posts.csv").write_text(
        "created_at,text,username\n"
        "2019-07-03 09:18,We are aware some people cannot upload photos.,facebook\n"
        "2019-07-03 19:09,Services are restored for everyone.,facebook\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json", "--source-tz", "posts.csv=America/New_York"])
    data = json.loads(result.stdout)
    # 09:18 EDT = 13:18Z, 19:09 EDT = 23:09Z; the zone is the pinned one, and the rule says so
    assert [(e["kind"], e["time"], e["zone_rule"]) for e in data["events"]] == [
        ("acknowledged", "2019-07-03T13:18:00Z", "pinned:--source-tz"),
        ("resolved", "2019-07-03T23:09:00Z", "pinned:--source-tz")]
