"""Which language each source is written in, and each record where it differs from its source.

The grammar reads a sentence in one language ("vers 15h30", "午後3時", "at 3 p.m."), so every
source whose text is read gets a language, and the way it was chosen is recorded:

1. declared: the manifest's ``language``, the page's ``<html lang>``, its ``og:locale``;
2. else read from the text: Japanese and Chinese by their script (kana, Han); the others by their
   function words when the text is plain in them (``data/languages.toml``: "der", "und", "les",
   "della"…), which costs nothing, else by py3langid restricted to the languages outagetl has a
   grammar for. A declaration that the text plainly contradicts (a translated story whose manifest
   names its outlet's language) gives way to the text and is kept as the locale, since it still
   says where the outlet is;
3. else the default language.

A post carries the language its platform gives it (Twitter ``lang``, Mastodon ``language``,
Bluesky ``langs``): that is the post's, and when most posts of an export give one and nothing else
declares the source's, the one most of them give is the source's (``declared:posts``).

Stories quote other languages (an English status post in a Chinese blog, a German tweet in an
Italian story): a record long enough to tell whose function words point to another language is
checked by the detector, and carries that language when the detector is sure, so the grammar
reads it in its own.

Why py3langid: on 320 short news sentences (``tests/data/lang/news.toml``) it and lingua both make
no mistake when restricted to these languages, and both make 10 on the same sentences cut to three
words; py3langid installs in 4.5 MB (numpy is already needed) against lingua's 96 MB and classifies
a sentence four times faster. Its model (and numpy) take about a second to load, which is why a
plain text is told by its words and the model is loaded only when a text needs it
(``benchmarks/bench_language.py`` has the figures).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import cache

from .. import kept
from ..model import LanguageRule, Record, Source, SourceDoc
from ..tables import load

MIN_LETTERS = 20
"""A record with fewer letters ("Jul 2, 2019", "TL;DR", a name) is too short to tell: it keeps its source's."""
WORDS_DECIDE = 8
"""Function words a text needs, four times as many as any other language's, to be told by them alone."""
WORDS_ALONE = 4
"""Or, when no other language's function word is written at all, this many (a short story)."""
RECORD_CONFIDENCE = 0.95
OVERRULE_LETTERS = 200
OVERRULE_CONFIDENCE = 0.99
SAMPLE_CHARS = 20000
"""Enough text to tell a source's language; a long export is not read whole for this."""
NOT_READ = ("log", "metrics")
"""Source types whose text the grammar does not read (log lines have their own formats)."""
_WORD = re.compile(r"[^\W\d_]+")


def supported() -> tuple[str, ...]:
    """The languages there is a grammar for; the detector chooses among these."""
    return tuple(load("languages")["supported"])


def assign(doc: SourceDoc) -> SourceDoc:
    """The doc with its source's language (and rule) set, and records in another language marked."""
    if doc.source.type in NOT_READ:
        return doc
    source = _source_language(doc)
    plain = _all_in(doc.records, source.language)
    records = tuple(r if plain and not r.language else _record(r, source.language) for r in doc.records)
    return replace(doc, source=source, records=records)


def _all_in(records: tuple[Record, ...], lang: str) -> bool:
    """Whether no record can be in another language than ``lang``: the records hold no kana or Han
    and no function word of another language, so ``record_language`` would keep every one in
    ``lang``. Told once for the whole text, instead of once per record."""
    text = "\n".join(r.text for r in records)
    if not text.isascii() and (_KANA.search(text) or _HAN.search(text)):
        return False
    # Most texts write no word of another language's at all, told in C: every word that counts in
    # ``_votes`` is one of these lower-cased words (the test may only find too many, never too few).
    if set(_words(text.lower())).isdisjoint(_others(lang)):
        return True
    return all(word_lang == lang for word_lang in _votes(text))


@cache
def _others(lang: str) -> frozenset[str]:
    """The function words of every language but ``lang``."""
    return frozenset(word for word, word_lang in _function_words().items() if word_lang != lang)


def _record(record: Record, source_language: str) -> Record:
    """A record with its language set where it differs from its source's: the one its post gives,
    else the one its text is plainly in."""
    lang = _code(record.language) if record.language else record_language(record.text, source_language)
    lang = None if lang == source_language else lang
    return record if lang == record.language else replace(record, language=lang)


def declared(source: Source) -> tuple[str, LanguageRule] | None:
    """The language the source declares, as a bare code, and where it was declared."""
    if source.language:
        return _code(source.language), source.language_rule or LanguageRule.DECLARED_MANIFEST
    if source.locale:
        return _code(source.locale), source.language_rule or LanguageRule.DECLARED_OG_LOCALE
    return None


def detect(text: str) -> tuple[str, float, LanguageRule] | None:
    """The language of a text, how sure and how it was told; None when there is too little to tell."""
    letters = _letters(text)
    cjk = letters["kana"] + letters["han"]
    if cjk and cjk * 3 >= letters["latin"]:
        # One Han or kana character carries about what a Latin word does.
        lang = "ja" if letters["kana"] * 20 >= cjk else "zh"
        return lang, 1.0, LanguageRule.DETECTED_SCRIPT
    if letters["latin"] < MIN_LETTERS:
        return None
    plain = _plain_in(text)
    if plain:
        return plain
    lang, confidence = _identifier().classify(text)
    return lang, float(confidence), LanguageRule.DETECTED_TEXT


