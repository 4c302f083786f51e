"""Italian and Portuguese coverage read end to end, and the engine mechanisms those languages
needed: a zone written after the whole expression ("alle 10.40, ora italiana"), a count elided
onto its unit ("un'ora dopo"), and day-first dates for a language read from the text. The stories
are written here in the style of each country's press; every expected UTC time is worked out by
hand in the comment beside it."""
from __future__ import annotations

from datetime import date

from story_helpers import build_story, kinds

from outagetl.events import classify
from outagetl.timeparse import find
from outagetl.timeparse.anchor import region_for_token
from outagetl.timeparse.extract import all_times_zone


def build(tmp_path, name: str, text: str, manifest: str | None = None) -> dict:
    return build_story(tmp_path, {name: text}, manifest)


# --- a zone written after the whole expression ---------------------------------------------------

def test_zone_after_a_comma_belongs_to_the_time():
    (e,) = find("Il guasto è iniziato intorno alle 10.40, ora italiana, secondo l'operatore.", "it")
    assert (e.hour, e.minute, e.zone) == (10, 40, "ora italiana")
    assert e.text == "intorno alle 10.40, ora italiana"


def test_zone_after_the_date_that_follows_the_time():
    # the time, then its weekday, then the zone: the zone is the time's
    (e,) = find("confermando l'interruzione all'1:30 di venerdì, orario della costa est americana.", "it")
    assert (e.hour, e.minute, e.weekday, e.zone) == (1, 30, 4, "orario della costa est americana")
    (p,) = find("A falha começou à 1h30 de sexta-feira (horário da costa leste dos EUA).", "pt")
    assert (p.hour, p.minute, p.weekday, p.zone) == (1, 30, 4, "horário da costa leste dos EUA")


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
    (e,) = find("às 10h52 de sexta-feira (Windows/Linux)", "pt")
    assert e.zone is None
    (e,) = find("às 10h52 de sexta-feira (UTC)", "pt")
    assert e.zone == "UTC"


# --- a hedge inside the expression --------------------------------------------------------------

def test_a_hedge_between_the_date_and_the_time_is_the_times():
    (de,) = find("Der Dienst fiel am Freitag gegen 10 Uhr aus.", "de")
    assert (de.weekday, de.hour, de.hedges) == (4, 10, ("about",))
    (pt,) = find("Ontem, pelas 20h30, a rede voltou a funcionar.", "pt")
    assert (pt.relday, pt.hour, pt.minute, pt.hedges) == ("ontem", 20, 30, ("about",))
    (it,) = find("Il servizio è tornato ieri, verso le 21.", "it")
    assert (it.relday, it.hour, it.hedges) == ("ieri", 21, ("about",))
    # a word that changes nothing ("at") stays out, and a hedge before the date is not counted twice
    (en,) = find("on Wednesday at 9:18 the site failed", "en")
    assert en.hedges == ()
    (es,) = find("verso le 9 di venerdì", "it")
    assert es.hedges == ("about",)


# --- a negated milestone outweighs the outage's own name ----------------------------------------

def test_a_negated_milestone_is_an_update_even_beside_the_outages_name():
    # the noun naming the outage ("guasto", "falha", "故障") gives "start" only when nothing else
    # is said; "not yet repaired" is said
    for lang, text in [("it", "Alle 17 il guasto non era ancora stato riparato."),
                       ("pt", "Às 18h a falha ainda não tinha sido resolvida."),
                       ("zh", "截至晚上8点，故障尚未排除。")]:
        (e,) = find(text, lang)
        assert classify(text, e.start, e.end, lang=lang) == "update", text
    for lang, text in [("it", "Guasto alle 9 sulla linea."), ("pt", "Falha às 9h no sistema do banco.")]:
        (e,) = find(text, lang)
        assert classify(text, e.start, e.end, lang=lang) == "start", text


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
    assert _declared("Todos os horários são de Brasília.", "pt") == "America/Sao_Paulo"
    assert _declared("Todas as horas são de Lisboa.", "pt") == "Europe/Lisbon"
    assert _declared("Os horários de funcionamento das agências mudaram.", "pt") is None


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


BRAZILIAN = """O aplicativo do banco ficou instável no dia 05/03/2024. Todos os horários são de Brasília.
Segundo o Downdetector, a instabilidade começou por volta das 14h10.
Às 15h02, o banco confirmou a falha em nota.
Às 16h, o serviço ainda não tinha sido restabelecido.
O serviço foi normalizado às 16h40, informou a empresa.
"""


def test_a_brazilian_story_read_with_its_language_detected(tmp_path):
    # no manifest: the language is read from the words, the zone from "Todos os horários são de
    # Brasília" (UTC-3, no summer time since 2019), and 05/03 is day-first (5 March) although the
    # zone is in the Americas: 14h10 → 17:10Z, 15h02 → 18:02Z, 16h → 19:00Z (not yet restored: an
    # update), 16h40 → 19:40Z
    out = build(tmp_path, "banco.txt", BRAZILIAN)
    source = out["sources"][0]
    assert (source["language"], source["zone"]) == ("pt", "America/Sao_Paulo")
    assert kinds(out) == [
        ("start", "2024-03-05T17:10:00Z"),
        ("acknowledged", "2024-03-05T18:02:00Z"),
        ("update", "2024-03-05T19:00:00Z"),
        ("resolved", "2024-03-05T19:40:00Z"),
    ]


PORTUGUESE = """Um apagão afetou toda a Península Ibérica na segunda-feira, 28 de abril de 2025.
A falha de energia deu-se pelas 11h33 (hora de Lisboa), segundo a REN.
O abastecimento foi reposto em Lisboa às 23h10.
"""


def test_a_story_that_names_a_zone_other_than_its_outlets(tmp_path):
    # a Brazilian outlet (pinned to São Paulo) quoting Lisbon time: Lisbon is on WEST (UTC+1) on
    # 28 April 2025, so 11h33 → 10:33Z; "às 23h10" has no zone of its own and the Lisbon zone
    # written earlier in the paragraph carries to it (not the outlet's UTC-3): 23:10 → 22:10Z
    out = build(tmp_path, "apagao.txt", PORTUGUESE,
                '[[source]]\npath = "apagao.txt"\npublished = "2025-04-29"\ntimezone = "America/Sao_Paulo"\nlanguage = "pt"\n')
    got = kinds(out)
    assert ("start", "2025-04-28T10:33:00Z") in got
    assert ("resolved", "2025-04-28T22:10:00Z") in got


def test_a_withdrawn_time_is_not_a_claim(tmp_path):
    # 8 in Rome on 5 March is 07:00Z: that time must not become an event
    text = ("In una versione precedente di questo articolo si indicava che il disservizio era iniziato alle 8.\n"
            "Il disservizio è iniziato alle 9.20.\n")
    out = build(tmp_path, "rettifica.txt", text,
                '[[source]]\npath = "rettifica.txt"\npublished = "2024-03-05"\ntimezone = "Europe/Rome"\nlanguage = "it"\n')
    assert kinds(out) == [("start", "2024-03-05T08:20:00Z")]
    reasons = [s["reason"] for s in out["sources"][0]["skipped"]]
    assert any("withdrawn" in r for r in reasons)
