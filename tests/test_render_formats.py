"""Renderers beyond the goldens: hostile sources, local zones, TimelineJS shape, explain, terminal colour."""
import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from outagetl.cli import main
from outagetl.explain import UnknownEvent, explain
from outagetl.pipeline import build
from outagetl.render import csv as csv_render
from outagetl.render.table import terminal_options

from conftest import EXAMPLE
from golden_helpers import HOSTILE_STORY, reviewed_example


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def hostile(tmp_path):
    (tmp_path / "story.txt").write_text(HOSTILE_STORY)
    return tmp_path


@pytest.fixture
def example(tmp_path):
    return str(tmp_path / reviewed_example(tmp_path))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_that_would_be_formulas_are_neutralised(value):
    assert csv_render.safe(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "1=1", "", None, "E1"])
def test_csv_other_cells_are_unchanged(value):
    assert csv_render.safe(value) == ("" if value is None else value)


def test_csv_hostile_story_has_no_formula_cell(hostile):
    result = run("build", str(hostile), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)
    assert len(rows) == 1 + 2


def test_html_escapes_every_piece_of_source_text(hostile):
    page = run("build", str(hostile), "--format", "html").stdout
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in page
    assert "http-equiv=\"Content-Security-Policy\"" in page and "script-src" not in page


def test_html_is_self_contained(example):
    page = run("build", example, "--format", "html").stdout
    for needle in ("<script", "<link", "@import", "url(", "src=", "http://", "https://"):
        assert needle not in page.replace('xmlns="http://www.w3.org/2000/svg"', ""), needle
    wide, narrow = page.split('<svg xmlns="http://www.w3.org/2000/svg" class="narrow"', 1)
    assert wide.count("data-event=") == narrow.count("data-event=") == 7  # one drawing for each width


def _all_tokens(tokens):
    """Every token, the inline ones too: markdown-it keeps inline HTML and links in ``children``."""
    for token in tokens:
        yield token
        yield from _all_tokens(token.children or [])


def test_markdown_escapes_html_and_pipes(hostile):
    text = run("build", str(hostile), "--format", "markdown").stdout
    assert "<script>" not in text and "&lt;script&gt;" in text
    tokens = list(_all_tokens(MarkdownIt("commonmark").enable("table").parse(text)))
    assert [t for t in tokens if t.type == "inline"]  # the walk reaches the text it must check
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    # Every row of a table has its header's cells: no quote broke out of its cell.
    widths = _row_widths(tokens)
    assert widths and all(len(set(table)) == 1 for table in widths)
    blocks = re.split(r"\n(?!\|)[^\n]*", text)  # runs of consecutive table lines
    for block in (b for b in blocks if b.strip().startswith("|")):
        pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in block.strip().splitlines()}
        assert len(pipes) == 1, block[:300]  # markdown-it drops extra cells: count the raw pipes too
    # The same check on unescaped text does find the HTML, so this test can fail.
    raw = list(_all_tokens(MarkdownIt("commonmark").parse(HOSTILE_STORY)))
    assert [t for t in raw if t.type == "html_inline"]


def _row_widths(tokens) -> list[list[int]]:
    """The number of cells in each row, table by table, as markdown-it reads them."""
    tables, cells = [], 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type in ("td_open", "th_open"):
            cells += 1
        elif token.type == "tr_close":
            tables[-1].append(cells)
            cells = 0
    return tables


def _keys(example) -> dict:
    """Each event's stable key as the JSON gives it (its derivation is tested in test_keys.py)."""
    return {e["id"]: e["key"] for e in json.loads(run("build", example, "--format", "json").stdout)["events"]}


def test_markdown_local_zone_columns_default_to_the_sources_zones(example):
    text = run("build", example, "--format", "markdown").stdout
    key = _keys(example)
    assert "| # | UTC | America/New_York | Europe/Rome | Kind |" in text
    assert f"| E1 `{key['E1']}` | 2019-07-03 ~12:00 | ~08:00 EDT | ~14:00 CEST | start ⚠ C1 |" in text
    assert f"| E6 `{key['E6']}` | 2019-07-03 22:00–07-04 02:00 | 18:00–22:00 EDT |" in text