def record_language(text: str, source_language: str) -> str:
    """The language one record is read in: its source's, unless it plainly is in another."""
    letters = _letters(text)
    if letters["kana"] and (letters["kana"] + letters["han"]) * 3 >= letters["latin"]:
        return "ja"
    if letters["han"] and letters["han"] * 3 >= letters["latin"]:
        # Kanji without kana is still Japanese in a Japanese source (headlines, "通信障害発生").
        return source_language if source_language in ("ja", "zh") else "zh"
    if letters["latin"] < MIN_LETTERS or source_language not in supported():
        return source_language
    votes = _votes(text)
    top = votes.most_common(1)
    if not top or top[0][0] == source_language or top[0][1] <= votes[source_language]:
        # No word points away from the source's language: not worth asking the model.
        return source_language
    lang, confidence = _identifier().classify(text)
    return lang if confidence >= RECORD_CONFIDENCE else source_language


def _source_language(doc: SourceDoc) -> Source:
    source = doc.source
    text = (doc.text or "\n".join(r.text for r in doc.records))[:SAMPLE_CHARS]
    said = declared(source)
    posts = Counter(_code(r.language) for r in doc.records if r.language)
    if not said and posts and sum(posts.values()) * 2 >= len(doc.records):
        # ties go to the language of the earliest post that gives one
        return replace(source, language=posts.most_common(1)[0][0], language_rule=LanguageRule.DECLARED_POSTS)
    if not said:
        found = detect(text)
        if found:
            return replace(source, language=found[0], language_rule=found[2])
        return replace(source, language=load("languages")["default"], language_rule=LanguageRule.DEFAULT)
    lang, rule = said
    if lang in supported() and _contradicts(text, lang):
        # The text is plainly in another language; the declaration still says where the outlet is.
        found = detect(text)
        return replace(source, language=found[0], language_rule=LanguageRule.DETECTED_OVER_DECLARED,
                       locale=source.locale or source.language)
    # "de-CH" declared: the grammar reads "de", and the whole tag stays as the locale.
    locale = source.locale or (source.language if source.language and source.language != lang else None)
    return replace(source, language=lang, language_rule=rule, locale=locale)


def _contradicts(text: str, said: str) -> bool:
    """Whether the text is plainly in another language than the one declared: another script (kana
    is never Chinese, but kanji alone may be Japanese), or a long text whose function words point
    elsewhere and that the detector is all but certain of."""
    letters = _letters(text)
    cjk = letters["kana"] + letters["han"]
    if cjk and cjk * 3 >= letters["latin"]:
        lang = "ja" if letters["kana"] * 20 >= cjk else "zh"
        return lang != said and not (said == "ja" and lang == "zh")
    if said in ("ja", "zh"):
        return letters["latin"] >= OVERRULE_LETTERS and _identifier().classify(text)[1] >= OVERRULE_CONFIDENCE
    plain = _plain_in(text)
    if not plain or plain[0] == said or letters["latin"] < OVERRULE_LETTERS:
        return False
    lang, confidence = _identifier().classify(text)
    return lang != said and confidence >= OVERRULE_CONFIDENCE


def _plain_in(text: str) -> tuple[str, float, LanguageRule] | None:
    """The language a text is plainly written in by its function words, or None when they do not settle it."""
    ranked = _votes(text).most_common(2) + [("", 0), ("", 0)]
    (lang, count), (_, runner_up) = ranked[0], ranked[1]
    if count >= WORDS_DECIDE and count >= 4 * runner_up or count >= WORDS_ALONE and not runner_up:
        return lang, count / (count + runner_up), LanguageRule.DETECTED_WORDS
    return None


def _votes(text: str) -> Counter:
    """Function words per language. A word in capitals is not one: "ET" and "IST" are zones in any
    language, not French "et" and German "ist"."""
    index = _function_words()
    votes: Counter = Counter()
    # Each distinct word is looked up once (the words are counted in C first); they come in the
    # order they are first written, so languages tie in the order their first word was written.
    for word, times in Counter(_words(text)).items():
        lang = index.get(word.lower())
        if lang is not None and not (len(word) > 1 and word.isupper()):
            votes[lang] += times
    return votes


def _words(text: str) -> list[str]:
    """The runs of letters in ``text``; in ASCII text (most stories) by the plain ASCII class,
    which finds the same runs there in half the time of the Unicode one."""
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


_ASCII_WORD = re.compile(r"[A-Za-z]+")


@cache
def _function_words() -> dict[str, str]:
    return {word: lang for lang, words in load("languages")["function_words"].items() for word in words}


def _code(tag: str) -> str:
    """``de-CH``, ``pt_BR``, ``zh-Hans`` → ``de``, ``pt``, ``zh``."""
    return tag.replace("_", "-").split("-")[0].strip().lower()


_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]+")
_HAN = kept.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]+")
_LATIN = kept.compile("[^\\W\\d_\u2000-\U0010ffff]+")
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def _letters(text: str) -> dict[str, int]:
    """Letters by script (kana, han, and alphabetic letters below U+2000), counted by the regex
    engine in runs (one string per word rather than one per letter). Most stories are ASCII
    throughout: they hold no kana or Han, and their letters are counted in C."""
    if text.isascii():
        return {"kana": 0, "han": 0, "latin": len(text.encode("ascii").translate(None, _NOT_ASCII_LETTERS))}
    return {"kana": _count(_KANA, text), "han": _count(_HAN, text), "latin": _count(_LATIN, text)}


def _count(letters: re.Pattern, text: str) -> int:
    return sum(map(len, letters.findall(text)))


def release() -> None:
    """Let go of py3langid's model (about 75 MB with its tables) once the sources are read: the
    stages after reading never tell a language, and the largest of them, merge, then has that
    memory (200,000 posts' claims and events). A later ``assign`` loads it again."""
    _identifier.cache_clear()


@cache
def _identifier():
    """py3langid's model, restricted to the supported languages; loaded on first need (about a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(supported()))
    return identifier
