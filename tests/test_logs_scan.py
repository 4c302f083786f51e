"""The change-word prefilter: compiled once and kept, and a kept copy that cannot be used is
compiled again, with the same lines let through."""
import numpy as np
import pytest

from outagetl.kept import CACHE_VARIABLE
from outagetl.logs import scan
from outagetl.logs.arrow import strings
from outagetl.logs.changes import change_prefilter

hyperscan = pytest.importorskip("hyperscan")

LINES = ["2019-07-03T13:00:00Z INFO request ok", "2019-07-03T13:01:00Z INFO deploy of web 41 started",
         "2019-07-03T13:02:00Z INFO rolled back release 7", "2019-07-03T13:03:00Z INFO handled 12 ms"]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    scan._database.cache_clear()
    yield tmp_path / "cache"
    scan._database.cache_clear()


def held(db) -> list[bool]:
    return scan._scan(db, strings(LINES)).tolist()


def test_a_compiled_prefilter_is_kept_and_used_again(cache):
    first = scan._database(change_prefilter())
    kept = list(cache.glob("prefilter-*.hs"))
    assert len(kept) == 1
    scan._database.cache_clear()
    again = scan._database(change_prefilter())
    assert held(first) == held(again) == [False, True, True, False]


def test_a_kept_copy_that_cannot_be_read_is_compiled_again(cache):
    scan._database(change_prefilter())
    (kept,) = cache.glob("prefilter-*.hs")
    kept.write_bytes(b"not a database")
    scan._database.cache_clear()
    assert held(scan._database(change_prefilter())) == [False, True, True, False]
    assert kept.read_bytes() != b"not a database"


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    scan._database.cache_clear()
    try:
        assert held(scan._database(change_prefilter())) == [False, True, True, False]
    finally:
        scan._database.cache_clear()
    assert not list(tmp_path.rglob("prefilter-*"))


def test_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
    scan._database.cache_clear()
    try:
        assert held(scan._database(change_prefilter())) == [False, True, True, False]
    finally:
        scan._database.cache_clear()
    assert np.array_equal(scan.may_hold(strings(LINES), change_prefilter()), [False, True, True, False])
