"""The HTML report in a real browser (Debian's chromium, headless, driven by playwright)."""
import shutil

import pytest
from click.testing import CliRunner

from outagetl.cli import main

from golden_helpers import HOSTILE_STORY, reviewed_example

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, path):
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems, [u for u in requests if u != path.as_uri()]


def _report(tmp_path, folder, name="report.html"):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["build", str(folder), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_example_report_has_a_mark_per_event_and_no_errors(browser, tmp_path):
    path = _report(tmp_path, tmp_path / reviewed_example(tmp_path))
    page, problems, fetched = _open(browser, path)
    assert problems == [] and fetched == []
    assert page.locator("svg [data-event]").count() == page.locator("tbody tr[id]").count() == 7
    assert page.locator("svg [data-event]").first.is_visible()
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
        page, problems, fetched = _open(browser, candidate)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert problems == [] and fetched == []
        assert page.locator("svg [data-event]").count() == 2
        assert "<script>window.__pwned=1;alert(1)</script>" in page.locator("table.events").inner_text()
        assert page.locator("body script, body img").count() == 0
