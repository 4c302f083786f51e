"""What the README shows must still run."""
import re
import shlex

from click.testing import CliRunner

from outagetl.cli import main

from conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_quick_start_has_exactly_two_commands_and_the_first_builds_the_example(monkeypatch):
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert len(commands) == 2
    build = commands[0].split("&&")[-1].strip()
    args = shlex.split(build)
    assert args[:2] == ["outagetl", "build"] and args[2].startswith("data/examples/")
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, args[1:])
    assert result.exit_code == 0, result.output
    assert "13:18" in result.stdout
    assert commands[1].strip() == "python -m pytest -q"


def test_ci_runs_the_readme_test_command():
    assert "python -m pytest -q" in (ROOT / ".ci" / "run").read_text()
