"""Every language file proves itself: its samples read as written beside them, its negatives give
nothing, its milestone samples get their kind; every template's example is found, and every zone
in zones.toml is read in at least one sample of some language."""
from __future__ import annotations

from datetime import datetime

import pytest

from outagetl.events import classify
from outagetl.lexicon import available, lexicon
from outagetl.model import Record, Source, SourceDoc
from outagetl.tables import load
from outagetl.timeparse import find, parse_source
from outagetl.timeparse.anchor import region_for_token
from outagetl.timeparse.grammar import _table, grammar
from outagetl.timeparse.zones import zone as zone_of

LANGS = available()


def _doc(lang: str, text: str) -> SourceDoc:
    ctx = lexicon(lang).samples["context"]
    source = Source(path=f"{lang}.txt", published=ctx["published"], zone=ctx["zone"], zone_rule="pinned:manifest",
                    language=lang)
    return SourceDoc(source, (Record(source=source.path, index=0, text=text, line=1),), text=text)


def _samples():
    for lang in LANGS:
        for text, want in lexicon(lang).samples.items():
            if text != "context":
                yield pytest.param(lang, text, want, id=f"{lang}:{text}")


def _local(mention) -> str:
    # a region, or a fixed offset such as "UTC+05:30" (written "UTC+5:30")
    local = mention.span.best.astimezone(zone_of(mention.span.zone)) if mention.span.zone != "UTC" else mention.span.best
    if mention.span.precision in ("day", "part-of-day"):
        start = mention.span.earliest.astimezone(zone_of(mention.span.zone))
        return start.date().isoformat()
    if mention.span.precision == "approximate":
        return local.strftime("%Y-%m-%dT%H:%M")
    return local.strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("lang,text,want", list(_samples()))
def test_sample_reads_as_written(lang, text, want):
    parsed = parse_source(_doc(lang, text))
    ms = [m for m in parsed.mentions if not m.own_time]
    got = "; ".join(f"{m.text!r} {_local(m)} {m.span.zone} {m.span.precision} {[str(f) for f in m.span.flags]}"
                    for m in ms) or f"nothing ({[s.reason for s in parsed.skipped]})"
    assert ms, f"{text!r}: {got}"
    first = ms[0]
    ctx_zone = lexicon(lang).samples["context"]["zone"]
    assert _local(first) == want["local"], got
    assert first.span.zone == want.get("zone", ctx_zone), got
    assert first.span.precision == want.get("precision", "minute"), got
    codes = {f.code for f in first.span.flags}
    for code in want.get("flags", []):
        assert code in codes, got
    if "end" in want:
        assert len(ms) == 2 and _local(ms[1]) == want["end"], got
    else:
        assert len(ms) == 1, got


def _negatives():
    for lang in LANGS:
        for text in lexicon(lang).negatives:
            yield pytest.param(lang, text, id=f"{lang}:{text}")


@pytest.mark.parametrize("lang,text", list(_negatives()))
def test_negative_finds_nothing(lang, text):
    found = find(text, lang)
    assert found == [], [e.text for e in found]


def _milestones():
    for lang in LANGS:
        for text, kind in lexicon(lang).milestones.get("samples", {}).items():
            yield pytest.param(lang, text, kind, id=f"{lang}:{text}")


@pytest.mark.parametrize("lang,text,kind", list(_milestones()))
def test_milestone_sample(lang, text, kind):
    found = find(text, lang)
    start, end = (found[0].start, found[0].end) if found else (0, 0)
    assert classify(text, start, end, lang=lang) == kind


@pytest.mark.parametrize("template", [t for t in _table()["template"]], ids=lambda t: t["id"])
def test_every_template_finds_its_example(template):
    g = grammar("en")
    assert template["id"] in {t.id for t in g.templates}
    found = find(template["example"], "en")
    assert found and template["id"] in found[0].atoms + tuple(a for e in found for a in e.atoms), \
        [(e.text, e.atoms) for e in found]


@pytest.mark.parametrize("lang", LANGS)
def test_no_milestone_phrase_names_two_kinds(lang):
    seen = {}
    table = lexicon(lang).milestones
    for kind in ("start", "detected", "acknowledged", "mitigated", "resolved", "update"):
        for phrase in table.get(kind, []):
            assert phrase not in seen, (phrase, seen.get(phrase), kind)
            seen[phrase] = kind


def _zones_read_in_samples() -> set[str]:
    tokens = set()
    for lang in LANGS:
        for text, _ in ((t, w) for t, w in lexicon(lang).samples.items() if t != "context"):
            for e in find(text, lang):
                if e.zone:
                    tokens.add(e.zone.strip().casefold())
    return tokens


def test_every_zone_entry_appears_in_a_sample():
    seen = _zones_read_in_samples()
    table = load("zones")
    entries = [a for a in table["abbreviations"] if a != "Z"] + list(table["names"])
    missing = [e for e in entries if e.casefold() not in seen]
    assert not missing, f"zones.toml entries no language sample reads: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_language_zone_names_resolve(lang):
    for name, target in lexicon(lang).zones.items:
        region, _ = region_for_token(target, datetime(2024, 7, 19).date())
        assert region, (lang, name)
