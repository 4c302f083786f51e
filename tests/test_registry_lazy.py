"""The registry asks only the readers that can still win (``SNIFF_MAX``), and picks the reader
asking all of them would pick."""
from pathlib import Path

import pytest

from outagetl.sources import registry
from outagetl.sources.base import SourceError, decode_text

DATA = Path(__file__).parent / "data"
FILES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc"))


def _head(path: Path) -> str:
    """The head ``read_path`` gives the readers (a file it refuses before sniffing is skipped)."""
    try:
        return decode_text(str(path), registry._opening(path, str(path))[1]).text[:4096]
    except SourceError:
        pytest.skip("refused before any reader is asked")


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_no_reader_scores_above_its_declared_highest(path):
    head = _head(path)
    for name in registry.READER_MODULES:
        assert registry._reader(name).sniff(path, head) <= registry.SNIFF_MAX[name], name


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_the_readers_asked_pick_the_reader_all_would(path):
    head = _head(path)
    lazy, every = registry._scored(path, head)[0], registry._scored(path, head, every=True)[0]
    assert (lazy[0], lazy[2].NAME) == (every[0], every[2].NAME)


def test_a_clean_log_never_asks_the_weaker_readers(tmp_path):
    log = tmp_path / "api.log"
    log.write_text("".join(f"2020-03-03T14:{m:02d}:00Z INFO api request\n" for m in range(30)), encoding="utf-8")
    asked = [reader.NAME for _, _, reader in registry._scored(log, _head(log))]
    assert asked[0] == "log"
    assert not {"feed", "statustext", "article"} & set(asked)


def test_a_story_asks_every_reader(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("The service was down from 9:05 to 11:10 on Tuesday.\n", encoding="utf-8")
    scored = registry._scored(story, _head(story))
    assert scored[0][2].NAME == "article" and len(scored) == len(registry.READER_MODULES)
