"""The compiled-pattern cache: a pattern read back from it is the pattern ``re`` compiles, and a
missing, damaged or unwritable cache only means compiling again. Each run is a fresh interpreter
(the cache is read once per process and written at its exit)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

PATTERN = r"(?<![\d:])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)\s?(?P<zone>UTC|GMT|[A-Z]{3})?"

_CHILD = r"""
import json, re, sys
from outagetl import regexcache
if sys.argv[2] == "cached-only":
    def refuse(*args):
        raise AssertionError("compiled again")
    regexcache._program = refuse
p = regexcache.compile(sys.argv[1], re.I)
m = p.search("the fix came at 9:05 utc, after 14:02")
print(json.dumps({"same": p == re.compile(sys.argv[1], re.I), "groups": m.groupdict() if m else None,
                  "from_cache": (sys.argv[1], int(re.I)) in regexcache._used and sys.argv[2] == "cached-only"}))
"""


def run(folder, mode="compile"):
    env = dict(os.environ, OUTAGETL_CACHE_DIR=str(folder))
    done = subprocess.run([sys.executable, "-c", _CHILD, PATTERN, mode], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


EXPECTED = {"hour": "9", "minute": "05", "zone": "utc"}


def test_a_pattern_read_back_from_the_cache_is_the_one_re_compiles(tmp_path):
    first = run(tmp_path)
    assert first == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert len(list(tmp_path.glob("regex-*.marshal"))) == 1
    # the next run does not compile it: the program comes from the file
    assert run(tmp_path, "cached-only") == {"same": True, "groups": EXPECTED, "from_cache": True}


def test_a_damaged_cache_is_compiled_again_and_rewritten(tmp_path):
    run(tmp_path)
    (cache,) = tmp_path.glob("regex-*.marshal")
    cache.write_bytes(b"\x00not a cache" * 50)
    assert run(tmp_path) == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert run(tmp_path, "cached-only")["from_cache"] is True


def test_an_unwritable_cache_folder_only_means_compiling(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    assert run(blocker / "cache") == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert blocker.read_text() == "a file where the folder would be"


def test_an_empty_cache_folder_setting_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("") == {"same": True, "groups": EXPECTED, "from_cache": False}
    assert list(tmp_path.iterdir()) == []
