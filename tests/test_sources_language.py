"""The language of each source (declared first, else read from the text) and of each record that
is in another language than its source."""
import json
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from outagetl.cli import main
from outagetl.model import LanguageRule, Record, Source, SourceDoc
from outagetl.pipeline import Options, build, read_all
from outagetl.sources import article, language
from outagetl.sources.language import assign, detect, record_language
from outagetl.tables import load

from conftest import ROOT

NEWS = tomllib.loads((ROOT / "tests" / "data" / "lang" / "news.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", sorted(NEWS))
def test_short_news_sentences_are_told_apart(lang):
    """40 one-sentence records per language, written in each country's press style."""
    wrong = [(text, found) for text in NEWS[lang] if (found := (detect(text) or ("none",))[0]) != lang]
    assert len(wrong) <= 1, wrong


def _doc(text: str, records: list[str] | None = None, **source) -> SourceDoc:
    records = records if records is not None else [text]
    return SourceDoc(Source(path="s.txt", **source),
                     tuple(Record("s.txt", i, t) for i, t in enumerate(records)), text=text)


def test_html_lang_is_declared_and_its_region_kept_as_the_locale():
    html = ('<html lang="de-CH"><body><p>Am Freitag fiel das Netz aus.</p>'
            '<p>Gegen Mittag war die Störung behoben.</p></body></html>')
    doc = assign(article.read(Path("a.html"), html, "a.html"))
    assert (doc.source.language, doc.source.locale, doc.source.language_rule) == ("de", "de-CH", LanguageRule.DECLARED_HTML_LANG)


def test_og_locale_alone_declares_the_language():
    html = ('<html><head><meta property="og:locale" content="pt_BR"></head><body>'
            '<p>A falha começou às 10h52.</p></body></html>')
    doc = assign(article.read(Path("a.html"), html, "a.html"))
    assert (doc.source.language, doc.source.locale, doc.source.language_rule) == ("pt", "pt-BR", LanguageRule.DECLARED_OG_LOCALE)


def test_the_manifest_declares_and_wins_over_the_page(tmp_path):
    (tmp_path / "story.html").write_text(
        '<html lang="en"><body><p>La panne a commencé vers 9h ce mardi matin, selon l\'opérateur.</p></body></html>',
        encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\npath = "story.html"\nlanguage = "fr"\n', encoding="utf-8")
    docs, errors = read_all([str(tmp_path)], Options())
    assert not errors
    assert (docs[0].source.language, docs[0].source.language_rule) == ("fr", LanguageRule.DECLARED_MANIFEST)


def test_a_text_plain_in_its_function_words_is_told_without_loading_the_model(monkeypatch):
    monkeypatch.setattr(language, "_identifier", lambda: pytest.fail("the model was loaded"))
    text = " ".join(NEWS["de"][:6])
    doc = assign(_doc(text, NEWS["de"][:6]))
    assert (doc.source.language, doc.source.language_rule) == ("de", LanguageRule.DETECTED_WORDS)
    assert all(r.language is None for r in doc.records)


def test_the_model_is_let_go_once_the_sources_are_read(tmp_path):
    """The detector's model (some 75 MB) serves the reading stage only: once ``read_all`` has told
    every source's language it is released, and a later story loads it again when it needs it."""
    (tmp_path / "kunden.txt").write_text("Kunden konnten weder telefonieren noch im Internet surfen.\n", encoding="utf-8")
    docs, errors = read_all([str(tmp_path)], Options())
    assert errors == [] and [d.source.language_rule for d in docs] == [LanguageRule.DETECTED_TEXT]
    assert language._identifier.cache_info().currsize == 0
    again = assign(_doc("Kunden konnten weder telefonieren noch im Internet surfen."))
    assert (again.source.language, again.source.language_rule) == ("de", LanguageRule.DETECTED_TEXT)
    assert language._identifier.cache_info().currsize == 1


def test_a_short_undeclared_text_is_told_by_the_detector():
    doc = assign(_doc("Kunden konnten weder telefonieren noch im Internet surfen."))
    assert (doc.source.language, doc.source.language_rule) == ("de", LanguageRule.DETECTED_TEXT)


@pytest.mark.parametrize("text,lang", sorted(load("languages")["samples"].items()))
def test_language_samples(text, lang):
    assert detect(text)[0] == lang


def test_no_function_word_is_listed_for_two_languages():
    lists = load("languages")["function_words"]
    seen = {}
    for lang, words in lists.items():
        for word in words:
            assert seen.setdefault(word, lang) == lang, (word, lang, seen[word])
    assert set(lists) | {"ja", "zh"} == set(load("languages")["supported"])


@pytest.mark.parametrize("text,lang", [
    ("2日午前1時35分ごろから通信障害が発生した。復旧の見通しは立っていない。", "ja"),
    ("北京时间晚上20点左右，故障已经基本排除。目前原因仍在调查中。", "zh"),
])
def test_japanese_and_chinese_are_told_by_their_script_without_loading_the_model(monkeypatch, text, lang):
    monkeypatch.setattr(language, "_identifier", lambda: pytest.fail("the model was loaded"))
    doc = assign(_doc(text))
    assert (doc.source.language, doc.source.language_rule) == (lang, LanguageRule.DETECTED_SCRIPT)


def test_a_declaration_the_text_plainly_contradicts_gives_way_and_stays_the_locale():
    """A translated story whose manifest names its outlet's language: read in the text's language,
    and the declaration still says where the outlet is (its zone, its date order)."""
    text = " ".join(NEWS["en"][:12])
    doc = assign(_doc(text, language="it", language_rule=LanguageRule.DECLARED_MANIFEST))
    assert (doc.source.language, doc.source.locale, doc.source.language_rule) == ("en", "it", LanguageRule.DETECTED_OVER_DECLARED)


def test_a_short_text_does_not_overrule_its_declaration():
    doc = assign(_doc("Service restored at 14:05.", language="es", language_rule=LanguageRule.DECLARED_MANIFEST))
    assert (doc.source.language, doc.source.language_rule) == ("es", LanguageRule.DECLARED_MANIFEST)


def test_a_declared_language_without_a_grammar_is_kept():
    text = "De storing begon vrijdagochtend rond zes uur en duurde tot de middag, meldde de provider in een verklaring."
    doc = assign(_doc(text, language="nl", language_rule=LanguageRule.DECLARED_HTML_LANG))
    assert doc.source.language == "nl"
    assert all(r.language is None for r in doc.records)


def test_nothing_to_tell_from_gives_the_default():
    doc = assign(_doc("12:04 - 13:15", ["12:04 - 13:15"]))
    assert (doc.source.language, doc.source.language_rule) == ("en", LanguageRule.DEFAULT)


def test_an_english_tweet_in_a_french_story_is_read_in_english():
    records = [
        "La panne a commencé vers 9h ce mardi matin, selon plusieurs abonnés.",
        "We are aware of an issue affecting some customers and are working on a fix.",
        "Le service a été rétabli peu après 15h30, a indiqué l'opérateur.",
        "Mise à jour 10h",
    ]
    doc = assign(_doc(" ".join(records), records, language="fr", language_rule=LanguageRule.DECLARED_HTML_LANG))
    assert [r.language for r in doc.records] == [None, "en", None, None]


def test_english_quotes_in_a_chinese_blog_are_english_and_its_kanji_headline_stays():
    records = [
        "GitHub 昨晚出现了严重故障，北京时间晚上20点左右故障已经基本排除。",
        "At 10:52 pm Sunday UTC, multiple services were affected by a network partition and database failure.",
        "服务器故障",
    ]
    doc = assign(_doc(" ".join(records), records))
    assert doc.source.language == "zh"
    assert [r.language for r in doc.records] == [None, "en", None]


def test_kanji_only_records_in_a_japanese_story_stay_japanese_and_kana_is_never_chinese():
    assert record_language("通信障害発生", "ja") == "ja"
    assert record_language("通信障害が発生した", "zh") == "ja"
    assert record_language("服务器故障", "en") == "zh"


def test_a_record_too_short_to_tell_keeps_its_source_language():
    assert record_language("Jul 2, 2019", "de") == "de"
    assert record_language("Mise à jour", "en") == "en"


def test_logs_are_left_alone():
    doc = _doc("Jul  3 12:00:01 host sshd[1]: error", type="log")
    assert assign(doc).source.language is None


def test_a_detected_english_says_nothing_of_the_date_order(tmp_path):
    """A UK story's "7/3/2019" is 7 March: "en" read from the text is the US and the UK alike, so
    only a declared locale may make numeric dates month-first."""
    (tmp_path / "story.txt").write_text(
        "The network went down on 7/3/2019 at 10:00 and engineers worked through the night to restore it.\n",
        encoding="utf-8")
    timeline = build([str(tmp_path)], Options(source_tz=("story.txt=Europe/London",))).timeline
    assert timeline.sources[0].source.language == "en"
    assert [e.span.best.date() for e in timeline.events] == [date(2019, 3, 7)]


@pytest.mark.parametrize("text,rule", [
    # six German function words (die, am, um, und, bis, zum) and none of another language's
    ("Die Störung begann am Freitag um 06:09 Uhr und dauerte bis zum Mittag.", "detected:words"),
    # two (uhr, noch): too few to tell by words, so the detector tells it
    ("Kunden konnten ab 06:09 Uhr weder telefonieren noch surfen.", "detected:text"),
])
def test_the_json_contract_says_how_the_language_was_chosen(tmp_path, text, rule):
    (tmp_path / "a.txt").write_text(text + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--format", "json"])
    source = json.loads(result.stdout)["sources"][0]
    assert (source["language"], source["language_rule"], source["locale"]) == ("de", rule, None)


@pytest.mark.parametrize("text,lang", [
    ("Desde las 07:40 los clientes no pudieron pagar y el servicio volvió hacia las 10:05.", "es"),
    ("Les clients n'ont pas pu payer depuis 7h40 et le service est revenu vers 10h05.", "fr"),
    ("I clienti non hanno potuto pagare dalle 7.40 e il servizio è tornato alle 10.05 della mattina.", "it"),
])
def test_a_short_text_with_five_function_words_of_one_language_and_none_of_another_is_told_by_them(
        monkeypatch, text, lang):
    monkeypatch.setattr(language, "_identifier", lambda: pytest.fail("the model was loaded"))
    assert detect(text)[::2] == (lang, LanguageRule.DETECTED_WORDS)


def test_records_are_checked_one_by_one_when_the_text_holds_another_languages_words(monkeypatch):
    quote = "Der Dienst ist seit dem Morgen nicht erreichbar und die Kunden warten noch immer auf eine Antwort."
    english = ["The outage began at 9:10 UTC and it was fixed by noon, the company said in a statement.",
               "Engineers were still working on the cause of the failure in the evening, they said."]
    doc = assign(_doc(" ".join([*english, quote]), [*english, quote]))
    assert doc.source.language == "en"
    assert [r.language for r in doc.records] == [None, None, "de"]


def test_the_detector_is_not_imported_to_start_the_cli():
    code = "import sys, outagetl.cli; print('py3langid' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
