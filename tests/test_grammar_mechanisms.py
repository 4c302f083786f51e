"""Mechanisms of the time grammar that the French, Spanish and Chinese lexicons needed, each
checked in more than one language and with negatives: full-width digits and typographic
apostrophes read like ASCII ones, ranges whose one end lends the other its evidence, a zone name
after a comma, a hedge between a day and its time, hours written as words, and targets or
forecasts that are not events of the outage. The texts are written for these tests."""
from __future__ import annotations

import pytest

from outagetl.pipeline import Options, build
from outagetl.timeparse import find
from outagetl.timeparse.extract import fold

from timeparse_helpers import Z


def _found(text: str, lang: str) -> list[tuple[str, int | None, int | None]]:
    return [(e.text, e.hour, e.minute) for e in find(text, lang)]


def _the_time(text: str, lang: str):
    """The one expression with a clock time that ``text`` holds."""
    [expr] = [e for e in find(text, lang) if e.hour is not None]
    return expr


# Full-width digits, letters and signs; typographic apostrophes.

def test_folding_keeps_every_offset():
    text = "７月３日（土）１５：３０、aujourd’hui"
    assert len(fold(text)) == len(text)
    assert fold(text) == "7月3日(土)15:30、aujourd'hui"


@pytest.mark.parametrize("lang,text,clock", [
    ("ja", "障害は７月３日１５時３０分に解消した。", "15:30"),
    ("zh", "系统于１５：３０恢复。", "15:30"),
    ("fr", "Le réseau est revenu à １５ｈ３０.", "15:30"),
    ("en", "Service was restored at ３:１０ p.m. ＥＴ.", "3:10"),
])
def test_full_width_digits_are_read_and_the_text_stays_as_written(lang, text, clock):
    expr = _the_time(text, lang)
    assert f"{expr.hour}:{expr.minute:02d}" == clock
    assert text[expr.start:expr.end] == expr.text
    assert any(c in expr.text for c in "０１２３４５６７８９")


def test_full_width_numbers_that_are_not_times_stay_unread():
    assert find("約３時間の障害", "ja") == []
    assert find("版本７．１１", "zh") == []


def test_a_typographic_apostrophe_reads_like_an_ascii_one():
    assert [e.days for e in find("aujourd’hui", "fr")] == [0]
    assert [e.zone for e in find("à 10 h 30 heure de l’Est", "fr")] == ["heure de l'Est"]
    assert _found("jusqu’à 18h", "fr") == [("jusqu’à 18h", 18, 0)]


# A range: the start needs no cue of its own when its end has one, and neither end lends what it lacks.

@pytest.mark.parametrize("lang,text,want", [
    ("fr", "de 15h30 à 17h", [("15h30", 15, 30), ("17h", 17, 0)]),
    ("fr", "entre 10 h 15 et 11 h", [("10 h 15", 10, 15), ("11 h", 11, 0)]),
    ("fr", "de 9 à 11 heures", [("9", 9, 0), ("11 heures", 11, 0)]),
    ("es", "de las 11 a las 14 horas", [("11", 11, 0), ("14 horas", 14, 0)]),
    ("es", "de 9 a 11 de la mañana", [("9", 9, 0), ("11 de la mañana", 11, 0)]),
])
def test_one_end_of_a_range_gives_the_other_its_evidence(lang, text, want):
    assert _found(text, lang) == want


@pytest.mark.parametrize("text,want", [
    ("the maintenance ran (1700-2100 GMT) and overran", [("1700", 17, 0), ("2100 GMT", 21, 0)]),
    ("planned work from 2230-0130 UTC", [("from 2230", 22, 30), ("0130 UTC", 1, 30)]),
    ("between 0915–1040 GMT the API failed", [("0915", 9, 15), ("1040 GMT", 10, 40)]),
])
def test_a_four_digit_time_with_a_zone_vouches_for_a_start_of_its_own_shape_before_a_dash(text, want):
    """"(1700-2100 GMT)": wire copy writes a window as two four-digit times and one zone; the start
    is a time because the end is, and "-0130" after "2230" is the range's end, not an offset."""
    found = find(text, "en")
    assert [(e.text, e.hour, e.minute) for e in found] == want
    assert [e.zone for e in found] == [found[1].zone] * 2 and found[1].follows == "range"


@pytest.mark.parametrize("text", ["1700-2100 customers lost power", "rooms 1200-1450 were closed",
                                  "between 1700 and 2100 households"])
def test_two_four_digit_numbers_without_a_zone_are_not_a_window(text):
    assert find(text, "en") == []


