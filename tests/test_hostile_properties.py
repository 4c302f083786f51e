"""Properties of the readers and the whole pipeline on arbitrary bytes (the timeparse and merge
properties are in their own test files): only SourceError escapes a reader, nothing escapes
``pipeline.build``, intervals are ordered, and input order never changes the output."""
import gzip
import json
import random
import re
import tempfile
from pathlib import Path
from unittest import mock

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outagetl.cli import main
from outagetl.pipeline import build
from outagetl.render import FORMATS, render
from outagetl.sources import posts
from outagetl.sources.base import SourceError
from outagetl.sources.registry import read_path

from conftest import EXAMPLE, ROOT

EXTENSIONS = (".txt", ".json", ".js", ".html", ".xml", ".csv", ".log", ".gz", ".jsonl", ".rss", ".md")
SEEDS = sorted(p for folder in (EXAMPLE, ROOT / "tests" / "data") for p in folder.rglob("*")
               if p.is_file() and p.stat().st_size < 200_000 and p.suffix != ".gz")
INTERNAL = "please report this"
INVISIBLE_RAW = re.compile("[\x1b\x9b\u202e]")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def mutated(draw):
    """A seed file cut, spliced with another or with a few bytes flipped: near-valid input finds more."""
    data = bytearray(draw(st.sampled_from(SEEDS)).read_bytes()[:20_000])
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(("flip", "cut", "splice", "insert")))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            data = data[:at]
        elif op == "splice":
            other = draw(st.sampled_from(SEEDS)).read_bytes()[:20_000]
            data = data[:at] + other[draw(st.integers(0, max(len(other) - 1, 0))):]
        else:
            data[at:at] = draw(st.sampled_from((b"\x00", b"{" * 300, b"<div>" * 50, b"\xff\xfe", b"\r", b"\"",
                                                b"<!ENTITY x 'y'>", b"]]>", b"\n\n", b"\xe2\x80")))
    return bytes(data)


content = st.one_of(st.binary(max_size=3000), st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
                    mutated())


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


@SETTINGS
@given(data=content, ext=st.sampled_from(EXTENSIONS))
def test_a_reader_raises_only_source_error(data, ext):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "input" + ext, data)
        try:
            docs = read_path(path, str(path))
        except SourceError as exc:
            assert INTERNAL not in exc.reason
            assert "\n" not in str(exc)
            return
        assert all(doc.source.path.startswith(str(path)) for doc in docs)


@SETTINGS
@given(files=st.lists(st.tuples(content, st.sampled_from(EXTENSIONS)), min_size=1, max_size=4))
def test_build_never_raises_and_spans_are_ordered(files):
    with tempfile.TemporaryDirectory() as tmp:
        for n, (data, ext) in enumerate(files):
            _write(Path(tmp), f"f{n}{ext}", data)
        built = build([tmp])
        assert not [e for e in built.errors if INTERNAL in e.reason]
        for event in built.timeline.events:
            assert event.span.earliest <= event.span.best <= event.span.latest
            for claim in event.claims:
                assert claim.span.earliest <= claim.span.best <= claim.span.latest
        for report in built.timeline.sources:
            units = report.units
            assert units["used"] + units["skipped"] <= units["read"]
        for fmt in FORMATS:  # a reading no renderer can print (a zone, a character) is a defect too
            text = render(fmt, built.timeline)
            assert text and not INVISIBLE_RAW.search(text) if fmt != "json" else text


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32 - 1), extras=st.lists(mutated(), min_size=2, max_size=3))
def test_order_of_inputs_never_changes_the_json(seed, extras):
    with tempfile.TemporaryDirectory() as tmp:
        paths = sorted(str(p) for p in EXAMPLE.iterdir() if p.name not in ("README.md", "sources.toml"))
        paths += [str(_write(Path(tmp), f"extra{n}.txt", extra)) for n, extra in enumerate(extras)]
        shuffled = paths[:]
        random.Random(seed).shuffle(shuffled)
        first = CliRunner().invoke(main, ["build", *paths, "--format", "json"])
        second = CliRunner().invoke(main, ["build", *shuffled, "--format", "json"])
        assert first.exit_code == second.exit_code
        assert first.stdout == second.stdout
        json.loads(first.stdout)


TEXTS = (" ", "  ", "\t", "\n", "\xa0", "down", "since 9:40", "é", "日本", "&amp;", "&#39;", "&quot;", "&lt;",
         "&gt;", ">", '"', "'")
OPENERS = ('<span class="invisible">', '<a href="https://social.example/@kai" class="u-url mention">', "<span>")
OTHER_PARTS = ("</br>", "<p/>", "<P>", "<div>", "</div>", "<!-- c -->", "<script>x</script>", "&nbsp;", "&#150;", "&",
               "<", "<b>", "</b>", "<a href='x'>", '<span class="a&amp;b">', "</p>", "</span>")
inline = st.recursive(
    st.sampled_from(TEXTS + ("<br>", "<br/>", "<br />")),
    lambda inner: st.tuples(st.sampled_from(OPENERS), st.lists(inner, max_size=4)).map(
        lambda t: t[0] + "".join(t[1]) + ("</span>" if t[0].startswith("<span") else "</a>")), max_leaves=8)
