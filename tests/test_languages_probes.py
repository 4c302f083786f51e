"""Mechanisms that probing real coverage in each language asked for: German halves and quarters of
an hour ("halb elf"), "last Friday" in every language, a range whose start alone writes the
afternoon ("午後2時から4時まで"), and zone letters that are also acronyms. The stories are written
here in each country's press style; every expected UTC time is worked out by hand beside it."""
from __future__ import annotations

from story_helpers import build_story as build
from story_helpers import kinds

from outagetl.model import Record, Source, SourceDoc
from outagetl.timeparse import find, parse_source


def utc(text: str, lang: str, published: str, zone: str) -> list[str]:
    source = Source(path=f"{lang}.txt", published=published, zone=zone, zone_rule="pinned:manifest", language=lang)
    doc = SourceDoc(source, (Record(source=source.path, index=0, text=text, line=1),), text=text)
    return [f"{m.span.best:%Y-%m-%dT%H:%MZ}" for m in parse_source(doc).mentions if not m.own_time]


GERMAN = """Eine Großstörung hat am Dienstagvormittag das Mobilfunknetz in weiten Teilen Deutschlands lahmgelegt.
Die Störung trat gegen 9.40 Uhr auf, wie ein Sprecher des Anbieters mitteilte.
Kurz nach halb elf bestätigte das Unternehmen das Problem.
Gegen 13 Uhr konnten die ersten Anschlüsse nach und nach wieder freigeschaltet werden.
Seit 15.20 Uhr ist die Störung vollständig behoben.
"""


def test_a_german_story_with_a_half_hour_in_words(tmp_path):
    # Tuesday 12 November 2024, Germany on CET (UTC+1): 9.40 → 08:40Z; "halb elf" is 10:30 and
    # "kurz nach" it 10:40 → 09:40Z; 13 Uhr → 12:00Z; 15.20 → 14:20Z
    out = build(tmp_path, {"netz.txt": GERMAN},
                '[[source]]\npath = "netz.txt"\npublished = "2024-11-12T18:00:00+01:00"\nlanguage = "de"\n')
    assert kinds(out) == [
        ("start", "2024-11-12T08:40:00Z"),
        ("acknowledged", "2024-11-12T09:40:00Z"),
        ("mitigated", "2024-11-12T12:00:00Z"),
        ("resolved", "2024-11-12T14:20:00Z"),
    ]


def test_halves_and_quarters_name_the_hour_they_lead_to():
    (e,) = find("Gegen halb zehn lief alles wieder.", "de")
    assert (e.hour, e.minute, e.hedges) == (9, 30, ("about",))
    (e,) = find("Um Viertel vor neun kam die Entwarnung.", "de")
    assert (e.hour, e.minute) == (8, 45)
    (e,) = find("Um dreiviertel neun kam die Entwarnung.", "de")
    assert (e.hour, e.minute) == (8, 45)
    (e,) = find("Erst um Viertel nach 8 Uhr war das Netz zurück.", "de")
    assert (e.hour, e.minute) == (8, 15)
    # "halb" before anything that is not an hour is no time
    assert find("Halb Europa war betroffen, halb so viele Kunden wie 2023.", "de") == []


def test_last_weekday_is_before_the_publication_day_in_every_language():
    # published on Friday 19 July 2024: "last Friday" is 12 July, "Friday" alone the day itself
    for text, lang, zone in (("vergangenen Freitag um 10 Uhr", "de", "Europe/Berlin"),
                             ("vendredi dernier à 10h", "fr", "Europe/Paris"),
                             ("el pasado viernes a las 10:00", "es", "Europe/Madrid"),
                             ("venerdì scorso alle 10", "it", "Europe/Rome"),
                             ("na última sexta-feira, às 10h", "pt", "Europe/Lisbon")):
        (got,) = utc(text, lang, "2024-07-19T18:00:00+02:00", zone)
        assert got.startswith("2024-07-12T"), (text, got)
    (got,) = utc("last Friday at 10 a.m. ET", "en", "2024-07-19T18:00:00-04:00", "America/New_York")
    assert got == "2024-07-12T14:00Z"
    (got,) = utc("am Freitag um 10 Uhr", "de", "2024-07-19T18:00:00+02:00", "Europe/Berlin")
    assert got == "2024-07-19T08:00Z"
    # published on a Thursday, "last Friday" is six days before, never the next day
    (got,) = utc("el viernes pasado a las 10:00", "es", "2024-07-18T18:00:00+02:00", "Europe/Madrid")
    assert got == "2024-07-12T08:00Z"


