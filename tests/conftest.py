from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "facebook-2019-07-03"
LOGHUB = ROOT.parent / "shared" / "corpus" / "loghub"


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE


def run(*args):
    """``outagetl ARGS`` through click's CliRunner (arguments may be paths)."""
    from click.testing import CliRunner

    from outagetl.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def ok(*args):
    """``run``, which must succeed."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result
