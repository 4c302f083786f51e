"""The HTML report in a real browser (Debian's chromium, headless, driven by playwright).

The layout checks measure what the browser drew: no two pieces of text (table text, SVG labels,
legend) overlap, at 1400 and at 800 px, with every fold-out closed and open, on the bundled example,
on the mixed Larkspur folder (eight kinds of source) and on a folder of many sources whose events
crowd into the same minutes. Screenshots go to $OUTAGETL_SCREENSHOTS when it is set, to look at.
"""
import json
import os
import shutil
from pathlib import Path

import pytest
from browser_helpers import chromium, open_page, overlapping_text
from click.testing import CliRunner

from outagetl.cli import main

from conftest import ROOT
from golden_helpers import HOSTILE_STORY, reviewed_example

LARKSPUR = ROOT / "tests" / "data" / "mixed-larkspur"
WIDTHS = (1400, 800)


@pytest.fixture(scope="module")
def browser():
    with chromium() as context:
        yield context


def _report(tmp_path, folder, *extra, name="report.html"):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["build", str(folder), "--format", "html", "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def crowded_folder(root: Path) -> Path:
    """Sixteen sources: the Larkspur folder plus eight stories with long names that state the same
    start and end a minute apart each, so that labels and lanes crowd."""
    folder = root / "crowded"
    shutil.copytree(LARKSPUR, folder)
    for n in range(8):
        (folder / f"regional-outlet-{n:02d}-larkspur-mail-outage-coverage-story.txt").write_text(
            f"Date: Monday 4 January 2021\n\nLarkspur Mail stopped sending email at 14:{50 + n} UTC, "
            f"outlet {n} reported.\n\nThe company said it fixed the problem at 18:{40 + n} UTC.\n")
    return folder


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("OUTAGETL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", ["example", "larkspur", "crowded"])
def test_no_two_pieces_of_text_overlap(browser, tmp_path, case, width):
    folder = {"example": lambda: tmp_path / reviewed_example(tmp_path), "larkspur": lambda: LARKSPUR,
              "crowded": lambda: crowded_folder(tmp_path)}[case]()
    page = open_page(browser, _report(tmp_path, folder, "--title", f"Test page: {case}").as_uri(), width=width)
    assert page.problems == [] and browser.outside == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert overlapping_text(page) == []
    _screenshot(page, f"{case}-{width}")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert overlapping_text(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "an open fold-out scrolls sideways"
    _screenshot(page, f"{case}-{width}-open")
    page.close()


def test_the_overlap_check_finds_text_drawn_over_text(browser, tmp_path):
    """The check itself: the overlaps issue 14 found (a time run into the next cell, two SVG labels
    drawn as one "E5E9") are found; the same text set apart is not."""
    page = tmp_path / "overlap.html"
    page.write_text(
        '<p style="position:absolute;left:10px;top:10px;margin:0">2021-01-04 11:00–17:00</p>'
        '<p style="position:absolute;left:60px;top:12px;margin:0">03:00–09:00 PST</p>'
        '<p style="position:absolute;left:10px;top:200px;margin:0">apart</p>'
        '<svg width="200" height="100" style="position:absolute;top:100px"><text x="10" y="50">E5</text>'
        '<text x="16" y="50">E9</text><text x="100" y="50">E13</text></svg>')
    found = overlapping_text(open_page(browser, page.as_uri()))
    assert [(a.split(" at ")[0], b.split(" at ")[0]) for a, b in found] == [
        ("'2021-01-04 11:00–17:00'", "'03:00–09:00 PST'"), ("'E5'", "'E9'")]


def test_the_narrow_layout_stacks_the_local_times(browser, tmp_path):
    path = _report(tmp_path, LARKSPUR)
    doc = json.loads(CliRunner().invoke(main, ["build", str(LARKSPUR), "--format", "json"]).stdout)
    zones = sorted({c["zone"] for e in doc["events"] for c in e["sources"]} - {"UTC"})
    assert {"America/Los_Angeles", "America/New_York", "Europe/London"} <= set(zones)
    wide, narrow = open_page(browser, path.as_uri(), width=1400), open_page(browser, path.as_uri(), width=800)
    shown = "ths => ths.filter(t => t.checkVisibility()).map(t => t.textContent)"
    assert wide.locator("table.events thead th").evaluate_all(shown) == [
        "#", "UTC", *zones, "Kind", "What happened", "Sources"]
    assert narrow.locator("table.events thead th").evaluate_all(shown) == [
        "#", "UTC", "Local", "Kind", "What happened", "Sources"]
    # E9 is the status page's 07:14 PST: one line per zone in the stacked cell, in the columns' order.
    stacked = narrow.locator("tr#E9 td.stack").inner_text().replace("\xa0", " ").split("\n")
    assert len(stacked) == len(zones)
    by_zone = dict(zip(zones, stacked, strict=True))
    assert (by_zone["America/Los_Angeles"], by_zone["America/New_York"], by_zone["Europe/London"]) == (
        "07:14 PST", "10:14 EST", "15:14 GMT")


def test_crowded_labels_are_staggered_or_left_to_the_hover_title(browser, tmp_path):
    page = open_page(browser, _report(tmp_path, crowded_folder(tmp_path)).as_uri())
    rows = page.locator("table.events tbody tr[id]").count()
    counts = {}
    for drawing in ("wide", "narrow"):
        marks = page.locator(f"svg.{drawing} g[data-event]")
        labelled = page.locator(f"svg.{drawing} g[data-event] text")
        assert marks.count() == rows
        assert 0 < labelled.count() <= marks.count()
        ys = {round(float(y)) - round(float(c)) for y, c in zip(
            labelled.evaluate_all("ts => ts.map(t => t.getAttribute('y'))"),
            page.locator(f"svg.{drawing} g[data-event]:has(text) circle").evaluate_all(
                "cs => cs.map(c => c.getAttribute('cy'))"), strict=True)}
        assert ys == {-9, 17}, "labels sit above their mark, or below it when the row above is taken"
        for n in range(marks.count()):
            assert marks.nth(n).locator("title").text_content().startswith("E")
        counts[drawing] = labelled.count()
    # The narrow drawing has less room per minute: it labels no more marks than the wide one.
    assert counts["narrow"] <= counts["wide"]


def test_title_heads_the_page(browser, tmp_path):
    page = open_page(browser, _report(tmp_path, LARKSPUR, "--title", "Larkspur Mail outage, 4 January 2021").as_uri())
    assert page.title() == "Larkspur Mail outage, 4 January 2021"
    assert page.locator("h1").inner_text() == "Larkspur Mail outage, 4 January 2021"


def test_example_report_has_a_mark_per_event_and_no_errors(browser, tmp_path):
    path = _report(tmp_path, tmp_path / reviewed_example(tmp_path))
    page = open_page(browser, path.as_uri())
    assert page.problems == [] and [u for u in page.requests if u != path.as_uri()] == []
    assert page.locator("svg.wide [data-event]").count() == page.locator("tbody tr[id]").count() == 7
    assert page.locator("svg.wide [data-event]").first.is_visible()
    assert not page.locator("svg.narrow [data-event]").first.is_visible()
    page.locator("tr.why summary").first.click()
    assert page.locator("tr.why details").first.get_attribute("open") is not None
    assert "about 8 a.m. ET" in page.locator("tr.why details").first.inner_text()


def test_hostile_script_stays_text(browser, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(HOSTILE_STORY)
    path = _report(tmp_path, tmp_path / "in")
    without_csp = tmp_path / "no-csp.html"
    html = path.read_text()
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    without_csp.write_text(html[:start] + html[html.index(">", start) + 1:])
    for candidate in (path, without_csp):
        page = open_page(browser, candidate.as_uri())
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.problems == [] and [u for u in page.requests if u != candidate.as_uri()] == []
        assert page.locator("svg.wide [data-event]").count() == 2
        assert "<script>window.__pwned=1;alert(1)</script>" in page.locator("table.events").inner_text()
        assert page.locator("body script, body img").count() == 0
