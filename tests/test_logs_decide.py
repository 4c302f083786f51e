"""The prefix that decides a line (``logs.decide``) accepts exactly the lines the format regex
accepts, and the block scan for change words (``logs.scan``) lets through every line that holds one."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.logs.changes import change_prefilter, change_table
from outagetl.logs.decide import decision
from outagetl.logs.formats import formats


def test_the_message_is_cut_off_where_it_no_longer_matters():
    assert decision(r"^(?P<t>\d+) (?P<host>[^\s\[\]]+) (?:(?P<proc>[^\s:]+): ?)?(?P<body>.*)$") == \
        r"^(?P<t>\d+) (?P<host>[^\s\[\]]+) "
    # an optional message after a level: "a space, or the end" decides it
    assert decision(r"^(?P<t>\d+)\s+(?P<level>INFO|WARN)\]?(?:\s+(?P<body>.*))?$") == \
        r"^(?P<t>\d+)\s+(?P<level>(?:INFO|WARN))\]?(?:\s{1}|$)"
    # a group to keep is left whole: the cut stops before it
    assert decision(r"^(?P<t>\d+) (?P<level>[A-Z]+) ?(?P<body>.*)$", frozenset({"level"})) == \
        r"^(?P<t>\d+) (?P<level>[A-Z]+)"
    assert decision(r"^(?P<t>\d+) (?P<level>[A-Z]+) ?(?P<body>.*)$") == r"^(?P<t>\d+) (?P<level>[A-Z]{1})"


def test_what_the_rewrite_does_not_know_stays_as_written():
    for pattern in (r"^(?P<a>x)(?P=a)$", r"(?m)^x.*$", r"^(?>ab|a)c.*$", r"^a+b$"):
        assert decision(pattern) == pattern


PIECES = ["2019-07-03T13:18:00.123Z", "Jul  3 13:18:00", "03/Jul/2019:13:18:00 +0000", "ERROR", "info", "WARN",
          " ", "  ", "\t", "[", "]", ":", "-", '"', "\\", "host-1", "app[12]:", "E", "1", "503", "GET /a", "x" * 5,
          "<14>1 ", "2019-07-03 13:18:00,123", "190703 131800", "07-03 13:18:00.123", "[Wed Jul 03 13:18:00 2019]",
          "[error]", "- ", "[main]", "1562159880 ", "RAS KERNEL INFO "]


@pytest.mark.parametrize("fmt", formats(), ids=lambda f: f.name)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_prefix_match_of_the_decision_is_a_match_of_the_format(fmt, data):
    keep = frozenset({"timestamp", fmt.level_field})
    cut, kept = re.compile(decision(fmt.regex.pattern)), re.compile(decision(fmt.regex.pattern, keep))
    sample = data.draw(st.sampled_from(fmt.samples))
    at = data.draw(st.integers(0, len(sample)))
    cut_at = data.draw(st.integers(at, len(sample)))
    middle = "".join(data.draw(st.lists(st.sampled_from(PIECES), max_size=4)))
    for line in (sample[:at] + middle + sample[cut_at:], middle + sample[at:], sample[:at] + middle):
        full = fmt.regex.match(line)
        assert bool(cut.match(line)) == bool(full), (fmt.name, line)
        m = kept.match(line)
        assert bool(m) == bool(full), (fmt.name, line)
        if m:
            for name in keep & set(fmt.regex.groupindex):
                assert m.group(name) == full.group(name), (fmt.name, name, line)


def test_the_block_scan_lets_through_every_line_with_a_change_word(monkeypatch):
    from outagetl.logs import scan
    from outagetl.logs.arrow import strings
    from outagetl.logs.scan import may_hold

    pytest.importorskip("hyperscan")
    monkeypatch.setattr(scan, "FEW_LINES", 0)  # Hyperscan even for these few lines
    lines = ["request ok"] * 50 + ["Rolled   BACK release 7", "deploy finished", "x reboot", "ROLLOUT",
                                   "config\tpush done", "nothing here"] + ["ok"] * 50
    hits = may_hold(strings(lines), change_prefilter())
    for line, hit in zip(lines, hits, strict=True):
        if change_table()[0].search(line):
            assert hit, line
    assert not hits[:50].any() and not hits[-50:].any()
    assert hits[50:55].all()


def test_a_batch_full_of_matches_is_decided_line_by_line(monkeypatch):
    from outagetl.logs import scan
    from outagetl.logs.arrow import strings
    from outagetl.logs.scan import may_hold

    monkeypatch.setattr(scan, "FEW_LINES", 0)
    lines = ["restart restart restart"] * 300 + ["ok"] * 10
    hits = may_hold(strings(lines), change_prefilter())
    assert hits[:300].all() and not hits[300:].any()


def test_a_few_lines_are_tested_by_re2_without_building_the_scanner():
    from outagetl.logs import scan
    from outagetl.logs.arrow import strings

    pattern = change_prefilter() + "|(?:never-built-before)"
    lines = ["deploy finished", "request ok", "NEVER-BUILT-BEFORE here"]
    assert scan.may_hold(strings(lines), pattern).tolist() == [True, False, True]
    assert pattern not in scan._built
