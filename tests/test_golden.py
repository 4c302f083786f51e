"""Every output format on the Facebook example, compared byte for byte with reviewed files.

Regenerate after reviewing the diff by hand (read each file against the stories and
tests/expected/facebook-2019-07-03.json):

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from outagetl.cli import main
from outagetl.render import EXTENSIONS, FORMATS

from conftest import ROOT
from golden_helpers import reviewed_example

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
EXPLAINED = ("E2", "E5")


@pytest.fixture
def example(tmp_path, monkeypatch):
    folder = reviewed_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return folder


def _check(name: str, text: str):
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} missing: run UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py and review it"
    assert text.encode("utf-8") == path.read_bytes(), f"{name} differs from the reviewed golden file"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_matches_golden(example, fmt):
    result = CliRunner().invoke(main, ["build", example, "--format", fmt])
    assert result.exit_code == 0, result.output
    _check(f"facebook.{EXTENSIONS[fmt]}", result.stdout)


@pytest.mark.parametrize("event_id", EXPLAINED)
def test_explain_matches_golden(example, event_id):
    result = CliRunner().invoke(main, ["explain", event_id, example])
    assert result.exit_code == 0, result.output
    _check(f"facebook.explain-{event_id}.txt", result.stdout)


def test_every_format_is_byte_identical_across_runs_and_hash_seeds(example):
    script = ("import json, sys; from outagetl.pipeline import build; from outagetl.render import FORMATS, render; "
              "t = build([sys.argv[1]]).timeline; print(json.dumps({f: render(f, t) for f in sorted(FORMATS)}))")
    outs = [subprocess.run([sys.executable, "-c", script, example], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert outs[0] == outs[1]
    for fmt in sorted(FORMATS):
        first = CliRunner().invoke(main, ["build", example, "--format", fmt]).stdout
        assert first == CliRunner().invoke(main, ["build", example, "--format", fmt]).stdout, fmt