def test_last_weekday_counted_from_another_sources_date_may_be_that_day(tmp_path):
    # the summary gives no publication date: its days are counted from the other story's date
    # (Friday 19 July 2024), the day of the incident, and "vergangenen Freitag" is that Friday:
    # 06:09 and 07:27 German summer time (UTC+2) → 04:09Z and 05:27Z
    files = {
        "bericht.txt": "Am Freitagmorgen fielen weltweit Windows-Rechner aus. Gegen 9 Uhr bestätigte der Hersteller das Problem.\n",
        "zusammenfassung.txt": "Der Hersteller hatte vergangenen Freitag von 06:09 Uhr bis 07:27 Uhr deutscher Zeit "
                               "ein fehlerhaftes Update verteilt.\n",
    }
    manifest = ('[[source]]\npath = "bericht.txt"\npublished = "2024-07-19"\ntimezone = "Europe/Berlin"\nlanguage = "de"\n'
                '[[source]]\npath = "zusammenfassung.txt"\nlanguage = "de"\n')
    times = [t for _, t in kinds(build(tmp_path, files, manifest))]
    assert "2024-07-19T04:09:00Z" in times and "2024-07-19T05:27:00Z" in times


def test_the_afternoon_of_a_ranges_start_covers_its_end():
    # Japan (UTC+9): 午後2時 → 05:00Z, 4時 in the same afternoon → 07:00Z, not 4 in the morning
    assert utc("19日午後2時から4時まで、サービスが停止した。", "ja", "2024-07-19T20:00:00+09:00", "Asia/Tokyo") == \
        ["2024-07-19T05:00Z", "2024-07-19T07:00Z"]
    # China (UTC+8): 晚上8点 → 12:00Z, 11点 that evening → 15:00Z
    assert utc("从晚上8点到11点，App无法打开。", "zh", "2024-07-19T23:30:00+08:00", "Asia/Shanghai") == \
        ["2024-07-19T12:00Z", "2024-07-19T15:00Z"]
    # New York on EDT (UTC-4), 19 July: 8 p.m. → 00:00Z on the 20th, 11 that evening → 03:00Z
    assert utc("The site was down from 8 p.m. to 11 ET.", "en", "2024-07-19T23:30:00-04:00", "America/New_York") == \
        ["2024-07-20T00:00Z", "2024-07-20T03:00Z"]
    # an end earlier on the clock face than the start's afternoon reading runs past midnight
    assert utc("午後11時から2時まで", "ja", "2024-07-19T09:00:00+09:00", "Asia/Tokyo") == \
        ["2024-07-19T14:00Z", "2024-07-19T17:00Z"]
    # a 24-hour start writes no afternoon to share: 9 stays 9 in the morning
    assert utc("von 8 bis 9 Uhr", "de", "2024-07-19T18:00:00+02:00", "Europe/Berlin") == \
        ["2024-07-19T06:00Z", "2024-07-19T07:00Z"]


def test_zone_letters_that_are_acronyms_need_a_written_clock():
    assert [e.zone for e in find("Banks recovered at 10am ICT and at 14:00 WIB.", "en")] == ["ICT", "WIB"]
    assert find("The 2023 ICT Development Index and 1200 AST students", "en") == []
    (e,) = find("Trading resumed at 9 SGT.", "en")
    assert e.zone == "SGT"