@pytest.mark.parametrize("text,hours", [
    ("Cell service failed early Tuesday, the carrier said.", ("2019-07-02T04:00", "2019-07-02T13:00")),
    ("Customers reported outages early on Tuesday across the state.", ("2019-07-02T04:00", "2019-07-02T13:00")),
    ("Phones across the region lost signal early Tuesday.", ("2019-07-02T04:00", "2019-07-02T13:00")),
])
def test_early_before_a_weekday_is_that_days_first_hours(tmp_path, text, hours):
    """Wire copy's "early Tuesday" is after midnight in one story and in the morning in another:
    the span holding both (00:00-09:00 local), not the whole day with noon as its best time."""
    story = tmp_path / "story.txt"
    story.write_text(f"Carrier outage\nPublished: 2019-07-03T08:00:00-04:00\n\n{text}\n", encoding="utf-8")
    [event] = build([story], Options()).timeline.events
    assert (event.span.earliest, event.span.latest) == (Z(hours[0]), Z(hours[1]))
    assert event.span.precision == "part-of-day"


def test_late_before_a_weekday_stays_a_day(tmp_path):
    """"said late Monday" runs from the afternoon to midnight: the whole day, never its last hours."""
    story = tmp_path / "story.txt"
    story.write_text("Outage over\nPublished: 2019-07-03T08:00:00-04:00\n\nThe carrier said late Tuesday that service was back.\n",
                     encoding="utf-8")
    [event] = build([story], Options()).timeline.events
    assert (event.span.precision, event.span.earliest, event.span.latest) == ("day", Z("2019-07-02T04:00"), Z("2019-07-03T04:00"))


@pytest.mark.parametrize("text,start,end", [
    ("障害は22時から2時まで続いた。", 22, 2),
    ("午後11時から午前3時まで不通だった。", 11, 3),
    ("通信は20時から4時まで断続的に途絶えた。", 20, 4),
])
def test_a_japanese_range_made_by_the_starts_own_suffix_links_its_end(text, start, end):
    """"22時から2時まで": から ends the start itself, so no range word stands between the times; the
    end is still the range's end and follows its start past midnight."""
    first, second = find(text, "ja")
    assert (first.hour, second.hour) == (start, end)
    assert (first.range_role, second.range_role, second.follows) == ("start", "end", "range")


