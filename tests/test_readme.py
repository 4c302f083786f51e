"""What the README shows must still run."""
import re
import shlex
import shutil

from click.testing import CliRunner

from outagetl.cli import main

from conftest import EXAMPLE, ROOT

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


def test_case_walkthrough_runs_from_init_to_markdown(tmp_path, monkeypatch):
    """The five commands of "Case files", as written, in a folder holding a copy of the example."""
    section = README.split("## Case files", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    commands = [shlex.split(line) for line in block.splitlines()]
    assert len(commands) == 5 and all(c[:2] == ["outagetl", "case"] for c in commands)
    shutil.copytree(EXAMPLE, tmp_path / "data" / "examples" / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    for args in commands:
        result = CliRunner().invoke(main, args[1:], env={"USER": "you"})
        assert result.exit_code == 0, (args, result.output)
    page = (tmp_path / "timeline.md").read_text()
    # By hand from the example: the acknowledgement is the @facebook post's own 13:18 (the README
    # above), its key is the one given to confirm, and the Verge story is pinned to New York.
    row = next(line for line in page.splitlines() if line.startswith("| E") and "`d4702a92`" in line)
    assert "| 2019-07-03 13:18 |" in row and "| acknowledged |" in row
    assert "✎ *corrected by you on " in row
    assert "(D2): time confirmed as read — checked against the archived @facebook post*" in row
    verge = next(line for line in page.splitlines() if line.startswith("- `data/examples/facebook-2019-07-03/001_"))
    assert "zone America/New_York (pinned:case:" in verge
    assert "(D1): zone pinned to America/New_York — The Verge writes New York time" in verge
    assert "### Decisions" in page
