"""An HTML page's blocks end in a paragraph break placed as each block's last child
(``sources.base.end_block``), and its ``<meta>`` names are read in one pass (``article._metas``):
the text is the one a break placed after each block gives, and a long page costs time in
proportion to its length, not to its length squared."""
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from bs4.element import Tag
from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.sources import article, posts
from outagetl.sources.base import drop_tags, end_block

PAGE = """<html lang="en"><head><title>Mail down</title></head><body><article>
<h2>What happened</h2><p>Mail stopped at 06:10 UTC</p>
<ul><li><p>Outlook failed first</p></li><li>Teams at 06:25</li></ul>
<p>Engineers rolled back<br>a change at 07:02 UTC</p>
<dl><dt>Status</dt><dd>Resolved at 08:15 UTC</dd></dl>
<figure><figcaption>The status page at noon</figcaption></figure></article></body></html>"""


def test_headings_items_and_captions_end_with_a_stop_and_every_block_apart():
    """A list item whose text is a paragraph ends with the item's stop, not with a lone "." (the
    paragraph's break came first); a line broken by ``<br>`` mid-sentence is joined again."""
    doc = article.read(Path("mail.html"), PAGE, "mail.html")
    assert [r.text for r in doc.records] == [
        "What happened.", "Mail stopped at 06:10 UTC", "Outlook failed first.", "Teams at 06:25.",
        "Engineers rolled back a change at 07:02 UTC", "Status.", "Resolved at 08:15 UTC",
        "The status page at noon."]


def test_a_post_body_keeps_its_paragraphs_apart():
    body = "<p>Login is failing since 9:40 ET</p><div>We are on it</div><p>Fixed at 11:05 ET</p>"
    assert posts.html_text(body) == "Login is failing since 9:40 ET\n\nWe are on it\n\nFixed at 11:05 ET"


def test_the_first_meta_of_a_name_counts_and_an_empty_one_gives_way_to_the_next_name():
    html = ('<html><head><meta property="og:title" content="First title">'
            '<meta property="og:title" content="Second title">'
            '<meta property="article:published_time" content="">'
            '<meta name="date" content="2024-02-22T11:30:00Z">'
            '<meta name="date" content="2020-01-01">'
            '<meta property="og:locale" content="de_DE"></head><body><p>Netz gestört.</p></body></html>')
    source = article.read(Path("m.html"), html, "m.html").source
    assert source.title == "First title"
    assert source.published == "2024-02-22T11:30:00Z"
    assert source.locale == "de-DE"


def test_published_names_keep_their_order_whatever_order_the_page_has_them_in():
    html = ('<html><head><meta name="pubdate" content="2021-12-07">'
            '<meta itemprop="datePublished" content="2021-12-07T15:40:00Z"></head><body><p>x.</p></body></html>')
    assert article.read(Path("o.html"), html, "o.html").source.published == "2021-12-07T15:40:00Z"


BLOCKS = ("p", "div", "li", "h2", "dt", "figcaption", "br", "section")
INLINE = ("b", "span", "a")
DROPPED = ("button", "nav", "form", "script")


@st.composite
def markup(draw, depth=0):
    """A fragment of nested blocks, inline tags and text."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0)) + 1):
        kind = draw(st.sampled_from(("text", "block", "inline") if depth < 3 else ("text",)))
        if kind == "text":
            parts.append(draw(st.text(alphabet="ab 9:.", min_size=0, max_size=6)))
        else:
            name = draw(st.sampled_from(BLOCKS + DROPPED if kind == "block" else INLINE))
            parts.append(f"<{name}>" if name == "br" else f"<{name}>{draw(markup(depth + 1))}</{name}>")
    return "".join(parts)


def _text_with_breaks_after(html: str, parser: str) -> str:
    """The oracle: the dropped tags decomposed one by one, each block followed by its break, as a
    string placed after it."""
    soup = BeautifulSoup(html, parser)
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    for tag in soup.find_all(BLOCKS):
        tag.insert_after("\n\n")
        if tag.name in ("li", "h2", "dt", "figcaption"):
            tag.insert_after(".")
    return soup.get_text()


@pytest.mark.parametrize("parser", ["lxml", "html.parser"])  # the article reader's, and its fallback
@settings(max_examples=300, deadline=None)
@given(html=markup())
def test_a_break_as_the_last_child_reads_as_a_break_after_the_block(parser, html):
    soup = BeautifulSoup(html, parser)
    drop_tags(soup.find_all(DROPPED))
    for tag in soup.find_all(BLOCKS):
        end_block(tag, "." if tag.name in ("li", "h2", "dt", "figcaption") else "")
    assert soup.get_text() == _text_with_breaks_after(html, parser)


@pytest.fixture
def looked_up(monkeypatch):
    """The number of siblings of each look-up of a child among its parent's children (``Tag.index``)."""
    sizes = []
    index = Tag.index

    def counting(self, element):
        sizes.append(len(self.contents))
        return index(self, element)

    monkeypatch.setattr(Tag, "index", counting)
    return sizes


def test_a_long_page_is_read_without_looking_each_block_up_among_its_siblings(looked_up):
    """Placing a break after a block looks the block up among its parent's children, one by one:
    3,000 paragraphs in one article made 3,000 look-ups over up to 3,000 siblings (a page of
    12,000 took 6.6 s, of 30,000 over a minute). Now the page's few top nodes are looked up."""
    paragraphs = "".join(f"<p>Checkout failed for shoppers at {i % 24:02d}:{i % 60:02d} UTC.</p>"
                         for i in range(3000))
    doc = article.read(Path("long.html"), f"<html><body><article>{paragraphs}</article></body></html>", "long.html")
    assert len(doc.records) == 3000
    assert len(looked_up) < 20 and max(looked_up, default=0) < 20


def test_a_line_break_reads_as_the_newline_put_in_its_place():
    markup = '<p>Sign-in <b>fails</b><br>since 09:40 ET<br/><span>for</span> some<br><br>users</p><div>x</div>'
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all(["p", "div"]):
        tag.insert_after("\n\n")
    assert posts.html_text(markup) == posts._squash(soup.get_text())
    assert posts.html_text(markup) == "Sign-in fails\nsince 09:40 ET\nfor some\n\nusers\n\nx"


def test_thousands_of_buttons_beside_the_paragraphs_are_dropped_in_one_pass(looked_up):
    """``decompose`` looks each tag up among its siblings: 3,000 share buttons beside 3,000
    paragraphs made 3,000 look-ups over up to 6,000 siblings."""
    body = "".join(f"<p>Card payments failed at {i % 24:02d}:{i % 60:02d} UTC.</p><button>Share</button>"
                   f"<script>track({i})</script>" for i in range(3000))
    doc = article.read(Path("b.html"), f"<html><body><article>{body}</article></body></html>", "b.html")
    assert len(doc.records) == 3000 and not any("Share" in r.text or "track" in r.text for r in doc.records)
    assert len(looked_up) < 20 and max(looked_up, default=0) < 20
