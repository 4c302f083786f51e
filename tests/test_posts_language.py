"""A post's own language field (Twitter ``lang``, Mastodon ``language``, Bluesky ``langs``) is the
post's language, which its times are read in; most posts giving one give the export its language.
The posts are written for these tests."""
from __future__ import annotations

import json
from pathlib import Path

from outagetl.model import LanguageRule
from outagetl.pipeline import Options, build
from outagetl.sources import bluesky, mastodon, twitter
from outagetl.sources.language import assign

from timeparse_helpers import Z


def _tweet(ident: int, when: str, text: str, lang: str | None) -> dict:
    tweet = {"created_at": when, "id_str": str(ident), "full_text": text, "user": {"screen_name": f"user{ident}"}}
    if lang is not None:
        tweet["lang"] = lang
    return tweet


TWEETS = [
    _tweet(1, "Fri Jul 19 08:05:00 +0000 2024", "Outage here too, nothing loads since 9:40 CEST", "en"),
    # short: too few letters for the detector to tell, so only its own field says it is French
    _tweet(2, "Fri Jul 19 08:20:00 +0000 2024", "Panne depuis 9h40 !", "fr"),
    _tweet(3, "Fri Jul 19 08:30:00 +0000 2024", "Still down for me", "en"),
    _tweet(4, "Fri Jul 19 08:31:00 +0000 2024", "https://example.com/pic", "zxx"),
]


def test_a_tweets_lang_is_its_language_and_most_tweets_give_the_exports():
    doc = assign(twitter.read(Path("t.json"), json.dumps(TWEETS), "t.json"))
    assert (doc.source.language, doc.source.language_rule) == ("en", LanguageRule.DECLARED_POSTS)
    by_author = {r.author: r.language for r in doc.records}
    # a record's language is set only where it differs from its source's; "zxx" names no language
    assert by_author == {"@user1": None, "@user2": "fr", "@user3": None, "@user4": None}


def test_a_french_tweet_in_an_english_export_is_read_in_french(tmp_path):
    (tmp_path / "tweets.json").write_text(json.dumps(TWEETS), encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\npath = "tweets.json"\ntimezone = "Europe/Paris"\n',
                                           encoding="utf-8")
    timeline = build([str(tmp_path)], Options()).timeline
    french = [c for e in timeline.events for c in e.claims if c.author == "@user2" and c.local_text != c.quote]
    # "depuis 9h40" is a French time (the English grammar would not read it), 07:40Z
    assert [(c.local_text, c.span.best) for c in french if c.local_text.endswith("9h40")] == [
        ("depuis 9h40", Z("2024-07-19 07:40"))]


def test_a_mastodon_status_language_and_a_boost_takes_the_boosted_status():
    statuses = [
        {"id": "1", "created_at": "2025-04-28T10:40:00Z", "content": "<p>Sin luz desde las 12:33 horas</p>",
         "account": {"acct": "ana@example.social"}, "language": "es", "visibility": "public"},
        {"id": "2", "created_at": "2025-04-28T11:00:00Z", "content": "", "account": {"acct": "bob@example.social"},
         "language": "en", "visibility": "public",
         "reblog": {"id": "3", "created_at": "2025-04-28T10:50:00Z", "content": "<p>Caída general a las 12:33</p>",
                    "account": {"acct": "ana@example.social"}, "language": "es", "visibility": "public"}},
    ]
    doc = assign(mastodon.read(Path("m.json"), json.dumps(statuses), "m.json"))
    assert (doc.source.language, doc.source.language_rule) == ("es", LanguageRule.DECLARED_POSTS)
    assert [r.language for r in doc.records] == [None, None]


def test_bluesky_langs_gives_the_first_language():
    records = [
        {"$type": "app.bsky.feed.post", "createdAt": "2024-07-19T06:30:00Z", "text": "Störung seit 6:09 Uhr",
         "langs": ["de", "en"]},
        {"$type": "app.bsky.feed.post", "createdAt": "2024-07-19T06:40:00Z", "text": "同じく障害", "langs": ["ja"]},
        {"$type": "app.bsky.feed.post", "createdAt": "2024-07-19T06:50:00Z", "text": "same here", "langs": []},
    ]
    doc = assign(bluesky.read(Path("b.json"), json.dumps(records), "b.json"))
    assert (doc.source.language, doc.source.language_rule) == ("de", LanguageRule.DECLARED_POSTS)
    # an empty "langs" gives none, and "same here" is too short to tell: it keeps the export's
    assert [r.language for r in doc.records] == [None, "ja", None]


def test_a_csv_export_with_a_lang_column():
    text = ("created_at,username,text,lang\n"
            "2024-07-19T08:05:00Z,a,down since 9:40,en\n"
            "2024-07-19T08:06:00Z,b,caído desde las 9:40,es\n"
            "2024-07-19T08:07:00Z,c,down,und\n")
    doc = assign(twitter.read(Path("t.csv"), text, "t.csv"))
    assert doc.source.language_rule is LanguageRule.DECLARED_POSTS
    assert [(r.author, r.language) for r in doc.records] == [("@a", None), ("@b", "es"), ("@c", None)]


def test_the_manifest_declares_the_export_but_each_post_keeps_its_own(tmp_path):
    (tmp_path / "tweets.json").write_text(json.dumps(TWEETS), encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\npath = "tweets.json"\nlanguage = "de"\n', encoding="utf-8")
    report = build([str(tmp_path)], Options()).timeline.sources[0]
    assert (report.source.language, report.source.language_rule) == ("de", LanguageRule.DECLARED_MANIFEST)


def test_too_few_posts_giving_a_language_leave_the_export_to_the_detector():
    tweets = [_tweet(i, "Fri Jul 19 08:05:00 +0000 2024", text, lang) for i, (text, lang) in enumerate([
        ("Der Dienst ist seit dem Morgen gestört, teilte der Anbieter mit.", None),
        ("Die Störung dauert noch an, die Ursache ist noch nicht bekannt.", None),
        ("Auch bei uns ist das Netz seit acht Uhr nicht erreichbar.", None),
        ("down here too", "en"),
    ])]
    doc = assign(twitter.read(Path("t.json"), json.dumps(tweets), "t.json"))
    assert doc.source.language == "de" and doc.source.language_rule is not LanguageRule.DECLARED_POSTS
    assert [r.language for r in doc.records] == [None, None, None, "en"]
