"""Summaries: the statement itself, cut to a line, never the sentence with its time words cut out.

Every sample of ``data/summaries.toml`` is walked; the pipeline cases are stories written here in
the styles of real coverage, each expected summary worked out by hand from its text.
"""
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.summary import part_summary, summarize, width
from outagetl.tables import load

from conftest import ok

SAMPLES = load("summaries")["samples"]


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["summary"][:40] for s in SAMPLES])
def test_samples(sample):
    text = sample["text"]
    time = _span(text, sample["time"]) if "time" in sample else None
    others = [_span(text, o) for o in sample.get("others", [])]
    times = [time, *others] if time else []
    assert summarize(text, time, others, times, sample.get("width"), sample.get("verb_final", False)) == sample["summary"]


def test_width_counts_wide_characters_twice():
    assert width("abc") == 3
    assert width("復旧") == 4
    assert width("ＡＢ") == 4          # fullwidth Latin
    assert width("é") == 1 and width("e\u0301") == 1   # a combining accent takes no column


def _summaries(tmp_path, name: str, text: str, *args) -> list[tuple[str, str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    doc = json.loads(ok("build", tmp_path / name, "--format", "json", *args).stdout)
    return [(e["time"], e["summary"]) for e in doc["events"]]


# Each story holds a sentence whose time words the old summaries cut out, leaving a hole.
@pytest.mark.parametrize("text, time, summary", [
    # "Then, at 3:10 p.m., the carrier ..." once became "Then,, the carrier ..."
    ("Published March 5, 2024\n\nThe carrier said at 11:05 a.m. ET that most calls went through. "
     "Then, at 3:10 p.m., the carrier confirmed every line was working again.\n",
     "2024-03-05T20:10:00Z", "Then, at 3:10 p.m., the carrier confirmed every line was working again."),
    # "Shortly after 9 p.m. ET on Tuesday, ..." once became "Shortly after ET on Tuesday, ..."
    ("Published March 5, 2024\n\nShortly after 9 p.m. ET on Tuesday, the streaming service said its app "
     "was loading again for most viewers.\n",
     None, "Shortly after 9 p.m. ET on Tuesday, the streaming service said its app was loading again for most viewers."),
    # German: "Die Störung begann am Montag gegen Uhr" once lost the clock time and kept "Uhr".
    ("Veröffentlicht am 04.03.2024\n\nDie Störung begann am Montag gegen 14.30 Uhr, teilte der Netzbetreiber mit.\n",
     "2024-03-04T13:30:00Z", "Die Störung begann am Montag gegen 14.30 Uhr, teilte der Netzbetreiber mit."),
])
def test_the_summary_keeps_the_time_words(tmp_path, text, time, summary):
    got = _summaries(tmp_path, "story.txt", text, "--tz", "Europe/Berlin" if "Uhr" in text else "America/New_York")
    assert summary in [s for t, s in got if time in (None, t)]


# Two times in one sentence: each event's summary says which part is its own.
@pytest.mark.parametrize("text, want", [
    # a range, German: start and end in one clause
    ("Veröffentlicht am 04.03.2024\n\nDer Anbieter hatte am Montag von 05:50 Uhr bis 07:10 Uhr MEZ "
     "fehlerhafte Zertifikate ausgeliefert.\n",
     {"2024-03-04T04:50:00Z": "Der Anbieter hatte am Montag von 05:50 Uhr…",
      "2024-03-04T06:10:00Z": "…bis 07:10 Uhr MEZ fehlerhafte Zertifikate ausgeliefert."}),
    # a range, English, with the statement after it: the start takes in the whole range
    ("Published March 5, 2024\n\nFrom 6:12 AM until 9:40 AM PST, customers could not reach the help desk.\n",
     {"2024-03-05T14:12:00Z": "From 6:12 AM until 9:40 AM PST, customers could not reach the help desk.",
      "2024-03-05T17:40:00Z": "…until 9:40 AM PST, customers could not reach the help desk."}),
    # two clauses joined by a comma
    ("Published March 5, 2024\n\nThe payment app stopped working at 08:20 UTC, and the bank said it was "
     "running again at 10:05 UTC after a database fix.\n",
     {"2024-03-05T08:20:00Z": "The payment app stopped working at 08:20 UTC…",
      "2024-03-05T10:05:00Z": "…and the bank said it was running again at 10:05 UTC after a database fix."}),
    # Japanese ends the sentence with its verb: the predicate after the last time is every time's.
    # 07:15 and 09:30 JST (UTC+9) on the 5th = 22:15Z on the 4th and 00:30Z.
    ("通信障害の復旧\n\n2024年3月5日\n\n西日本では5日午前7時15分に、東日本では5日午前9時30分に復旧作業が"
     "完了したと同社は発表した。\n",
     {"2024-03-04T22:15:00Z": "西日本では5日午前7時15分に…に復旧作業が完了したと同社は発表した。",
      "2024-03-05T00:30:00Z": "…東日本では5日午前9時30分に復旧作業が完了したと同社は発表した。"}),
])
def test_two_times_in_one_sentence_have_their_own_summaries(tmp_path, text, want):
    got = dict(_summaries(tmp_path, "story.txt", text, "--tz", "Europe/Berlin"))
    assert {t: got.get(t) for t in want} == want


def test_summaries_differ_unless_one_statement(tmp_path):
    text = ("Published March 5, 2024\n\nAt 07:02 UTC the first alerts fired, at 07:15 UTC engineers began a rollback, "
            "and at 07:48 UTC the service was restored.\n\nThe company said some users saw errors until 07:55 UTC.\n")
    assert sorted(s for _, s in _summaries(tmp_path, "story.txt", text)) == sorted([
        "At 07:02 UTC the first alerts fired…",
        "…at 07:15 UTC engineers began a rollback…",
        "…and at 07:48 UTC the service was restored.",
        "The company said some users saw errors until 07:55 UTC.",
    ])
    # Negative: one statement in two stories is one statement, and reads the same.
    quote = "Published March 5, 2024\n\n“We restored service at 07:48 UTC,” the company wrote.\n"
    (tmp_path / "a").mkdir()
    for name in ("a/one.txt", "a/two.txt"):
        (tmp_path / name).write_text(quote, encoding="utf-8")
    doc = json.loads(ok("build", tmp_path / "a", "--format", "json").stdout)
    assert [(e["summary"], len(e["sources"])) for e in doc["events"]] == [
        ("“We restored service at 07:48 UTC,” the company wrote.", 2)]


def test_a_long_sentence_is_cut_around_the_clause_with_the_time(tmp_path):
    text = ("Published March 5, 2024\n\nThe regional operator, which serves about four million households across "
            "three provinces and runs its own fibre backbone, said that emergency calls failed from 04:12 UTC "
            "until the morning shift had restarted the core routers.\n")
    [(_, summary)] = _summaries(tmp_path, "story.txt", text)
    assert summary == "…said that emergency calls failed from 04:12 UTC until the morning shift had restarted the core routers."
    assert width(summary) <= 110


def test_a_post_is_summarised_from_its_start(tmp_path):
    posts = [{"id": "1", "created_at": "Tue Mar 05 08:30:00 +0000 2024", "user": {"screen_name": "examplebank"},
              "full_text": "We know some of you cannot log in to the app. Our team is working on it and we will "
                           "share an update here as soon as we know more. Thank you for your patience."}]
    (tmp_path / "posts.json").write_text(json.dumps(posts), encoding="utf-8")
    doc = json.loads(ok("build", tmp_path / "posts.json", "--format", "json").stdout)
    assert [(e["time"], e["summary"]) for e in doc["events"]] == [(
        "2024-03-05T08:30:00Z",
        "We know some of you cannot log in to the app. Our team is working on it and we will share an update here as…")]


_TEXT = st.lists(st.sampled_from(["the", "app", "fäilt", "at", "09:15", "UTC,", "東", "日本", "復旧。", "—", "(a)",
                                  "we", "restored", "service", "x" * 30]), min_size=1, max_size=60).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.data(), st.integers(min_value=20, max_value=120), st.booleans())
def test_property_a_summary_fits_and_is_taken_from_the_text(text, data, limit, verb_final):
    tokens = [m.span() for m in re.finditer(r"\S+", text)]
    picked = sorted(set(data.draw(st.lists(st.sampled_from(tokens), min_size=1, max_size=4))))
    index = data.draw(st.integers(min_value=0, max_value=len(picked) - 1))
    got = part_summary(text, 0, len(text), picked, index, picked, limit, verb_final)
    assert width(got) <= limit
    # Each piece between the ellipses is the text as written (a verb-final tail is a second piece).
    assert all(piece in text for piece in got.split("…") if piece)
    time = text[picked[index][0]:picked[index][1]].strip(",;:—")
    if width(time) + 2 <= limit:
        assert time in got
