"""Coverage corpus: realistic (paraphrased, hand-written) coverage of well-known public outages.

Each folder under tests/data/coverage/ holds 1-3 sources and an ``expected.json`` written by hand from
those texts (not from outagetl's output):

- ``events``: the events a postmortem writer would want. ``kind`` is a kind or a list of acceptable
  kinds; ``time`` is the UTC instant the text states. A ``precision: minute`` expectation without
  ``by`` needs an event of that kind whose ``time`` is within 1 minute; otherwise (approximate,
  part-of-day, or a "by 11 a.m." bound) the expected instant may instead lie within the event's
  [earliest, latest]. ``min_sources`` asks for that many citations on the event (a story quoting or
  paraphrasing a post joins the post's event).
- ``forbidden``: ``year`` / ``month`` (no event time starting with it), ``before`` / ``after`` (no
  event interval wholly outside), ``at`` (no event within 1 minute of these instants: bylines and
  datelines), ``kind`` + ``not_within`` (no event of that kind whose interval misses the window),
  ``kind`` alone (no event of that kind at all).
- ``conflicts``: conflicts that must be present (kind and spread range); ``no_conflicts``: milestone
  kinds that must not be in conflict.

outagetl is run on a copy of the folder without ``expected.json``. A case outagetl gets wrong is
kept and marked xfail(strict=True) with what is wrong; expectations are never bent to the output.
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from outagetl.cli import main

ROOT = Path(__file__).parent / "data" / "coverage"
CASES = sorted(p.name for p in ROOT.iterdir() if (p / "expected.json").is_file())

# (folder, check) -> reason; each one is a confirmed outagetl error (see the report in the PR).
XFAIL: dict[tuple[str, str], str] = {
    # (folder, check) -> what is wrong; each stays a strict xfail until fixed. Empty: all pass.
}


def _t(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def _expected(name: str) -> dict:
    return json.loads((ROOT / name / "expected.json").read_text(encoding="utf-8"))


_CACHE: dict[str, dict] = {}


def _timeline(name: str, tmp_path_factory) -> dict:
    if name not in _CACHE:
        work = tmp_path_factory.mktemp(name)
        for f in (ROOT / name).iterdir():
            if f.name != "expected.json":
                shutil.copy(f, work / f.name)
        result = CliRunner().invoke(main, ["build", str(work), "--format", "json"])
        assert result.exit_code == 0, result.output
        _CACHE[name] = json.loads(result.stdout)
    return _CACHE[name]


def _kinds(spec) -> list[str]:
    return spec if isinstance(spec, list) else [spec]


def _matches(event: dict, exp: dict) -> bool:
    if event["kind"] not in _kinds(exp["kind"]):
        return False
    want = _t(exp["time"])
    if abs(_t(event["time"]) - want) <= timedelta(minutes=1):
        ok = True
    elif exp.get("precision", "minute") != "minute" or exp.get("by"):
        ok = _t(event["earliest"]) <= want <= _t(event["latest"])
    else:
        ok = False
    return ok and len(event["sources"]) >= exp.get("min_sources", 1)


def _describe(events: list[dict]) -> str:
    return "\n".join(f"  {e['id']} {e['kind']} {e['time']} [{e['earliest']}..{e['latest']}] {e['precision']} "
                     f"{e['zone']} {e['zone_rule']} ({len(e['sources'])} src): {e['sources'][0]['local_text']!r}"
                     for e in events)


def _forbidden_hit(e: dict, rule: dict) -> bool:
    t, lo, hi = _t(e["time"]), _t(e["earliest"]), _t(e["latest"])
    if "year" in rule:
        return e["time"].startswith(rule["year"])
    if "month" in rule:
        return e["time"].startswith(rule["month"])
    if "before" in rule:
        return hi < _t(rule["before"])
    if "after" in rule:
        return lo > _t(rule["after"])
    if "at" in rule:
        return any(abs(t - _t(a)) <= timedelta(minutes=1) for a in rule["at"])
    if e["kind"] != rule["kind"]:
        return False
    window = rule.get("not_within")
    # an interval (approximate, part-of-day, day) is wrong only if it misses the window entirely
    return window is None or hi < _t(window[0]) or lo > _t(window[1])


def _params():
    for name in CASES:
        exp = _expected(name)
        checks = [f"event{i}" for i, e in enumerate(exp["events"]) if e.get("required")]
        checks += [f"forbidden{i}" for i in range(len(exp.get("forbidden", [])))]
        checks += [f"conflict{i}" for i in range(len(exp.get("conflicts", [])))]
        checks += [f"noconflict:{k}" for k in exp.get("no_conflicts", [])]
        for check in checks:
            marks = ()
            if (name, check) in XFAIL:
                marks = (pytest.mark.xfail(strict=True, reason=XFAIL[(name, check)]),)
            yield pytest.param(name, check, id=f"{name}-{check}", marks=marks)


@pytest.mark.parametrize("name,check", list(_params()))
def test_coverage(name, check, tmp_path_factory):
    exp = _expected(name)
    timeline = _timeline(name, tmp_path_factory)
    events = timeline["events"]
    if check.startswith("event"):
        want = exp["events"][int(check[5:])]
        assert any(_matches(e, want) for e in events), (
            f"missing {want['kind']} at {want['time']} ({want['from']}); got:\n{_describe(events)}")
    elif check.startswith("forbidden"):
        rule = exp["forbidden"][int(check[9:])]
        bad = [e for e in events if _forbidden_hit(e, rule)]
        assert not bad, f"forbidden ({rule['why']}):\n{_describe(bad)}"
    elif check.startswith("conflict"):
        want = exp["conflicts"][int(check[8:])]
        found = [c for c in timeline["conflicts"] if c["kind"] == want["kind"]]
        assert any(want["min_spread"] <= c["spread_minutes"] <= want["max_spread"] for c in found), (
            f"expected a {want['kind']} conflict ({want['why']}); got {timeline['conflicts']}")
    else:
        kind = check.split(":", 1)[1]
        found = [c for c in timeline["conflicts"] if c["kind"] == kind]
        by_id = {e["id"]: e for e in events}
        assert not found, "unexpected conflict(s):\n" + "\n".join(
            f"{c['id']} spread {c['spread_minutes']}:\n{_describe([by_id[i] for i in c['events']])}" for c in found)
