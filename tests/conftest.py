from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "facebook-2019-07-03"
LOGHUB = ROOT.parent / "shared" / "corpus" / "loghub"


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE
