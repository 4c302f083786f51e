"""The terminal table at 80 columns: a block per event instead of columns a few characters wide,
widths in terminal cells (CJK counts double)."""
import re

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from outagetl.cli import main
from outagetl.pipeline import build
from outagetl.render import render
from outagetl.render.table import STACK_BELOW

from conftest import EXAMPLE, ROOT

LARKSPUR = ROOT / "tests" / "data" / "mixed-larkspur"


@pytest.fixture(scope="module")
def larkspur():
    return build([str(LARKSPUR)]).timeline


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z][A-Za-z']{3,}", text)}


@pytest.mark.parametrize("width", [60, 80, STACK_BELOW - 1, STACK_BELOW, 120])
def test_no_line_is_wider_than_the_terminal_in_cells(larkspur, width):
    text = render("table", larkspur, width=width)
    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert not [line for line in text.splitlines() if line != line.rstrip()], "trailing spaces"


def test_80_columns_is_one_block_per_event_with_every_word_whole(larkspur):
    text = render("table", larkspur, width=80)
    lines = text.splitlines()
    starts = [line.split()[0] for line in lines if re.match(r"E\d+ +\d{4}-\d{2}-\d{2} ", line)]
    # 24 events, then the conflicts' citations (5 + 5 + 4) in blocks of their own.
    assert starts[:24] == [f"E{n}" for n in range(1, 25)]
    assert len(starts) == 24 + 14
    assert "|" not in text, "no table borders at 80 columns"
    # What happened and the quotes wrap between words, never inside one ("restore d").
    for e in larkspur.events:
        for word in _words(e.summary):
            assert re.search(rf"(?<![A-Za-z']){re.escape(word)}(?![A-Za-z'])", text), word
    # (Each conflict's heading names its official source's path, which may take a second line.)
    assert len(lines) < 7 * len(larkspur.events)


def test_the_stacked_block_reads_time_kind_summary_and_citations(larkspur):
    text = render("table", larkspur, width=80)
    block = text.split("\nE9 ", 1)[1].split("\nE10 ", 1)[0].splitlines()
    assert re.fullmatch(r" 2021-01-04 15:14  acknowledged ⚠ C2  key [0-9a-f]{8}", block[0]), block[0]
    assert block[1].strip() == "Investigating: We are investigating reports of users unable to send mail."
    assert block[2].strip() == "· status-history.txt: “Jan 04, 2021 - 07:14 PST”"
    assert "· tweets.json: “2021-01-04T15:16:40.000Z” (@larkspurstatus," in block[3]


def test_cjk_counts_two_cells_per_character(larkspur):
    text = render("table", larkspur, width=60)
    # The Japanese post (E11) is 45 characters, 90 cells: beside the 4-cell indent at 60 columns, two lines.
    block = text.split("\nE11 ", 1)[1].split("\nE12 ", 1)[0].splitlines()
    japanese = [line.strip() for line in block[1:] if re.search("[\u3040-\u30ff\u4e00-\u9fff]", line)]
    assert len(japanese) == 2
    assert "".join(japanese) == ("ラークスパーメールで送信できない状態が続いています。"
                                 "東京のチームも全員メールが送れません。")
    assert all(cell_len(line) <= 60 for line in block)


def test_wide_terminal_keeps_the_table(larkspur):
    text = render("table", larkspur, width=120)
    assert text.splitlines()[1].startswith("+---")
    assert "| # " in text and "| Cited" in text


def test_the_cli_table_at_80_columns_from_a_terminal(monkeypatch):
    monkeypatch.setattr("outagetl.render.table.terminal_options", lambda stream: {"color": False, "width": 80})
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--format", "table"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    # The bundled example: 10 events and 3 conflicts (the acknowledgement's lists 4 readings) in 83
    # lines, where the 80-column table took 508.
    assert len(lines) < 100