def test_the_night_between_two_days_is_the_first_days_night():
    # "la nuit de jeudi à vendredi" is Thursday 21:00 to Friday 06:00 in Paris (UTC+2): its best,
    # the middle, is 01:30 on Friday → 23:30Z on Thursday; a time in it after midnight is Friday's
    pub, paris = "2024-07-19T18:00:00+02:00", "Europe/Paris"
    assert utc("La panne a commencé dans la nuit de jeudi à vendredi.", "fr", pub, paris) == ["2024-07-18T23:30Z"]
    assert utc("Dans la nuit de jeudi, vers 2h, le réseau est tombé.", "fr", pub, paris) == ["2024-07-19T00:00Z"]
    assert utc("Nella notte tra giovedì e venerdì i sistemi sono andati in tilt.", "it", pub, "Europe/Rome") == \
        ["2024-07-18T23:30Z"]
    assert utc("La noche del jueves al viernes comenzaron los problemas.", "es", pub, "Europe/Madrid") == \
        ["2024-07-18T23:30Z"]
    # São Paulo (UTC-3): Thursday 21:00 → Friday 06:00, middle 01:30 → 04:30Z
    assert utc("Na noite de quinta para sexta-feira, o sistema caiu.", "pt", "2024-07-19T18:00:00-03:00",
               "America/Sao_Paulo") == ["2024-07-19T04:30Z"]
    # "in der Nacht zum Freitag" ends on Friday: 3 Uhr is Friday's, 23 Uhr Thursday's (UTC+2)
    berlin = "Europe/Berlin"
    assert utc("In der Nacht zum Freitag gegen 3 Uhr fielen die Systeme aus.", "de", pub, berlin) == ["2024-07-19T01:00Z"]
    assert utc("In der Nacht zum Freitag um 23 Uhr begann das Update.", "de", pub, berlin) == ["2024-07-18T21:00Z"]
    assert utc("In der Nacht vom 18. auf den 19. Juli fielen die Rechner aus.", "de", pub, berlin) == ["2024-07-18T23:30Z"]


def test_a_part_of_a_named_weekday():
    # Friday 19 July 2024, Paris (UTC+2): the afternoon is 12:00–18:00, its middle 15:00 → 13:00Z
    assert utc("Dans l'après-midi de vendredi, Microsoft a indiqué avoir résolu le problème.", "fr",
               "2024-07-20T10:00:00+02:00", "Europe/Paris") == ["2024-07-19T13:00Z"]


def test_a_day_of_the_month_alone_is_the_latest_one_a_story_can_tell_of():
    # published 19 July: "3日" is 3 July (16 days back), not 3 August (15 days ahead); Tokyo is UTC+9
    assert utc("KDDIは3日午後5時半に復旧作業が完了したと発表した。", "ja", "2024-07-19T20:00:00+09:00", "Asia/Tokyo") == \
        ["2024-07-03T08:30Z"]
    # a day or two ahead is still read ahead ("20日未明" in an evening story of the 19th)
    assert utc("20日未明にシステムを停止する。", "ja", "2024-07-19T20:00:00+09:00", "Asia/Tokyo") == ["2024-07-19T17:30Z"]


def test_noon_is_written_as_zero_in_the_afternoon():
    # "午後0時半" is 12:30 in Tokyo, not half past midnight; "前" after it is shortly before (best
    # ten minutes earlier): 12:20 JST → 03:20Z
    assert utc("午後0時半前に復旧したと発表しました。", "ja", "2024-07-19T20:00:00+09:00", "Asia/Tokyo") == ["2024-07-19T03:20Z"]
    # "3日前" is three days ago, not the 3rd
    assert find("3日前に障害があった。", "ja") == []


def test_a_zone_written_before_the_date():
    # "米国東部時間18日午後11時" is 23:00 New York time (EDT, UTC-4) → 03:00Z on the 19th
    assert utc("米国東部時間18日午後11時ごろ、更新が配信された。", "ja", "2024-07-19T20:00:00+09:00", "Asia/Tokyo") == \
        ["2024-07-19T03:00Z"]
    assert utc("美国东部时间7月18日晚上11点，更新被推送。", "zh", "2024-07-19T21:00:00+08:00", "Asia/Shanghai") == \
        ["2024-07-19T03:00Z"]


def test_last_weeks_weekday_is_in_the_calendar_week_before():
    # published on Saturday 20 July 2024: "上周五" is Friday 12 July (eight days before), where
    # "last Friday" would be the day before; Beijing and Tokyo keep no summer time
    (got,) = utc("上周五下午，系统出现故障。", "zh", "2024-07-20T10:00:00+08:00", "Asia/Shanghai")
    assert got == "2024-07-12T07:00Z"  # the afternoon's middle, 15:00 CST
    (got,) = utc("先週金曜日の午前、障害が発生した。", "ja", "2024-07-20T10:00:00+09:00", "Asia/Tokyo")
    assert got == "2024-07-12T00:00Z"  # the morning's middle, 09:00 JST
    (got,) = utc("am Freitag vergangener Woche um 9 Uhr", "de", "2024-07-20T10:00:00+02:00", "Europe/Berlin")
    assert got == "2024-07-12T07:00Z"
    (got,) = utc("last Friday at 9 a.m. ET", "en", "2024-07-20T10:00:00-04:00", "America/New_York")
    assert got == "2024-07-19T13:00Z"


