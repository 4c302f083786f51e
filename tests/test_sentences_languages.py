"""The sentence splitter in each language outagetl reads: German ordinal dots, abbreviations in
five languages, accented capitals and Spanish ¿¡, Japanese and Chinese full stops with no space."""
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outagetl.sources.text import sentences
from outagetl.tables import load


def split(text: str) -> list[str]:
    return [s for _, s in sentences(text)]


@pytest.mark.parametrize("text,expected", [
    # German: a day number's dot before a month is an ordinal; "z. B.", "ca.", "bzw." are not ends.
    ("Die Störung begann am 19. Juli gegen 6 Uhr. Am Abend war sie behoben.",
     ["Die Störung begann am 19. Juli gegen 6 Uhr.", "Am Abend war sie behoben."]),
    ("Seit dem 3. Oktober 2023 gilt die neue Regel. Die Telekom bestätigte das.",
     ["Seit dem 3. Oktober 2023 gilt die neue Regel.", "Die Telekom bestätigte das."]),
    ("Freitag, 19. Jul. 2024: Betroffen waren ca. 8.500 Kunden in Berlin. Der Anbieter entschuldigte sich.",
     ["Freitag, 19. Jul. 2024: Betroffen waren ca. 8.500 Kunden in Berlin.", "Der Anbieter entschuldigte sich."]),
    ("Mehrere Netze, z. B. Mobilfunk und Festnetz, fielen aus. Über Nacht lief alles wieder.",
     ["Mehrere Netze, z. B. Mobilfunk und Festnetz, fielen aus.", "Über Nacht lief alles wieder."]),
    ("Das Update wurde bzw. wird zurückgezogen. Ärger gab es trotzdem.",
     ["Das Update wurde bzw. wird zurückgezogen.", "Ärger gab es trotzdem."]),
    ("Der Dienst lief wieder ab 15:30 Uhr. Danach gab der Konzern Entwarnung.",
     ["Der Dienst lief wieder ab 15:30 Uhr.", "Danach gab der Konzern Entwarnung."]),
    ("Die Zahl der Meldungen stieg bis 12. Dann fiel sie.", ["Die Zahl der Meldungen stieg bis 12.", "Dann fiel sie."]),
    # French: "M.", "env.", "juil." are not ends; a sentence may start with À, É or «.
    ("Le service a été rétabli vers 15h30. À 18 heures, un nouveau point sera fait.",
     ["Le service a été rétabli vers 15h30.", "À 18 heures, un nouveau point sera fait."]),
    ("Selon M. Dupont, la panne a duré env. 3 heures. « Nous sommes désolés », a-t-il dit.",
     ["Selon M. Dupont, la panne a duré env. 3 heures.", "« Nous sommes désolés », a-t-il dit."]),
    ("Le 1er juil. 2024, le réseau est tombé. État des lieux ce matin.",
     ["Le 1er juil. 2024, le réseau est tombé.", "État des lieux ce matin."]),
    # Spanish: ¿ and ¡ open a sentence; "Sr.", "aprox." do not end one.
    ("El servicio volvió a las 10.30 horas. ¿Qué falló? Telefónica no lo ha explicado.",
     ["El servicio volvió a las 10.30 horas.", "¿Qué falló?", "Telefónica no lo ha explicado."]),
    ("Según el Sr. López, la caída duró aprox. 2 horas. Ángel Pérez lo confirmó. ¡Por fin!",
     ["Según el Sr. López, la caída duró aprox. 2 horas.", "Ángel Pérez lo confirmó.", "¡Por fin!"]),
    # Italian: "dott.", "sig." are not ends; È starts a sentence.
    ("Secondo il dott. Rossi il guasto è durato circa 2 ore. È stato risolto in serata.",
     ["Secondo il dott. Rossi il guasto è durato circa 2 ore.", "È stato risolto in serata."]),
    ("Lo ha confermato il sig. Bianchi alle 10.40. Nessun dato è andato perso.",
     ["Lo ha confermato il sig. Bianchi alle 10.40.", "Nessun dato è andato perso."]),
    # Portuguese: "Dra." is not an end; Às starts a sentence.
    ("A falha começou às 10h52. Às 18h o serviço ainda apresentava instabilidade.",
     ["A falha começou às 10h52.", "Às 18h o serviço ainda apresentava instabilidade."]),
    ("Segundo a Dra. Silva, o sistema voltou. O Procon foi acionado.",
     ["Segundo a Dra. Silva, o sistema voltou.", "O Procon foi acionado."]),
    # Japanese and Chinese: 。！？ end a sentence without a space; a quote's 。 before 」と stays inside.
    ("2日午前1時35分ごろから通信障害が発生した。同社は3日夕方、復旧作業が完了したと発表した。",
     ["2日午前1時35分ごろから通信障害が発生した。", "同社は3日夕方、復旧作業が完了したと発表した。"]),
    ("社長は「ご迷惑をおかけした。」と述べた。復旧は4日になる見込みだ！",
     ["社長は「ご迷惑をおかけした。」と述べた。", "復旧は4日になる見込みだ！"]),
    ("「復旧した。」同社はそう説明した。", ["「復旧した。」", "同社はそう説明した。"]),
    ("北京时间晚上20点左右，故障已经基本排除。并在一小时后所有数据存储恢复正常。原因是什么？",
     ["北京时间晚上20点左右，故障已经基本排除。", "并在一小时后所有数据存储恢复正常。", "原因是什么？"]),
    ("故障已经恢复。At 10:52 pm UTC, services were affected. 我下午登录后显示502错误。",
     ["故障已经恢复。", "At 10:52 pm UTC, services were affected.", "我下午登录后显示502错误。"]),
])
def test_sentences_in_each_language(text, expected):
    assert split(text) == expected


def test_a_paragraph_broken_before_a_lowercase_accented_word_is_joined():
    text = "Die Störung dauerte bis zum Abend und\nüberraschte viele Kunden. Danach lief alles."
    assert split(text) == ["Die Störung dauerte bis zum Abend und überraschte viele Kunden.", "Danach lief alles."]


def test_a_latin_line_after_a_chinese_full_stop_is_not_joined_to_it():
    assert split("故障已经恢复。\n\nat least the status page said so.") == ["故障已经恢复。", "at least the status page said so."]


def test_month_table_agrees_with_dateparser():
    """The month names are taken from dateparser's CLDR-derived data, not typed by hand."""
    months = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
    for lang, words in load("languages")["months"].items():
        info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
        assert set(words) == {w.lower().rstrip(".") for m in months for w in info[m]}, lang


_PIECES = st.sampled_from([
    "Die Störung begann am 19. Juli.", " ", "\n", "\n\n", "z. B.", "。", "障害が発生した", "」と述べた",
    "¿Qué?", " À 15h30", "ca. 3", "Über", "«", "»", "!", "北京时间20点", "Dr.", "…", "”", "7. ",
])


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_every_sentence_is_traced_back_to_its_place_in_the_text(text):
    for offset, sentence in sentences(text):
        assert text[offset] == sentence[0]
        assert sentence == sentence.strip() and sentence
