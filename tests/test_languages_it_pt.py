"""Italian and Portuguese coverage read end to end, and the engine mechanisms those languages
needed: a zone written after the whole expression ("alle 10.40, ora italiana") and a count elided
onto its unit ("un'ora dopo"). The stories
are written here in the style of each country's press; every expected UTC time is worked out by
hand in the comment beside it."""
from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from outagetl.cli import main
from outagetl.timeparse import find
from outagetl.timeparse.anchor import region_for_token
from outagetl.timeparse.extract import all_times_zone


def build(tmp_path, name: str, text: str, manifest: str | None = None) -> dict:
    (tmp_path / name).write_text(text, encoding="utf-8")
    if manifest is not None:
        (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def kinds(out: dict) -> list[tuple[str, str]]:
    return [(e["kind"], e["time"]) for e in out["events"]]


# --- a zone written after the whole expression ---------------------------------------------------

def test_zone_after_a_comma_belongs_to_the_time():
    (e,) = find("Il guasto è iniziato intorno alle 10.40, ora italiana, secondo l'operatore.", "it")
    assert (e.hour, e.minute, e.zone) == (10, 40, "ora italiana")
    assert e.text == "intorno alle 10.40, ora italiana"


def test_zone_after_the_date_that_follows_the_time():
    # the time, then its weekday, then the zone: the zone is the time's
    (e,) = find("confermando l'interruzione all'1:30 di venerdì, orario della costa est americana.", "it")
    assert (e.hour, e.minute, e.weekday, e.zone) == (1, 30, 4, "orario della costa est americana")


def test_the_same_holds_in_english_and_covers_a_range():
    (e,) = find("Service failed at 9:18 a.m. on Wednesday, Eastern time, the company said.", "en")
    assert e.zone == "Eastern time"
    start, end = find("dalle 6.09 alle 7.27, ora di Londra", "it")
    assert (start.zone, end.zone, start.zone_shared) == ("ora di Londra", "ora di Londra", True)


def test_a_comma_does_not_make_a_region_word_or_an_abbreviation_a_zone():
    # "Pacific" after a comma is a place; letters after a comma may be anything ("ET" the company)
    (e,) = find("At 10:00, Pacific islanders lost power.", "en")
    assert e.zone is None
    (e,) = find("at 10:00, ET said its engineers were investigating", "en")
    assert e.zone is None
    # in brackets, only a real IANA name counts ("(Windows/Linux)" is not a zone)
    (e,) = find("alle 10.52 di venerdì (Windows/Linux)", "it")
    assert e.zone is None
    (e,) = find("alle 10.52 di venerdì (UTC)", "it")
    assert e.zone == "UTC"


# --- counts elided onto their unit -------------------------------------------------------------

def test_elided_count_and_unit_are_a_relative_time():
    (a,) = find("Un'ora dopo il sito era di nuovo online.", "it")
    assert a.relative == 60
    (b,) = find("Mezz’ora dopo è arrivata la conferma.", "it")
    assert b.relative == 30
    (c,) = find("Circa un'ora dopo", "it")
    assert (c.relative, c.hedges) == (60, ("circa",))
    # and a comparison is still not a time
    assert find("più di un'ora dopo", "it") == []


# --- "all times are ..." -------------------------------------------------------------------------

def _declared(text: str, lang: str) -> str | None:
    token = all_times_zone(text, lang)
    return token and region_for_token(token, date(2024, 7, 19))[0]


def test_all_times_statements():
    assert _declared("Tutti gli orari sono in ora italiana.", "it") == "Europe/Rome"
    assert _declared("Gli orari indicati sono italiani.", "it") == "Europe/Rome"


# --- whole stories -------------------------------------------------------------------------------

ITALIAN = """Un guasto alla rete fissa ha lasciato senza connessione migliaia di clienti in tutta Italia.
Il disservizio è iniziato intorno alle 9.20, secondo le segnalazioni raccolte sui social.
Alle 10.05 l'operatore ha confermato il problema con un messaggio ai clienti.
Intorno alle 12 la linea è stata parzialmente ripristinata nel Nord.
Il servizio è tornato a funzionare in tutta Italia alle 14.30.
"""


def test_an_italian_story(tmp_path):
    # Tuesday 5 March 2024, Italy on CET (UTC+1): 9.20 → 08:20Z, 10.05 → 09:05Z, 12 → 11:00Z, 14.30 → 13:30Z
    out = build(tmp_path, "rete.txt", ITALIAN,
                '[[source]]\npath = "rete.txt"\npublished = "2024-03-05T18:00:00+01:00"\nlanguage = "it"\n')
    assert kinds(out) == [
        ("start", "2024-03-05T08:20:00Z"),
        ("acknowledged", "2024-03-05T09:05:00Z"),
        ("mitigated", "2024-03-05T11:00:00Z"),
        ("resolved", "2024-03-05T13:30:00Z"),
    ]
    assert out["sources"][0]["zone"] == "Europe/Rome"


def test_a_withdrawn_time_is_not_a_claim(tmp_path):
    # 8 in Rome on 5 March is 07:00Z: that time must not become an event
    text = ("In una versione precedente di questo articolo si indicava che il disservizio era iniziato alle 8.\n"
            "Il disservizio è iniziato alle 9.20.\n")
    out = build(tmp_path, "rettifica.txt", text,
                '[[source]]\npath = "rettifica.txt"\npublished = "2024-03-05"\ntimezone = "Europe/Rome"\nlanguage = "it"\n')
    assert kinds(out) == [("start", "2024-03-05T08:20:00Z")]
    reasons = [s["reason"] for s in out["sources"][0]["skipped"]]
    assert any("withdrawn" in r for r in reasons)
