"""When the cycle collector runs during a build (``collector``): seldom while a build or the
command runs, as it was after; merge's objects alone while merge runs."""
import gc
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from outagetl import cli, collector, pipeline

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "facebook-2019-07-03"


@pytest.fixture
def thresholds():
    """The collector's thresholds as the test found them, set back after it."""
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def test_seldom_raises_the_first_threshold_and_sets_it_back(thresholds):
    gc.set_threshold(700, 10, 10)
    with collector.seldom():
        assert gc.get_threshold() == (collector.YOUNG, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_seldom_sets_it_back_when_the_block_raises(thresholds):
    gc.set_threshold(500, 7, 3)
    with pytest.raises(RuntimeError), collector.seldom():
        assert gc.get_threshold()[0] == collector.YOUNG
        raise RuntimeError("a stage failed")
    assert gc.get_threshold() == (500, 7, 3)


@pytest.mark.parametrize("first", [0, collector.YOUNG, 3 * collector.YOUNG])
def test_seldom_leaves_a_program_that_chose_fewer_passes_alone(thresholds, first):
    gc.set_threshold(first, 10, 10)
    with collector.seldom():
        assert gc.get_threshold() == (first, 10, 10)
    assert gc.get_threshold() == (first, 10, 10)


def test_a_build_reconciles_and_merges_with_seldom_passes(thresholds, monkeypatch):
    """``pipeline.build``, a library call, raises it for its own duration (no command around it)."""
    gc.set_threshold(700, 10, 10)
    seen = {}
    reconcile, merge = pipeline.reconcile, pipeline.merge

    def spy_reconcile(claims):
        seen["reconcile"] = gc.get_threshold()[0]
        return reconcile(claims)

    def spy_merge(*args):
        seen["merge"] = gc.get_threshold()[0]
        return merge(*args)

    monkeypatch.setattr(pipeline, "reconcile", spy_reconcile)
    monkeypatch.setattr(pipeline, "merge", spy_merge)
    built = pipeline.build([str(EXAMPLE)], pipeline.Options(jobs=1))
    assert len(built.timeline.events) == 10
    assert seen == {"reconcile": collector.YOUNG, "merge": collector.YOUNG}
    assert gc.get_threshold() == (700, 10, 10)


def test_the_command_runs_with_seldom_passes():
    """``cli.run`` (the console script) wraps the whole command, output included: the threshold
    the output stage sees is the raised one. In a process of its own, as a user runs it."""
    script = textwrap.dedent(f"""
        import gc, sys
        from outagetl import cli
        gc.set_threshold(700, 10, 10)
        emit = cli._emit
        def spy(*args, **kwargs):
            print("threshold", gc.get_threshold()[0], file=sys.stderr)
            return emit(*args, **kwargs)
        cli._emit = spy
        sys.argv = ["outagetl", "build", {str(EXAMPLE)!r}, "--format", "json", "--jobs", "1"]
        cli.run()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"threshold {collector.YOUNG}" in done.stderr.splitlines()
    assert len(json.loads(done.stdout)["events"]) == 10


def test_new_objects_only_freezes_what_exists_for_the_block():
    assert gc.get_freeze_count() == 0
    before = [object() for _ in range(3)]
    with collector.new_objects_only():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    assert len(before) == 3


def test_new_objects_only_leaves_a_program_that_froze_its_own_alone():
    gc.freeze()
    try:
        with collector.new_objects_only():
            pass
        assert gc.get_freeze_count() > 0  # not unfrozen: what the program froze stays aside
    finally:
        gc.unfreeze()


def test_the_example_builds_the_same_with_passes_as_python_makes_them(monkeypatch):
    """The collector's schedule changes when memory is given back, never what a build finds."""
    runner = CliRunner()
    seldom = runner.invoke(cli.main, ["build", str(EXAMPLE), "--format", "json", "--jobs", "1"])
    monkeypatch.setattr(collector, "YOUNG", 1)
    often = runner.invoke(cli.main, ["build", str(EXAMPLE), "--format", "json", "--jobs", "1"])
    assert seldom.exit_code == often.exit_code == 0
    assert seldom.output == often.output


def _tags_alive() -> int:
    """The page elements alive (the tree's root, which its parser points back to, aside)."""
    from bs4 import BeautifulSoup
    from bs4.element import Tag

    return sum(1 for o in gc.get_objects() if isinstance(o, Tag) and not isinstance(o, BeautifulSoup))


def _read_with_the_collector_off(read):
    """What ``read()`` gives, and how many page elements it left alive, the collector off meanwhile."""
    gc.collect()
    before = _tags_alive()
    gc.disable()
    try:
        result = read()
        return result, _tags_alive() - before
    finally:
        gc.enable()


def _page(links: int) -> str:
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a> <b>new</b></li>' for i in range(links))
    return (f'<html lang="en"><head><title>Status</title></head><body><nav><ul>{nav}</ul></nav>'
            "<article><h1>Checkout down</h1><p>Payments failed from 09:12 UTC on 4 March 2024.</p>"
            "<p>Engineers restored service at 10:40 UTC.</p></article></body></html>")


@pytest.mark.parametrize("links", [1, 50, 2000])
def test_a_page_read_leaves_no_node_of_its_tree_for_the_collector(links):
    """A page's tree is taken apart once read (``base.release_tree``): with the collector off,
    not one of its tags is left alive (before, every one was, until a pass over old objects)."""
    from outagetl.sources import article

    doc, left = _read_with_the_collector_off(lambda: article._read_html(_page(links), "status.html"))
    assert left == 0
    assert any("09:12 UTC" in r.text for r in doc.records)


@pytest.mark.parametrize("markup", [
    "<p>We are <em>investigating</em> errors since 14:05 UTC.</p><script>x()</script>",
    "<div><p>Fixed at 3pm ET.</p><ul><li>API</li><li>web</li></ul></div>",
    "<blockquote><p>Degraded <i>performance</i></p></blockquote><p>Update 22:10 CET</p>",
])
def test_a_post_body_read_leaves_no_node_of_its_tree(markup):
    from outagetl.sources.posts import html_text

    text, left = _read_with_the_collector_off(lambda: html_text(markup))
    assert left == 0
    assert text and "<" not in text
