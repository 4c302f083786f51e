"""Debian's Chromium, headless, driven by playwright: never a downloaded browser, never the network.

Tests that need it skip, with the reason and the command that adds it, when a part is absent:
``apt-get install chromium`` and ``pip install -e '.[browser]'`` (``.ci/run`` installs both).
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NEEDS = "needs Debian's chromium (apt-get install chromium) and playwright (pip install -e '.[browser]')"


def sync_api():
    if CHROMIUM is None:
        pytest.skip(f"chromium is not installed: {NEEDS}")
    return pytest.importorskip("playwright.sync_api", reason=f"playwright is not installed: {NEEDS}")


@contextmanager
def chromium():
    """A browser context on a fresh, empty profile that refuses every request off this machine
    (``context.outside`` lists them, so a test can assert there were none)."""
    api = sync_api()
    with tempfile.TemporaryDirectory(prefix="outagetl-chromium-") as profile, api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True)
        context.outside = []

        def local_only(route):
            url = route.request.url
            parts = urlsplit(url)
            if parts.scheme in ("file", "data", "about", "blob") or parts.hostname in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                context.outside.append(url)
                route.abort()

        context.route("**/*", local_only)
        try:
            yield context
        finally:
            context.close()


def open_page(context, url: str, width: int = 1400, height: int = 900):
    """A page at ``url`` with its console errors and warnings, uncaught errors and requests recorded."""
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.problems, page.requests = [], []
    page.on("console", lambda m: page.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url)
    page.wait_for_load_state("load")
    return page


TEXT_BOXES = """() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    n += 1;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || el.closest('title') || el.closest('svg') || !el.checkVisibility({visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0.5 && r.height > 0.5)
        boxes.push({node: n, text: text.slice(0, 60), x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height});
    }
  }
  for (const t of document.querySelectorAll('svg text')) {
    n += 1;
    if (!t.checkVisibility({visibilityProperty: true})) continue;
    const r = t.getBoundingClientRect();
    if (r.width > 0.5 && r.height > 0.5)
      boxes.push({node: n, text: t.textContent.trim().slice(0, 60), x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height});
  }
  return boxes;
}"""


def overlapping_text(page, slack: float = 1.0) -> list[tuple[str, str]]:
    """Every pair of rendered text boxes (HTML text fragments and SVG labels, as the browser lays
    them out) that overlap by more than ``slack`` px both ways."""
    boxes = sorted(page.evaluate(TEXT_BOXES), key=lambda b: b["y"])
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b["y"] >= a["y"] + a["h"] - slack:
                break
            if a["node"] == b["node"]:
                continue
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > slack and dy > slack:
                found.append((f"{a['text']!r} at ({a['x']:.0f},{a['y']:.0f})", f"{b['text']!r} at ({b['x']:.0f},{b['y']:.0f})"))
    return found
