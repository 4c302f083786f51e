"""Times written relative to another time the same story states."""
import pytest

from outagetl.pipeline import build
from outagetl.timeparse import parse_source

from timeparse_helpers import make_doc

STORY = ("Problems started at about 3:05 p.m. ET. The status page acknowledged the problem within 30 minutes. "
         "About two hours later the company said it had found the cause. At 7:48 p.m. ET a fix was in place. "
         "The site was fully back roughly five hours after it first went down.")


def _mentions(text):
    parsed = parse_source(make_doc(text, published="2023-03-14", zone="America/New_York"))
    return {m.text: m for m in parsed.mentions}, parsed.skipped


def test_offsets_count_from_the_time_they_follow_or_from_the_start():
    ms, _ = _mentions(STORY)
    # 3:05 p.m. EDT = 19:05Z; within 30 minutes → 19:05–19:35Z; two hours later → ~21:05Z (±30 min, "about")
    within = ms["within 30 minutes"].span
    assert (within.earliest.strftime("%H:%M"), within.best.strftime("%H:%M")) == ("19:05", "19:35")
    later = ms["About two hours later"].span
    assert (later.best.strftime("%H:%M"), later.earliest.strftime("%H:%M"), later.latest.strftime("%H:%M")) == ("21:05", "20:35", "21:35")
    # "five hours after it first went down" counts from 3:05 p.m., not from 7:48 p.m.: 00:05Z the next day
    first = ms["roughly five hours after it first went down"].span
    assert first.best.isoformat() == "2023-03-15T00:05:00+00:00"
    assert first.precision == "approximate" and any("counted from 'about 3:05 p.m. ET'" in str(f) for f in first.flags)


def test_durations_and_comparisons_are_not_instants():
    ms, skipped = _mentions("At 2.30pm AEDT it was restored, more than ten hours after the fault began. "
                            "It lasted for two hours. Shares fell two days later. A five-hour outage.")
    assert list(ms) == ["2.30pm AEDT"]


def test_a_relative_time_with_nothing_to_count_from_is_left_out_with_a_reason():
    _, skipped = _mentions("About two hours later the company said it had found the cause.")
    assert [s.reason for s in skipped] == ["counted from a time, but the source states none before it"]


def test_a_count_in_digits_counts_like_one_in_words():
    # 3:05 p.m. EDT = 19:05Z: 3 hours later → 22:05Z; 24 hours later → 19:05Z the next day;
    # 90 minutes later → 20:35Z. A text with no number word may still hold a count.
    for said, best in [("3 hours later", "2023-03-14T22:05"), ("24 hours later", "2023-03-15T19:05"),
                       ("90 minutes later", "2023-03-14T20:35")]:
        ms, _ = _mentions(f"Problems started at 3:05 p.m. ET. Service was restored {said}.")
        assert ms[said].span.best.strftime("%Y-%m-%dT%H:%M") == best, said


def _build(tmp_path, text, lang=None):
    (tmp_path / "story.txt").write_text(text, encoding="utf-8")
    extra = f'language = "{lang}"\n' if lang else ""
    (tmp_path / "sources.toml").write_text(f'[[source]]\npath = "story.txt"\npublished = "2023-03-14"\n{extra}',
                                           encoding="utf-8")
    return build([str(tmp_path)]).timeline



@pytest.mark.parametrize("text, lang, kept", [
    # 14:09 + 43 min = 14:52: the relative time restates the clock time after it, which stays.
    ("Outage.\n\nTraffic was back at 14:09 UTC. They only rolled the rules back 43 minutes later, "
     "when engineers re-enabled the rule sets at 14:52 UTC.", None, "14:52"),
    # 09:00 + two hours = 11:00.
    ("Outage.\n\nThe site failed at 09:00 UTC. Two hours later, at 11:00 UTC, a fix was deployed.", None, "11:00"),
    # German: 14:30 + eine Stunde = 15:30.
    ("Störung.\n\nDer Dienst fiel um 14:30 Uhr UTC aus. Eine Stunde später, um 15:30 Uhr UTC, lief er wieder.", "de", "15:30"),
])
def test_a_relative_time_before_the_clock_time_it_restates_leaves_the_clock_time(tmp_path, text, lang, kept):
    tl = _build(tmp_path, text, lang)
    assert kept in {f"{e.span.best:%H:%M}" for e in tl.events}
