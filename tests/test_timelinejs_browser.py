"""The ``timelinejs`` output loaded in TimelineJS itself (the npm package @knight-lab/timelinejs),
served from this machine on 127.0.0.1 to headless Chromium, with every request off the machine refused.

The test does not install TimelineJS (a test never reaches the network): it skips, naming the
command, when the package is absent. ``.ci/run`` installs it, so CI runs this test.
"""
import functools
import json
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_helpers import chromium, open_page
from click.testing import CliRunner

from outagetl.cli import main

from conftest import ROOT
from golden_helpers import HOSTILE_STORY, reviewed_example

INSTALL = "npm install --prefix .cache/timelinejs @knight-lab/timelinejs@3"
PACKAGE = Path(os.environ.get("OUTAGETL_TIMELINEJS") or ROOT / ".cache" / "timelinejs")
LARKSPUR = ROOT / "tests" / "data" / "mixed-larkspur"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS check</title>
<link rel="stylesheet" href="tl/css/timeline.css">
<script src="tl/js/timeline.js"></script></head>
<body><div id="timeline" style="width:1200px;height:700px"></div>
<script>
fetch("timeline.json").then(r => r.json()).then(data => {
  // font: null, or TimelineJS loads its default fonts from Google; the test refuses anything off the machine.
  window.timeline = new TL.Timeline("timeline", data, {script_path: location.origin + "/tl/js/", hash_bookmark: false, font: null});
  window.timeline.on("loaded", () => { window.loaded = true; });
});
</script></body></html>
"""


def _dist() -> Path:
    for candidate in (PACKAGE / "node_modules" / "@knight-lab" / "timelinejs" / "dist", PACKAGE / "dist", PACKAGE):
        if (candidate / "js" / "timeline.js").is_file():
            return candidate
    pytest.skip(f"TimelineJS is not installed in {PACKAGE}: {INSTALL} (.ci/run does)")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """A folder served on 127.0.0.1 holding TimelineJS's dist as tl/ and a page that loads timeline.json."""
    shutil.copytree(_dist(), tmp_path / "site" / "tl")
    (tmp_path / "site" / "index.html").write_text(PAGE)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path / "site", f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    _dist()
    with chromium() as context:
        yield context


def _load(browser, site: Path, url: str, folder: Path):
    result = CliRunner().invoke(main, ["build", str(folder), "--format", "timelinejs", "-o", str(site / "timeline.json")])
    assert result.exit_code == 0, result.output
    data = json.loads((site / "timeline.json").read_text())
    page = open_page(browser, url)
    page.wait_for_function("window.loaded === true", timeout=30_000)
    return page, data


@pytest.mark.parametrize("case", ["example", "larkspur", "hostile"])
def test_timelinejs_renders_one_slide_per_event_without_errors(browser, served, tmp_path, case):
    site, url = served
    if case == "example":
        folder = tmp_path / reviewed_example(tmp_path)
    elif case == "larkspur":
        folder = LARKSPUR
    else:
        folder = tmp_path / "hostile"
        folder.mkdir()
        (folder / "story.txt").write_text(HOSTILE_STORY)
    page, data = _load(browser, site, url, folder)
    folder_out = os.environ.get("OUTAGETL_SCREENSHOTS")
    if folder_out:
        Path(folder_out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder_out) / f"timelinejs-{case}.png"))
    assert page.problems == [], page.problems
    assert browser.outside == [], "TimelineJS asked for something off this machine"
    slides = page.evaluate("Array.from(document.querySelectorAll('.tl-slide')).map(s => s.id)")
    # TimelineJS draws the title slide first, then one slide per event, each with our unique_id.
    assert slides[0] != "" and slides[1:] == [e["unique_id"] for e in sorted(
        data["events"], key=lambda e: tuple(e["start_date"].values()))]
    assert len(slides) == len(data["events"]) + 1
    assert page.evaluate("window.timeline.config.events.length") == len(data["events"])
    headline = page.locator(f"#{data['events'][0]['unique_id']} .tl-headline").first.inner_text()
    assert headline.startswith(data["events"][0]["unique_id"].upper())
    if case == "hostile":
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator(".tl-slide img, .tl-slide script").count() == 0
