"""What the README shows must still run."""
import os
import re
import shlex
import shutil
import subprocess

import pytest
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
    # Still in conflict C2: confirming the post's time does not change that a story's "9:18 AM EST",
    # taken as written, says 14:18.
    assert "| 2019-07-03 13:18 |" in row and "| acknowledged ⚠ C2 |" in row
    assert "✎ *corrected by you on " in row
    assert "(D2): time confirmed as read — checked against the archived @facebook post*" in row
    verge = next(line for line in page.splitlines() if line.startswith("- `data/examples/facebook-2019-07-03/001_"))
    assert "zone America/New_York (pinned:case:" in verge
    assert "(D1): zone pinned to America/New_York — The Verge writes New York time" in verge
    assert "### Decisions" in page


def readme_commands() -> list[str]:
    """Every outagetl command the README shows in backticks or a code block (the indented synopsis,
    with its PATHS... placeholders, and spans with an ellipsis are descriptions, not commands)."""
    spans = re.findall(r"```sh\n(.*?)\n```", README, re.S) + re.findall(r"(?<!`)`([^`\n]+)`(?!`)", README)
    found = []
    for span in spans:
        for line in span.splitlines():
            line = line.strip()
            if "…" in line or "PATHS" in line or line.startswith("outagetl case "):
                continue  # the case walkthrough's commands build on each other: its own test runs them
            if line in ("outagetl build", "outagetl explain"):
                continue  # the name of a command, not one to run
            if re.search(r"(^|\| |&& |\$\()(_OUTAGETL_COMPLETE=\w+ )?outagetl( |\)|$)", line):
                found.append(line)
    return list(dict.fromkeys(found))


def test_the_readme_shows_the_new_options_as_commands():
    shown = " ".join(readme_commands())
    for needle in ("build - ", "--kinds start,resolved", "--role press", "--title", "--citations inline",
                   "explain E2", "--format json", "bash_source", "zsh_source", "fish_source"):
        assert needle in shown, needle


@pytest.mark.parametrize("command", [c for c in readme_commands() if "_OUTAGETL_COMPLETE" not in c])
def test_every_outagetl_command_in_the_readme_runs(command, tmp_path, monkeypatch):
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    stdin = None
    if " | " in command:
        feed, command = command.split(" | ", 1)
        assert shlex.split(feed)[0] == "cat", feed
        stdin = (ROOT / shlex.split(feed)[1]).read_bytes()
    if "&&" in command:
        command = command.split("&&")[-1].strip()
    args = shlex.split(command)
    assert args[0] == "outagetl", command
    result = CliRunner().invoke(main, args[1:], input=stdin)
    assert result.exit_code == 0, f"{command}\n{result.output}"
    assert result.stdout or any(tmp_path.iterdir()), command


@pytest.mark.parametrize("command", [c for c in readme_commands() if "_OUTAGETL_COMPLETE" in c])
def test_shell_completion_commands_in_the_readme_give_a_script(command):
    exe = shutil.which("outagetl")
    if exe is None:
        pytest.skip("outagetl is not installed as a command (pip install -e .)")
    inner = re.search(r"(_OUTAGETL_COMPLETE=(\w+)) outagetl", command)
    env = {**os.environ, "_OUTAGETL_COMPLETE": inner.group(2)}
    out = subprocess.run([exe], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    shell = inner.group(2).split("_")[0]
    assert {"bash": "complete -o nosort -F", "zsh": "compdef", "fish": "complete --no-files --command outagetl"}[shell] \
        in out.stdout


def test_optional_parts_the_readme_names_are_what_ci_installs():
    ci = (ROOT / ".ci" / "run").read_text()
    dev = README.split("## Development", 1)[1]
    assert "pip install -e '.[test,spark,browser]'" in dev and "-e '.[test,spark,browser]'" in ci
    assert "apt-get install -y chromium" in dev and "install -y -qq chromium" in ci
    assert "npm install --prefix .cache/timelinejs @knight-lab/timelinejs@3" in dev
    assert "--prefix .cache/timelinejs @knight-lab/timelinejs@3" in ci
    extras = (ROOT / "setup.cfg").read_text().split("[options.extras_require]", 1)[1].split("\n[", 1)[0]
    test_extra = extras.split("test =", 1)[1].split("\nspark =", 1)[0]
    assert "pyspark" not in test_extra and "playwright" not in test_extra
    assert "spark =\n    pyspark" in extras and "browser =\n    playwright" in extras


EXAMPLES = sorted((ROOT / "data" / "examples").glob("*/README.md"))


@pytest.mark.parametrize("readme", EXAMPLES, ids=lambda p: p.parent.name)
def test_each_example_readme_shows_a_command_that_runs(readme, monkeypatch):
    commands = re.findall(r"```sh\n(.*?)\n```", readme.read_text(), re.S)
    assert commands, f"{readme} shows no command"
    monkeypatch.chdir(ROOT)
    for command in commands:
        args = shlex.split(command.strip())
        assert args[:2] == ["outagetl", "build"] and (ROOT / args[2]).is_dir(), command
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0, result.output
        assert "\n| E1 " in result.stdout
