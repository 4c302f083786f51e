"""Page furniture: a page's own publication and update stamps, bylines, reading times and share
counts date the page and are never events; a stamp still gives the page's date when its metadata
gives none. Every sample and negative of ``data/furniture.toml`` is walked; the pages below are
written here in the styles of real coverage (three variants per behaviour, with negatives), and
each expected value is worked out by hand from the page.
"""
import importlib
import json

import pytest

from outagetl.model import Furniture
from outagetl.sources.furniture import stamp
from outagetl.tables import load

from conftest import ok

TABLE = load("furniture")
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "ja", "zh")


def _kind(line: str) -> str | None:
    found = stamp(line)
    if found is None:
        return None
    if not found.labelled:
        return "head"
    return "updated" if found.kind is Furniture.UPDATED else "published"


@pytest.mark.parametrize("line, want", sorted(TABLE["samples"].items()))
def test_samples(line, want):
    assert _kind(line) == want


@pytest.mark.parametrize("line", TABLE["negatives"]["texts"])
def test_negatives(line):
    assert stamp(line) is None


def test_every_language_has_its_words():
    for lang in LANGUAGES:
        table = TABLE[lang]
        assert table["published"] and table["updated"] and table["bylines"] and table["reading"], lang


def test_weekday_table_agrees_with_dateparser():
    """The weekday names are taken from dateparser's CLDR-derived data, not typed by hand."""
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for lang, words in load("languages")["weekdays"].items():
        info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
        assert set(words) == {w.lower().rstrip(".") for d in days for w in info[d]}, lang
    assert set(load("languages")["weekdays"]) == set(LANGUAGES)


def _build(tmp_path, name: str, text: str, *args) -> dict:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return json.loads(ok("build", tmp_path / name, "--format", "json", *args).stdout)


# Three pages in the styles of German, US wire and Japanese coverage: the stamps and bylines at
# their heads are furniture, the statements below them are events.
PAGES = [
    ("de.txt",
     " date 2024-03 Aktualisiert am 05.03.2024 - 14:10 Uhr\n\n"
     "Stellwerksstörung legt Bahnknoten lahm\n\nAktualisiert am 05.03.2024 - 14:10 Uhr Lesedauer: 3 Min.\n\n"
     "Die Störung begann am Dienstag gegen 06:10 Uhr, teilte die Bahn mit. Alle Stellwerke arbeiten "
     "nach Angaben des Konzerns wieder normal.\n",
     # 05.03.2024 14:10 in Berlin (CET, UTC+1) = 13:10Z; 06:10 CET = 05:10Z
     ("2024-03-05T14:10", ["2024-03-05T05:10:00Z"], "2024-03-05T13:10:00Z")),
    ("wire.txt",
     "After outage, carrier says its network is restored\n\nBy Dana Whitfield The Associated Press\n"
     "March 5, 2024 - 6:41 am\n \nUpdated March 5, 2024 - 2:10 pm\n\n"
     "The carrier said service began failing at about 3:30 a.m. ET on Tuesday. It said every line "
     "was working again by 11 a.m. ET.\n",
     # 6:41 am (no zone written; the story's zone is ET from its other times: EST, UTC-5) = 11:41Z
     ("2024-03-05T06:41", ["2024-03-05T08:30:00Z", "2024-03-05T16:00:00Z"], "2024-03-05T11:41:00Z")),
    ("ja.txt",
     "通信障害、全国で復旧 緊急会見で判明したこと\n\n» 2024年03月05日 18時30分 公開\n[山田花子ITmedia]\n\n"
     "通信障害は5日午前6時10分ごろに発生した。同社によると、午後3時に全国で復旧した。\n",
     # 18:30 JST = 09:30Z; 06:10 JST = 21:10Z on the 4th; 15:00 JST = 06:00Z
     ("2024-03-05T18:30", ["2024-03-04T21:10:00Z", "2024-03-05T06:00:00Z"], "2024-03-05T09:30:00Z")),
]


@pytest.mark.parametrize("name, text, want", PAGES, ids=[p[0] for p in PAGES])
def test_furniture_dates_the_page_and_is_never_an_event(tmp_path, name, text, want):
    published, event_times, stamp_time = want
    doc = _build(tmp_path, name, text)
    [source] = doc["sources"]
    assert source["published"] == published
    times = [e["time"] for e in doc["events"]]
    assert stamp_time not in times
    for t in event_times:
        assert t in times
    reasons = [s["reason"] for s in source["skipped"]]
    assert any("publication or update stamp" in r for r in reasons)


