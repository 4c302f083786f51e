"""The article reader: plain text, Markdown and HTML into sentences with their metadata."""
import textwrap
from pathlib import Path

from outagetl.sources import article
from outagetl.sources.text import sentences

HTML = """<!doctype html><html lang="en-GB"><head><title>Bank app down</title>
<meta property="og:locale" content="en_GB">
<meta property="article:published_time" content="2023-03-15T10:05:00+00:00">
<script>var clock = "at 9:99 PM"; alert(1)</script><style>p{}</style></head>
<body><nav>Home | 12:00 News</nav><article><h1>Bank app down for hours</h1>
<p>Customers could not log in from 07:40 on Wednesday.</p>
<p>The bank said at 9.15am that it was <b>investigating</b>.</p></article>
<footer>© 2023</footer></body></html>"""


def test_html_body_metadata_and_no_script(tmp_path):
    doc = article.read(Path("x.html"), HTML, "x.html")
    assert doc.source.published == "2023-03-15T10:05:00+00:00"
    assert doc.source.language == "en-GB" and doc.source.locale == "en-GB"
    assert doc.source.title == "Bank app down"
    texts = [r.text for r in doc.records]
    assert "Customers could not log in from 07:40 on Wednesday." in texts
    assert "The bank said at 9.15am that it was investigating." in texts
    assert not any("9:99" in t or "12:00 News" in t or "©" in t for t in texts)


def test_json_ld_and_time_tag():
    html = ('<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle",'
            '"datePublished":"2021-10-04T20:14:00-04:00"}]}</script></head><body><p>Down.</p></body></html>')
    assert article.read(Path("a.html"), html, "a.html").source.published == "2021-10-04T20:14:00-04:00"
    html = '<html><body><time datetime="2021-10-05">Oct 5</time><p>Back.</p></body></html>'
    assert article.read(Path("b.html"), html, "b.html").source.published == "2021-10-05"


def test_dateline_and_sentence_offsets():
    text = " date 2019-07-03 ADVERTISEMENT\n\nIt broke at 9 a.m. ET and came back.\nThen it broke again."
    doc = article.read(Path("s.txt"), text, "s.txt")
    assert doc.source.published == "2019-07-03"
    for record in doc.records:
        assert text[record.offset:].replace("\n", " ").startswith(record.text[:10])
    assert [r.line for r in doc.records] == [1, 3, 4]


def test_markdown_is_stripped():
    text = "# Incident on **June 2**\n\nSee [the status page](https://x).\n\n> Quoted at 11:45 UTC."
    doc = article.read(Path("m.md"), text, "m.md")
    assert [r.text for r in doc.records] == ["Incident on June 2.", "See the status page.", "Quoted at 11:45 UTC."]


def test_sentences_join_broken_paragraphs_but_keep_headlines():
    text = "Outage hits app\n\nThe outage, which began\n\nat 8 a.m. ET, ended. It said so at 9 p.m. EDT today."
    assert [s for _, s in sentences(text)] == [
        "Outage hits app", "The outage, which began at 8 a.m. ET, ended.", "It said so at 9 p.m. EDT today."]


def test_timeline_lines_are_their_own_records():
    text = "June 2, 2019\n09:47 Initial onset of errors\n09:52 Engineers paged\n- 10:30 Rollback started"
    assert [s for _, s in sentences(text)] == [
        "June 2, 2019", "09:47 Initial onset of errors", "09:52 Engineers paged", "- 10:30 Rollback started"]


def test_a_long_sentence_wrapped_across_lines_stays_one_sentence_with_its_times_whole():
    """Prose wrapped at a fixed width is joined however long its sentence runs (a service credit
    clause, an enumeration of affected services): a cut at its line breaks would part "9:05" from
    the "p.m. Pacific time" on the next line."""
    clause = ("the service credit applies to every customer whose requests to the storage, queueing, "
              "identity, billing, notification, search, analytics and reporting interfaces failed ")
    wrapped = ("\n".join(textwrap.wrap(clause * 12, 72)) + "\nfrom the outage that began at 9:05\n"
               "p.m. Pacific time on March 5, 2024 until it was resolved")
    assert len(wrapped) > 2000
    (only_one,) = sentences(wrapped)
    assert only_one[1] == " ".join(wrapped.split()) and "at 9:05 p.m. Pacific time on March 5" in only_one[1]
