"""The cache of compiled patterns and parsed tables: a pattern read back from it is the pattern
``re`` compiles, a table is what ``tomllib`` reads, and a missing, damaged or unwritable cache
only means compiling or parsing again. Each run is a fresh interpreter (the cache is read once
per process and written at its exit)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

PATTERN = r"(?<![\d:])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)\s?(?P<zone>UTC|GMT|[A-Z]{3})?"

_CHILD = r"""
import json, re, sys
from outagetl import kept
if sys.argv[2] == "cached-only":
    def refuse(*args):
        raise AssertionError("compiled again")
    kept._program = refuse
p = kept.compile(sys.argv[1], re.I)
m = p.search("the fix came at 9:05 utc, after 14:02")
print(json.dumps({"same": p == re.compile(sys.argv[1], re.I), "groups": m.groupdict() if m else None,
                  "from_cache": (sys.argv[1], int(re.I)) in kept._used and sys.argv[2] == "cached-only"}))
"""


def run(folder, mode="compile"):
    env = dict(os.environ, OUTAGETL_CACHE=str(folder))
    done = subprocess.run([sys.executable, "-c", _CHILD, PATTERN, mode], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


EXPECTED = {"hour": "9", "minute": "05", "zone": "utc"}


def test_a_pattern_read_back_from_the_cache_is_the_one_re_compiles(tmp_path):
    first = run(tmp_path)
    assert first == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert len(list(tmp_path.glob("kept-*.marshal"))) == 1
    # the next run does not compile it: the program comes from the file
    assert run(tmp_path, "cached-only") == {"same": True, "groups": EXPECTED, "from_cache": True}


def test_a_damaged_cache_is_compiled_again_and_rewritten(tmp_path):
    run(tmp_path)
    (cache,) = tmp_path.glob("kept-*.marshal")
    cache.write_bytes(b"\x00not a cache" * 50)
    assert run(tmp_path) == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert run(tmp_path, "cached-only")["from_cache"] is True


def test_an_unwritable_cache_folder_only_means_compiling(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    assert run(blocker / "cache") == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert blocker.read_text() == "a file where the folder would be"


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # where the default folder would be
    assert run("off") == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert list(tmp_path.iterdir()) == []


_TOML_CHILD = r"""
import json, sys
from outagetl import kept
if sys.argv[2] == "cached-only":
    def refuse(*args):
        raise AssertionError("parsed again")
    import tomllib
    tomllib.loads = refuse
raw = sys.argv[1].encode()
try:
    data = kept.toml(raw)
except AssertionError:
    print(json.dumps("parsed again"))
else:
    data["words"].append("changed")  # the caller's own copy
    again = kept.toml(raw)
    print(json.dumps({"data": again, "order": list(again["milestones"])}, default=str))
"""


def run_toml(folder, text, mode="parse"):
    env = dict(os.environ, OUTAGETL_CACHE=str(folder))
    done = subprocess.run([sys.executable, "-c", _TOML_CHILD, text, mode], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


TABLE = 'words = ["restored", "back up"]\n[milestones]\nstart = ["began"]\nresolved = ["fixed"]\n[clock]\nhalf = 0.5\n'


def test_a_table_read_back_from_the_cache_is_what_tomllib_reads_in_its_order(tmp_path):
    want = {"data": {"words": ["restored", "back up"], "milestones": {"start": ["began"], "resolved": ["fixed"]},
                     "clock": {"half": 0.5}}, "order": ["start", "resolved"]}
    assert run_toml(tmp_path, TABLE) == want
    assert run_toml(tmp_path, TABLE, "cached-only") == want
    # another file (one word more) is another key: parsed, never the old table
    assert run_toml(tmp_path, TABLE.replace('"fixed"', '"fixed", "up"'), "cached-only") == "parsed again"


def test_a_table_with_a_date_is_parsed_every_time(tmp_path):
    dated = "published = 2019-07-03\n" + TABLE
    assert run_toml(tmp_path, dated)["data"]["published"] == "2019-07-03"
    assert run_toml(tmp_path, dated, "cached-only") == "parsed again"


EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "examples",
                       "facebook-2019-07-03")


def _kept_keys(folder, seed: str) -> set:
    """The patterns a build of the example keeps, built by an interpreter whose string hashes (and
    so the order it iterates sets of words in) come from ``seed``."""
    env = dict(os.environ, OUTAGETL_CACHE=str(folder), PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-m", "outagetl", "build", EXAMPLE, "--format", "json", "--jobs", "1"],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    (cache,) = folder.glob("kept-*.marshal")
    import marshal

    return {key for key in marshal.loads(cache.read_bytes())["entries"] if key[0] != "toml"}


def test_every_pattern_kept_is_the_same_text_whatever_order_sets_are_iterated_in(tmp_path):
    """A pattern built from a set of words in the set's order is another text in every run: each
    run compiled it again and the cache kept one more copy (10 KB a run, one of them the zone
    words after "a.m."). Patterns list their words in an order of their own."""
    one, other = tmp_path / "one", tmp_path / "other"
    first, second = _kept_keys(one, "1"), _kept_keys(other, "2")
    assert len(first) > 50  # the grammars of the example's languages, milestone words, sentences
    assert first == second
    assert _kept_keys(one, "3") == first  # and the cache does not grow: every key is found again


_GATES = r"""
import json
from outagetl.sources.language import supported
from outagetl.timeparse.grammar import grammar
print(json.dumps({lang: sorted(grammar(lang).word_gate or []) for lang in supported()}))
"""


def test_each_grammar_gates_texts_by_the_same_words_whatever_order_sets_are_iterated_in():
    """Which words let a text without digits through to the wordy templates is taken from one of
    a template's required slots: the first in order, not whichever a frozenset yields first."""
    gates = []
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run([sys.executable, "-c", _GATES], capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, PYTHONHASHSEED=seed, OUTAGETL_CACHE="off"))
        assert done.returncode == 0, done.stderr
        gates.append(json.loads(done.stdout))
    assert all(g == gates[0] for g in gates)
    assert any(gates[0].values())  # some language has a gate at all
