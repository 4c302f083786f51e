"""The reading stage's fast forms match what they replace: the furniture trie matches as the flat
alternation of its phrases (longest first) does, at every position; a text's last word, its
letters by script and its function-word votes are what the plain regex and per-word forms give.
The plain forms are written out here as the reference, so a faster form that drifts fails."""
import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.sources import language
from outagetl.sources.furniture import _CJK, _alternation
from outagetl.sources.text import _last_word

SETTINGS = settings(max_examples=300, deadline=None, database=None)
# Letters that make prefixes of one another likely, a capital, an accented and a CJK letter,
# the white space phrases are split at, and punctuation a phrase may hold ("a.m.", "p. m.").
letters = st.sampled_from(list("abcAB é時間 .-"))
phrases = st.lists(st.text(letters, min_size=1, max_size=6), min_size=1, max_size=12)
texts = st.text(st.sampled_from(list("abcAB é時間 .-,\n1")), max_size=30)


def _flat(words) -> str:
    """The alternation the trie replaces, as furniture wrote it: longest phrase first, a Latin
    word matched whole, a CJK one anywhere."""
    parts = []
    for word in sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w)):
        body = r"\s+".join(re.escape(p) for p in word.split())
        if re.match(rf"[^{_CJK}]", word[0]) and word[0].isalnum():
            body = r"(?<![^\W\d_])" + body
        if re.match(rf"[^{_CJK}]", word[-1]) and word[-1].isalnum():
            body += r"(?![^\W\d_])"
        parts.append(body)
    return "(?:" + "|".join(parts) + ")" if parts else r"(?!)"


@SETTINGS
@given(phrases, texts, st.booleans())
def test_the_trie_matches_what_the_flat_alternation_matches(words, text, cased):
    flags = 0 if cased else re.I
    flat = re.compile(_flat(words), flags)
    trie = re.compile(_alternation(words), flags) if not cased else re.compile(_alternation(words, cased=True))
    for pos in range(len(text) + 1):
        want, got = flat.match(text, pos), trie.match(text, pos)
        assert (want and want.span()) == (got and got.span()), (words, text, pos)


def test_the_trie_prefers_the_longer_phrase_and_a_whole_word():
    pattern = re.compile(_alternation(["Pacific", "Pacific Time", "PT", "June", "Jun"]), re.I)
    assert pattern.match("pacific  time zone").group() == "pacific  time"
    assert pattern.match("Pacifica") is None  # a Latin phrase matches a whole word only
    assert pattern.match("jun 3").group() == "jun"
    assert pattern.match("Junes") is None
    assert re.compile(_alternation(["時間"])).match("時間帯").group() == "時間"  # CJK: anywhere


@SETTINGS
@given(st.text(st.sampled_from(list("ab. \t\n\u3000\xa0")), max_size=12))
def test_the_last_word_is_what_a_search_for_it_finds(text):
    found = re.search(r"(\S+)$", text)
    assert _last_word(text) == (found.group(1) if found else "")


@SETTINGS
@given(st.text(max_size=40))
def test_letters_are_counted_as_one_regex_per_letter_counts_them(text):
    want = {"kana": len(re.findall("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]", text)),
            "han": len(re.findall("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]", text)),
            "latin": len(re.findall("[^\\W\\d_\u2000-\U0010ffff]", text))}
    assert language._letters(text) == want


words = st.sampled_from(["the", "The", "THE", "der", "DER", "und", "les", "et", "ET", "a", "A", "outage", "é"])


@SETTINGS
@given(st.lists(words, max_size=20))
def test_votes_count_each_word_and_keep_the_order_languages_first_appear_in(ws):
    text = " ".join(ws)
    index = language._function_words()
    want = Counter(index[w.lower()] for w in re.findall(r"[^\W\d_]+", text)
                   if w.lower() in index and not (len(w) > 1 and w.isupper()))
    assert list(language._votes(text).items()) == list(want.items())


def test_votes_by_hand():
    # "THE" and "ET" in capitals are no function words (zones, acronyms); "et" is French
    votes = language._votes("THE outage: der Dienst und the app, et ET")
    assert list(votes.items()) == [("de", 2), ("en", 1), ("fr", 1)]