block = st.one_of(inline, st.lists(inline, max_size=5).map(lambda parts: "<p>" + "".join(parts) + "</p>"))


@st.composite
def fragments(draw):
    """Mastodon-like content (paragraphs, breaks, links, spans, entities), sometimes with one piece
    that is not (a tag it does not write, a stray bracket, an entity BeautifulSoup reads its way)."""
    parts = draw(st.lists(block, max_size=6))
    if parts and draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(OTHER_PARTS)))
    return "".join(parts)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(fragments())
def test_a_post_fragment_reads_as_beautifulsoup_reads_it(markup):
    """A post's simple HTML is read without BeautifulSoup (0.2 ms a post: minutes for an export of
    200,000); whatever the fragment, the text is what BeautifulSoup gives."""
    fast = posts.html_text(markup)
    with mock.patch.object(posts, "_simple_text", lambda _: None):
        assert posts.html_text(markup) == fast


def test_mastodon_content_takes_the_simple_path():
    content = ('<p>Down since 9:40 <a href="https://social.example/tags/outage" class="mention hashtag" rel="tag">'
               '#<span>outage</span></a><br>anyone &amp; everyone? &#39;k&#39;</p><p>second</p>')
    assert posts._simple_text(content) == "Down since 9:40 #outage\nanyone & everyone? 'k'\n\nsecond\n\n"
    assert posts._simple_text("<p>unclosed") is None and posts._simple_text("<b>bold</b>") is None


_WORDS = st.text(alphabet=st.sampled_from("ab  \n\t-é“⚠中/x"), max_size=40) | st.sampled_from(
    ("x" * 70, "word " * 30, "a\nb", "", " lead", "trail ", "https://example.com/" + "p" * 60))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(st.tuples(_WORDS, _WORDS, _WORDS), min_size=1, max_size=9), width=st.integers(40, 160))
def test_the_table_in_pieces_is_the_table_rich_prints_whole(texts, width):
    """The terminal table is printed a few rows at a time at the widths the whole table needs, and
    rows of plain cells are laid out without rich: the bytes must be rich's own for one table of
    every row, whatever the text (folded words, newlines, tabs, wide and accented characters).
    Below 100 columns the stacked view prints many events' blocks as one grid: the same bytes as
    one grid each."""
    from dataclasses import replace

    from outagetl.render import table

    timeline = _example_timeline()
    events = []
    for n, (summary, quote, said) in enumerate(texts):
        event = timeline.events[n % len(timeline.events)]
        claims = tuple(replace(c, local_text=quote, author=said or None) for c in event.claims)
        events.append(replace(event, id=f"E{n + 1}", summary=summary, claims=claims))
    timeline = replace(timeline, events=tuple(events), conflicts=())
    # rich's own layout: one table of every row; in the stacked view, one grid an event (as it was printed)
    stacked = width < table.STACK_BELOW
    with mock.patch.object(table, "ROWS", 1 if stacked else 10**9), mock.patch.object(table, "FAST", False):
        whole = render("table", timeline, width=width)
    for rows, fast in ((2, True), (2, False), (10**9, True)):
        with mock.patch.object(table, "ROWS", rows), mock.patch.object(table, "FAST", fast):
            assert render("table", timeline, width=width) == whole


_TIMELINE = []


def _example_timeline():
    if not _TIMELINE:
        _TIMELINE.append(build([str(EXAMPLE)]).timeline)
    return _TIMELINE[0]


_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
            | st.floats(allow_nan=False, allow_infinity=False) | st.text())
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                       max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(doc=st.dictionaries(st.text(), _VALUES | st.lists(_VALUES, max_size=4), max_size=5), pieces=st.booleans())
def test_json_written_in_pieces_is_the_standard_librarys_document(doc, pieces):
    """``stream`` writes each value and each list item alone, indented to its depth: the document
    must be the bytes ``json.dumps`` gives for it whole, lists streamed or not."""
    from outagetl.render.json import Items, stream

    parts = [(k, Items(iter(v)) if pieces and isinstance(v, list) else v) for k, v in doc.items()]
    assert "".join(stream(parts)) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_a_log_citations_counts_are_written_as_the_standard_library_writes_them():
    """Only an event whose citations carry counts is checked for floats orjson writes otherwise
    (1e-05, 1e+16): such an event is the standard library's bytes."""
    from dataclasses import replace

    from outagetl.render.json import as_dict

    timeline = _example_timeline()
    first = timeline.events[0]
    claims = (replace(first.claims[0], counts=(("errors", 1e-05), ("rate", 1e16))), *first.claims[1:])
    timeline = replace(timeline, events=(replace(first, claims=claims), *timeline.events[1:]))
    text = render("json", timeline)
    assert '"errors": 1e-05' in text and '"rate": 1e+16' in text
    assert text == json.dumps(as_dict(timeline), indent=2, ensure_ascii=False) + "\n"