def test_a_weekday_beside_a_date_far_ahead_names_last_years_date():
    # in a story of 19 July 2024, 8 November 2024 (a Friday) is months ahead; "Wednesday,
    # November 8" is 8 November 2023, a Wednesday: 13:30 AEDT (UTC+11) → 02:30Z
    (got,) = utc("Optus said services were restored at 1.30pm AEDT on Wednesday, November 8.", "en",
                 "2024-07-19T10:00:00+00:00", "UTC")
    assert got == "2023-11-08T02:30Z"
    # a weekday wrong by a day next to the story's date keeps the date (and is flagged)
    (got,) = utc("The outage happened on Thursday, July 17, at 9 a.m. ET.", "en", "2024-07-19T10:00:00-04:00",
                 "America/New_York")
    assert got == "2024-07-17T13:00Z"


def test_the_next_day_counts_from_the_day_told_of():
    # the day before is stated in the same record: "翌日" is 3 July, not the day after publication
    # (Tokyo UTC+9: 3 July 09:00, the morning's middle, is 00:00Z)
    assert utc("2日午前1時35分ごろ障害が発生し、翌日午前には全面復旧した。", "ja", "2024-07-20T20:00:00+09:00",
               "Asia/Tokyo") == ["2024-07-01T16:35Z", "2024-07-03T00:00Z"]
    # New York on EDT (UTC-4): July 3, noon → 16:00Z
    assert utc("The outage began on July 2 at 9 a.m. and was fixed the next day at noon.", "en",
               "2024-07-20T20:00:00-04:00", "America/New_York") == ["2024-07-02T13:00Z", "2024-07-03T16:00Z"]
    # Paris (UTC+2): "le lendemain, vers 10h" is 3 July 10:00 → 08:00Z
    assert utc("Le 2 juillet vers 9h, la panne a commencé. Le lendemain, vers 10h, le service est revenu.", "fr",
               "2024-07-20T20:00:00+02:00", "Europe/Paris") == ["2024-07-02T07:00Z", "2024-07-03T08:00Z"]
    # Berlin (UTC+2): "am nächsten Morgen" is the morning of 19 July, its middle 09:00 → 07:00Z
    assert utc("Am 18. Juli um 23 Uhr fiel das Netz aus, am nächsten Morgen lief es wieder.", "de",
               "2024-07-22T10:00:00+02:00", "Europe/Berlin") == ["2024-07-18T21:00Z", "2024-07-19T07:00Z"]
    # 次日凌晨 in Beijing (UTC+8): the early hours' middle, 02:30 on 4 December → 18:30Z on the 3rd
    assert utc("12月3日14时左右出现故障，次日凌晨全面恢复。", "zh", "2024-12-10T10:00:00+08:00", "Asia/Shanghai") == \
        ["2024-12-03T06:00Z", "2024-12-03T18:30Z"]


def test_the_next_day_with_no_day_told_of_counts_from_publication_and_says_so():
    source = Source(path="ja.txt", published="2024-07-20T20:00:00+09:00", zone="Asia/Tokyo",
                    zone_rule="pinned:manifest", language="ja")
    text = "同日夕方に会見を開いた。"
    doc = SourceDoc(source, (Record(source=source.path, index=0, text=text, line=1),), text=text)
    (m,) = parse_source(doc).mentions
    assert f"{m.span.best:%Y-%m-%dT%H:%MZ}" == "2024-07-20T09:30Z"  # 18:30 JST, the early evening's middle
    assert "date-assumed" in {f.code for f in m.span.flags}


def test_a_date_without_a_year_is_not_months_after_the_story():
    # a story of 20 July 2024: "Jan. 12" is 12 January 2024 (EST, UTC-5: 16:45 → 21:45Z), not 2025;
    # "Aug. 2" is a fortnight ahead and stays in 2024 (EDT, UTC-4)
    (got,) = utc("Around 4:45 p.m. EST on Jan. 12, the site crashed.", "en", "2024-07-20T20:00:00+00:00", "UTC")
    assert got == "2024-01-12T21:45Z"
    (got,) = utc("The maintenance window opens at 9 a.m. ET on Aug. 2.", "en", "2024-07-20T20:00:00+00:00", "UTC")
    assert got == "2024-08-02T13:00Z"