def test_show_tz_picks_the_local_columns(example):
    text = run("build", example, "--format", "markdown", "--show-tz", "Asia/Tokyo").stdout
    assert "| # | UTC | Asia/Tokyo | Kind |" in text
    assert f"| E2 `{_keys(example)['E2']}` | 2019-07-03 13:18 | 22:18 JST |" in text
    assert run("build", example, "--show-tz", "Mars/Olympus").exit_code == 2


def test_timelinejs_shape(example):
    data = json.loads(run("build", example, "--format", "timelinejs").stdout)
    assert data["title"]["text"]["headline"]
    assert len(data["events"]) == 7
    for slide in data["events"]:
        for key in ("start_date", "display_date", "text", "group", "unique_id"):
            assert key in slide
        for date in [slide["start_date"]] + ([slide["end_date"]] if "end_date" in slide else []):
            assert set(date) == {"year", "month", "day", "hour", "minute"}
            assert all(isinstance(v, int) for v in date.values())
    first, second = data["events"][0], data["events"][1]
    assert first["start_date"] == {"year": 2019, "month": 7, "day": 3, "hour": 11, "minute": 45}
    assert first["end_date"] == {"year": 2019, "month": 7, "day": 3, "hour": 12, "minute": 15}
    assert "end_date" not in second and second["start_date"]["hour"] == 13 and second["start_date"]["minute"] == 18
    assert first["group"] == "start" and first["display_date"].startswith("~2019-07-03 08:00 EDT")
    assert len({s["unique_id"] for s in data["events"]}) == 7


def test_timelinejs_escapes_source_text(hostile):
    text = run("build", str(hostile), "--format", "timelinejs").stdout
    assert "<script" not in text and "<img" not in text


def test_explain_gives_every_step_of_the_derivation(example):
    timeline = build([example]).timeline
    text = explain(timeline, "E2")
    assert text.count("Citation ") == 3
    assert "“9:18 AM EST today”, read as 2019-07-03 09:18 EDT" in text
    assert "rule explicit" in text and "rule inferred:zone-in-source" in text
    assert "zone-season: EST" in text
    assert "part of day “morning”" in text
    assert "same words in" in text
    apart = explain(timeline, "E5")
    assert "E4 at 2019-07-03 23:00 UTC" in apart and "beyond the 5-min tolerance" in apart
    assert "In conflict C3" in apart  # C2 is the acknowledgement ("9:18 AM EST" taken as written)
    assert "hedge “about”" in explain(timeline, "E1")


def test_explain_unknown_id(example):
    with pytest.raises(UnknownEvent):
        explain(build([example]).timeline, "E99")
    result = run("explain", "E99", example)
    assert result.exit_code == 2
    assert "no event 'E99'" in result.output and "Traceback" not in result.output


def test_explain_takes_the_same_input_options(example):
    result = run("explain", "E1", example, "--source-tz", "002_*=Asia/Tokyo")
    assert result.exit_code == 0, result.output
    assert "Asia/Tokyo, rule pinned:" in result.stdout


class _Stream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


def test_terminal_colour_only_on_a_tty_without_no_color():
    assert terminal_options(_Stream(True), {})["color"] is True
    assert terminal_options(_Stream(True), {"NO_COLOR": "1"})["color"] is False
    assert terminal_options(_Stream(False), {})["color"] is False


def test_table_piped_is_plain_text(example):
    text = run("build", example, "--format", "table").stdout
    assert "\x1b[" not in text
    assert "E1" in text and "⚠ C1" in text and "(11:45–12:15)" in text


def test_json_stdout_is_only_json_for_the_example():
    result = run("build", str(EXAMPLE), "--format", "json")
    assert json.loads(result.stdout)["schema"] == "outagetl/timeline@1"


def test_why_a_time_was_widened_names_its_words_in_the_same_order_whatever_order_they_came_in():
    """The hedges that widen a time come from a set: equally long words are named alphabetically,
    so the same story renders the same bytes in every run."""
    from outagetl.render.common import _found

    text = "circa 10 pm, about the time the site came back (roughly)"
    assert _found(["about", "circa", "roughly"], text) == ["roughly", "about", "circa"]
    assert _found(["circa", "about", "roughly"], text) == ["roughly", "about", "circa"]
    assert _found({"circa", "about", "later"}, text) == ["about", "circa"]
