"""Stories written for the language tests, built through the CLI as a user runs it."""
from __future__ import annotations

import json

from click.testing import CliRunner

from outagetl.cli import main


def build_story(tmp_path, files: dict[str, str], manifest: str | None = None) -> dict:
    """Write the files (and the manifest, when given) into ``tmp_path`` and build them as JSON."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    if manifest is not None:
        (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def kinds(out: dict) -> list[tuple[str, str]]:
    return [(e["kind"], e["time"]) for e in out["events"]]