# A publication stamp is trusted before an update stamp for the page's date, whichever comes first.
@pytest.mark.parametrize("text, published", [
    ("Updated March 6, 2024 - 8:05 am\nPublished March 5, 2024 - 9:41 pm\n\nThe app failed at 9:10 p.m. ET.\n",
     "2024-03-05T21:41"),
    ("Atualizado em 06/03/2024 às 08h05\nPublicado em 05/03/2024 às 21h41\n\nA rede caiu em todo o país.\n",
     "2024-03-05T21:41"),
    ("Aggiornato il 06/03/2024 alle 08:05\nPubblicato il 05/03/2024 alle 21:41\n\nLa rete è caduta in tutta Italia.\n",
     "2024-03-05T21:41"),
])
def test_a_publication_stamp_is_preferred_to_an_update_stamp(tmp_path, text, published):
    doc = _build(tmp_path, "page.txt", text)
    assert doc["sources"][0]["published"] == published


def test_relative_words_resolve_against_the_stamp(tmp_path):
    # No metadata: the only date is the update stamp, so "heute" is 5 March 2024 (CET): 07:20 → 06:20Z.
    text = "Aktualisiert am 05.03.2024, 14:10 Uhr\n\nDas Netz fiel heute um 07:20 Uhr aus, sagte ein Sprecher.\n"
    doc = _build(tmp_path, "page.txt", text, "--tz", "Europe/Berlin")
    assert [e["time"] for e in doc["events"]] == ["2024-03-05T06:20:00Z"]


# Further down a page, a bare date line may be an update of a status history: it stays a claim.
@pytest.mark.parametrize("text, time", [
    ("Example Cloud Status\n\nThis page lists incidents. Check back for updates to each one.\n\n"
     "Date Time Description\nMar 07, 2024 10:15\n\nISSUE SUMMARY\n\nA network change caused packet loss.\n",
     "2024-03-07T10:15:00Z"),
    ("Incident report\n\nWe restored service after a storage fault. The details follow below.\n\n"
     "2024-03-07 10:15\nStorage nodes were replaced and the backlog was processed.\n",
     "2024-03-07T10:15:00Z"),
    ("Störungsbericht\n\nDie Störung ist behoben. Hier folgt der Verlauf der Meldungen.\n\n"
     "07.03.2024 10:15\nDie Techniker haben den Fehler gefunden.\n",
     "2024-03-07T09:15:00Z"),  # a German page is read in Berlin time (CET, UTC+1), whatever --tz says
])
def test_a_bare_stamp_in_the_body_stays_an_event(tmp_path, text, time):
    doc = _build(tmp_path, "page.txt", text, "--tz", "UTC")
    assert time in [e["time"] for e in doc["events"]]


# Negatives: a statement that begins like a stamp is a statement.
@pytest.mark.parametrize("text, time", [
    ("Published March 5, 2024\n\nUpdated at 14:10 UTC: the carrier says every line is working again.\n",
     "2024-03-05T14:10:00Z"),
    ("Published March 5, 2024\n\nUpdate at 14:10 UTC on March 5.\n\nEvery line is working again, the carrier said.\n",
     "2024-03-05T14:10:00Z"),
    ("Veröffentlicht am 05.03.2024\n\nAm 05.03.2024 um 09:41 Uhr fiel das Netz der Bahn in ganz Bayern aus.\n",
     "2024-03-05T08:41:00Z"),
])
def test_a_statement_that_starts_like_a_stamp_is_an_event(tmp_path, text, time):
    doc = _build(tmp_path, "page.txt", text, "--tz", "Europe/Berlin")
    assert time in [e["time"] for e in doc["events"]]


def test_html_stamp_in_the_article_body(tmp_path):
    html = ('<html lang="de"><body><article><h1>Netzstörung</h1>'
            '<p class="meta">Von Lena Vogt | Aktualisiert am 05.03.2024, 14:10 Uhr | 3 Min. Lesezeit</p>'
            '<p>Die Störung begann am Dienstag um 06:10 Uhr und dauerte bis 09:30 Uhr.</p></article></body></html>')
    doc = _build(tmp_path, "page.html", html)
    assert doc["sources"][0]["published"] == "2024-03-05T14:10"
    # 06:10 and 09:30 CET = 05:10Z and 08:30Z; the stamp's 14:10 (13:10Z) is not an event
    assert sorted(e["time"] for e in doc["events"]) == ["2024-03-05T05:10:00Z", "2024-03-05T08:30:00Z"]