def test_a_japanese_range_ending_after_midnight_is_placed_on_the_next_day(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("回線の障害\n2024年7月20日 9:00 公開\n\n19日、障害は22時から2時まで続いた。\n", encoding="utf-8")
    times = sorted(e.span.best for e in build([story], Options()).timeline.events)
    assert times == [Z("2024-07-19T13:00"), Z("2024-07-19T17:00")]


@pytest.mark.parametrize("lang,text", [
    ("es", "entre 2 y 3 millones de clientes"),
    ("es", "de 2 a 3 empresas"),
    ("fr", "de 2 à 3 heures de retard"),
    ("fr", "pendant 2 à 3 heures"),
    ("es", "de 2 a 3 horas de espera"),
    ("es", "entre 2 y 3 horas"),
])
def test_two_numbers_that_are_not_times_do_not_vouch_for_each_other(lang, text):
    assert find(text, lang) == []


# A zone name after a comma.

@pytest.mark.parametrize("lang,text,zone", [
    ("fr", "à 15h30, heure de Paris", "heure de Paris"),
    ("es", "alrededor de las 14:00, hora argentina", "hora argentina"),
    ("en", "at 3:10 p.m., Eastern time", "Eastern time"),
])
def test_a_spelled_out_zone_after_a_comma_belongs_to_the_time(lang, text, zone):
    [expr] = find(text, lang)
    assert expr.zone == zone and expr.text.endswith(zone)


def test_an_abbreviation_or_a_plain_region_word_after_a_comma_does_not():
    assert [e.zone for e in find("at 9:00, Pacific Gas said", "en")] == [None]
    assert [e.zone for e in find("at 9:00, ET readers were told", "en")] == [None]


# A hedge written between a day and its time.

@pytest.mark.parametrize("lang,text,hedge", [
    ("fr", "cette nuit, vers 3h", "about"),
    ("es", "ayer sobre las 14:00", "about"),
    ("de", "am Freitag gegen 10 Uhr", "about"),
    ("es", "el martes hacia las 10:00", "about"),
])
def test_a_hedge_between_the_day_and_the_time_widens_it(lang, text, hedge):
    [expr] = find(text, lang)
    assert hedge in expr.hedges and expr.has_date and expr.has_time


# Hours written as words.

@pytest.mark.parametrize("lang,text,hour,minute", [
    ("fr", "vers sept heures du soir", 7, 0),
    ("fr", "à deux heures du matin", 2, 0),
    ("es", "a las cinco de la tarde", 5, 0),
    ("es", "la una de la madrugada", 1, 0),
    ("es", "las tres y media de la tarde", 3, 30),
    ("zh", "下午三点", 3, 0),
    ("zh", "凌晨两点十五分", 2, 15),
    ("zh", "十点半", 10, 30),
])
def test_an_hour_written_as_a_word(lang, text, hour, minute):
    expr = _the_time(text, lang)
    assert (expr.hour, expr.minute) == (hour, minute)


@pytest.mark.parametrize("lang,text", [
    ("fr", "une heure plus tard, le réseau est revenu"),
    ("fr", "après une heure d'attente"),
    ("es", "las cinco empresas afectadas"),
    ("zh", "以下三点需要注意"),
    ("zh", "情况好一点了"),
])
def test_a_number_word_is_not_an_hour_without_evidence(lang, text):
    assert [e for e in find(text, lang) if e.hour is not None] == []


# Targets and forecasts.

MANIFEST = """
[[source]]
path = "{name}"
published = "{published}"
language = "{lang}"
timezone = "{zone}"
"""


def _claims(tmp_path, lang: str, zone: str, text: str, published: str = "2024-07-19"):
    name = f"story-{lang}.txt"
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(MANIFEST.format(name=name, published=published, lang=lang, zone=zone),
                                           encoding="utf-8")
    result = build([str(tmp_path)], Options())
    claims = sorted((c for e in result.timeline.events for c in e.claims), key=lambda c: c.span.best)
    skipped = [s for report in result.timeline.sources for s in report.skipped if "target or forecast" in s.reason]
    return claims, skipped


@pytest.mark.parametrize("lang,zone,text,kept", [
    ("fr", "Europe/Paris", "La panne a commencé à 9h15. Le retour à la normale est prévu vers 22h, selon l'opérateur.",
     [Z("2024-07-19 07:15")]),
    ("fr", "Europe/Paris", "Le service a été rétabli à 14h et devrait être complet d'ici 18h.", [Z("2024-07-19 12:00")]),
    ("es", "Europe/Madrid", "La caída se produjo a las 8:00 horas. La compañía espera restablecer el servicio a las 20:00 horas.",
     [Z("2024-07-19 06:00")]),
    ("es", "Europe/Madrid", "El restablecimiento está previsto para las 18:00 horas.", []),
    ("en", "America/New_York", "The outage began at 9:18 a.m. Service is expected to be restored by 5 p.m.",
     [Z("2024-07-19 13:18")]),
    ("de", "Europe/Berlin", "Die Störung begann um 6:09 Uhr. Sie ist voraussichtlich gegen 18 Uhr behoben.",
     [Z("2024-07-19 04:09")]),
    ("ja", "Asia/Tokyo", "障害は午前1時35分に発生した。西日本は午前7時15分、東日本は午前9時30分を目標として復旧作業を進めている。",
     [Z("2024-07-18 16:35")]),
    ("ja", "Asia/Tokyo", "午前8時の時点で、完全復旧は午前11時頃を見込む。", [Z("2024-07-18 23:00")]),
    ("zh", "Asia/Shanghai", "系统于凌晨2点出现故障，预计晚上8点前恢复。", [Z("2024-07-18 18:00")]),
    ("it", "Europe/Rome", "Il disservizio è iniziato alle 9.15. Il ripristino completo è previsto per le ore 18.", [Z("2024-07-19 07:15")]),
    ("pt", "America/Sao_Paulo", "A falha começou às 10h52. A previsão é de normalização às 18h.", [Z("2024-07-19 13:52")]),
])
def test_a_target_or_forecast_is_not_an_event_and_is_left_out_with_a_reason(tmp_path, lang, zone, text, kept):
    claims, skipped = _claims(tmp_path, lang, zone, text)
    assert [c.span.best for c in claims] == kept
    assert skipped and all(s.what[1:-1] in text for s in skipped)


@pytest.mark.parametrize("lang,zone,text,times", [
    # "comme prévu" after a time that happened; a forecast word beyond the clause
    ("fr", "Europe/Paris", "La maintenance a démarré à 3h, comme prévu, et la panne a suivi.", [Z("2024-07-19 01:00")]),
    ("fr", "Europe/Paris", "Le réseau a été rétabli à 14h30 ; l'opérateur prévoit un bilan complet.", [Z("2024-07-19 12:30")]),
    ("es", "Europe/Madrid", "El servicio volvió a funcionar a las 15:30 horas, según la empresa, que espera un informe.",
     [Z("2024-07-19 13:30")]),
    ("ja", "Asia/Tokyo", "午前8時に、西日本では復旧を確認した。", [Z("2024-07-18 23:00")]),
])
def test_a_time_near_a_forecast_word_that_does_not_govern_it_is_kept(tmp_path, lang, zone, text, times):
    claims, skipped = _claims(tmp_path, lang, zone, text)
    assert [c.span.best for c in claims] == times
    assert skipped == []
