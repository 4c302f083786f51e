"""The time grammar of one language: ``data/grammar.toml``'s templates compiled with its lexicon.

A template is a regular expression over named slots (``{hour}:{minute}``, ``{day}. {month}``,
``{hour} {hour_word}``); each slot is filled from the lexicon (``{month}`` becomes that language's
month names) or from ``zones.toml`` (``{zone}`` is every abbreviation, zone name, offset and IANA
name there, in every template). What a template finds and what evidence it needs is declared
beside it, so the extractor only runs templates and never branches on which one matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .. import kept
from ..lexicon import Lexicon, Words, base_language, lexicon
from ..tables import load
from .zones import zone_names

# Numbers: the same in every language.
_NUMERIC = {
    "year": r"(?P<year>\d{4})",
    "year_before": r"(?P<year_before>\d{4})",
    "month_num": r"(?P<month>0?[1-9]|1[0-2])",
    "day": r"(?P<day>0?[1-9]|[12]\d|3[01])",
    "hour": r"(?P<hour>[01]?\d|2[0-3])",
    "hour12": r"(?P<hour>1[0-2]|0?[1-9])",
    "minute": r"(?P<minute>[0-5]\d)",
    "minute_any": r"(?P<minute>[0-5]?\d)",
    "second": r"(?P<second>[0-5]\d)",
    "hhmm": r"(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)",
    "numeric_a": r"(?P<numeric_a>0?[1-9]|[12]\d|3[01])",
    "numeric_b": r"(?P<numeric_b>0?[1-9]|[12]\d|3[01])",
    "numeric_year": r"(?P<numeric_year>(?:19|20)?\d{2})",
    "coarse_year": r"(?P<year>(?:19|20)\d{2})",
}
_NUMBER_SLOT = re.compile(r"\{(?:" + "|".join(_NUMERIC) + r")[?:}]")
# Numbers written as words ("deux heures", "八点"): a template with one may match text with no digit.
_WORD_NUMBER_SLOT = re.compile(r"\{(?:hour_name|minute_name)[?~:}]")
_DIGITS_OR_WORDS = frozenset({"count"})
"""Slots filled by digits as well as by their words ("24 hours later", "two hours later"): a text
without the words may still hold them."""
_SLOT = re.compile(r"\{(?P<name>[a-z_0-9]+)(?P<opt>[?~])?(?::(?P<mods>[xo]+))?\}")
# What makes the character before it optional or repeated.
_QUANTIFIED = re.compile(r"[?*]|\{\d")
# A literal character written right after a slot: an escaped sign ("\.") or a plain one (":", "/").
_AFTER_NUMBER = re.compile(r"\\(?P<escaped>[^\w\s])|(?P<plain>[^\w\s.^$*+?{}\[\]\\|()])")
# Slots whose group has another name (a month as a word, beside {month_num}'s number).
_GROUP = {"month": "month_name"}
# Lexicon lists that are suffixes of a number ("3rd", "15h", "3時"): no word boundary before them.
_SUFFIXES = {"ordinal", "hour_word", "minute_word", "half", "day_word", "month_word", "daypart_compound"}


@dataclass(frozen=True)
class Template:
    id: str
    slot: str
    pattern: re.Pattern
    zone_after: bool = False
    needs: frozenset[str] = frozenset()
    alone: frozenset[str] = frozenset()
    start_at: str | None = None
    sets: tuple[tuple[str, object], ...] = ()
    digits: bool = True
    """Only worth running on text with a digit in it."""
    requires: frozenset[str] = frozenset()
    """Lexicon slots it cannot match without: it runs only on text that holds one of each one's words."""
    literals: str = ""
    """Characters it cannot match without (":" for "15:30", "." for "19.07.2024")."""
    after_digit: str = ""
    """Those of them it cannot match without right after a digit ("15:30", "19.07.2024"): a
    sentence's full stop is no clock's dot."""
    digit_first: bool = False
    """Every match begins with a digit (the template opens with a number, after look-behinds
    only): it is run from the text's first digit, not from its first character."""
    run_first: bool = False
    r"""Every match begins a run of digits (a digit-first template whose look-behind refuses a
    digit before it, ``(?<![\d:.])``): it is tried at the start of each run of digits in the text
    instead of searched for along it, past every other character."""


@dataclass(frozen=True)
class Grammar:
    """Everything ``extract.find`` runs for one language, compiled once."""

    lexicon: Lexicon
    templates: tuple[Template, ...]
    zone_after: re.Pattern
    cue_before: re.Pattern | None
    dotted_cue_before: re.Pattern | None
    numeric_cue_before: re.Pattern | None
    range_from_before: re.Pattern | None
    join: re.Pattern
    range_gap: re.Pattern
    apposition: re.Pattern
    hedges_before: re.Pattern | None
    """Any hedge word right at the end of a text, matched at the start of the text reversed (one
    match instead of a search); the longest first; group ``h<i>`` is key ``hedge_keys[i]``."""
    hedge_keys: tuple[str, ...]
    hedge_after: re.Pattern | None
    whole_hour: re.Pattern | None
    relative: tuple[Template, ...]
    comparison: re.Pattern | None
    coarse: tuple[Template, ...]
    """Month- or year-only expressions; ``slot`` is "month" or "year"."""
    all_times: re.Pattern | None
    all_times_needles: tuple[str, ...] | None = None
    """The longest word of each phrase that declares the zone of all times ("all times are"),
    case-folded: a text that holds none of them declares none, and ``all_times`` (a search over a
    whole source) is not run on it."""
    all_times_ascii: tuple[str, ...] | None = None
    """The same phrases in lower case, one space between their words (None when one of them is
    not ASCII): an ASCII text that holds none of them once its runs of space are one space each
    declares no zone, told without trying the case-insensitive ``all_times`` at every position of
    the whole source (on ASCII text, a case-insensitive match is a match of the lower-case phrase
    in the lower-case text)."""
    slot_words: dict = field(default_factory=dict, compare=False)
    """Per lexicon slot a template requires: (True, each of its words or phrases as the tuple of
    the words in it), or, for slots written against a number ("8am", "3rd") and in languages
    without spaces, (False, the words themselves), case-folded: to tell cheaply whether a text may
    hold one. A phrase ("the next day") needs every word of it, not only its first ("the")."""
    word_gate: frozenset[str] | None = None
    """Every first word the templates that need no digit require: a text with no digit and none
    of these words holds no time (None when some such template needs no word at all)."""
    weak_zones: frozenset[str] = field(default=frozenset())
    """Zone names that are plain region words ("central", "pacific"): not evidence on their own."""
    runnable: dict = field(default_factory=dict, compare=False)
    """(group, what a text holds) → the group's templates that may match such a text: filled as
    texts are read, so the gate is told once per combination rather than once per text (``extract._Holds``)."""
    zone_trailing: re.Pattern | None = None
    """A zone written after the whole expression rather than right after its clock: a spelled-out
    zone name after a comma or after the date ("alle 10.40, ora italiana", "all'1:30 di venerdì,
    orario della costa est americana"), or any zone in brackets ("às 10h52 de sexta (UTC)")."""


@cache
def grammar(lang: str | None = None) -> Grammar:
    code = base_language(lang)
    return _compile(lexicon(code))


def _table() -> dict:
    return load("grammar")


def _bounded(lex: Lexicon, body: str, suffix: bool = False, open_end: bool = False) -> str:
    """Whole words in languages that write spaces; a suffix ("3rd", "15h") has no boundary before
    it, an open slot (``{weekday:o}`` in "Freitagabend") none after it."""
    if not lex.spaces:
        return body
    before = "" if suffix else r"(?<!\w)"
    # A word ending in an apostrophe ("d'", "l'") or a hyphen ("mid-") runs into the next one: "en
    # fin d'après-midi", "mid-afternoon".
    after = "" if open_end else r"(?:(?<=['-])|(?!\w))"
    return before + body + after


def zone_alternatives(lex: Lexicon) -> str:
    """Every way a zone is written: zones.toml abbreviations, names and offsets, IANA names, and
    every language's own zone names ("deutscher Zeit", "日本時間")."""
    return _zone_alternatives(lex.spaces)


@cache
def _zone_alternatives(spaces: bool) -> str:
    """The same for every language that writes (or does not write) spaces: built once for each."""
    abbrs = sorted((a for a in load("zones")["abbreviations"] if a != "Z"), key=len, reverse=True)
    return (
        r"(?:(?:UTC|GMT)\s?[+\-−]\s?\d{1,2}(?::?\d{2})?"
        r"|[+\-−]\d{2}:?\d{2}(?!\d)"
        r"|(?:" + "|".join(abbrs) + r")(?![A-Za-z])"
        r"|" + _names(spaces, zone_names()) +
        r"|[A-Z][A-Za-z]+(?:_[A-Z][a-z]+)*/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?"
        r"|Z(?![A-Za-z0-9]))"
    )


def named_zone_alternatives(lex: Lexicon) -> str:
    """The spelled-out zone names only (zones.toml's and every language's), without the plain
    region words ("central"): the zones a writer may set off with a comma after a time."""
    return _named_zone_alternatives(lex.spaces)


@cache
def _named_zone_alternatives(spaces: bool) -> str:
    weak = {w.casefold() for w in load("zones")["weak"]["names"]}
    return _names(spaces, [n for n in zone_names() if n.casefold() not in weak])


def _names(spaces: bool, names) -> str:
    """Zone names as one case-insensitive alternation; a space matches any run. The names (some
    three hundred) are written as a trie, one branch per next letter, so that a position is tried
    against each letter once rather than against every name; a name that is the start of a longer
    one ends in an optional tail, which is tried first, so the longest name written wins."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    return r"(?i:" + _trie_pattern(trie) + r")" + (r"(?!\w)" if spaces else "")


def _trie_pattern(node: dict) -> str:
    alts = [(r"\s+" if ch == " " else re.escape(ch)) + _trie_pattern(node[ch]) for ch in sorted(k for k in node if k)]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


def _meridiem(lex: Lexicon) -> str:
    """"a.m." also matches "a. m." and "a.m"; the words are matched in the case written."""
    alts = []
    for word in sorted(lex.meridiem.words, key=len, reverse=True):
        parts = [re.escape(p) for p in word.split(".")]
        if word.endswith(".") and len(parts) > 1:
            body = r"\.\s?".join(parts[:-1]) + r"\.?"
        else:
            body = r"\.\s?".join(parts)
        alts.append(body + (r"(?![A-Za-z])" if lex.spaces and not lex.meridiem_before else ""))
    return "(?:" + "|".join(alts) + ")" if alts else ""


def _lists(lex: Lexicon) -> dict[str, Words | str]:
    relday_part = Words(tuple((w, v) for w, v in lex.relative_days.items if v.part), lex.relative_days.case)
    return {
        "meridiem": lex.meridiem,
        "month": (lex.months, lex.month_abbreviations),
        "weekday": lex.weekdays, "weekday_abbr": lex.weekday_abbreviations,
        "relday": lex.relative_days, "relday_part": relday_part,
        "daypart": lex.daypart_words, "daypart_modifier": lex.daypart_modifiers,
        "daypart_this": lex.daypart_this, "daypart_intro": lex.daypart_intro,
        "daypart_intro_modifier": lex.daypart_intro_modifiers, "daypart_after_hour": lex.daypart_after_hour,
        "daypart_compound": lex.daypart_compounds,
        "noon": lex.noon, "ordinal": lex.ordinal, "day_month_join": lex.day_month_join,
        "day_of_month_prefix": lex.day_of_month_prefix, "hour_word": lex.hour_words,
        "hour_name": lex.hour_names, "minute_name": lex.minute_names, "minute_word": lex.minute_words,
        "half": lex.half_words, "minute_offset": lex.minute_offsets, "day_word": lex.day_words, "month_word": lex.month_words,
        "duration": lex.durations, "quantity": lex.quantities, "military_suffix": lex.military_suffix,
        "range_from": lex.range_from, "range_to": lex.range_to, "cue": lex.cues,
        "count": lex.numbers, "unit": lex.units, "later": lex.later, "earlier": lex.earlier,
        "within": lex.within, "first_subject": lex.first_subjects, "first_filler": lex.first_fillers,
        "first_verb": lex.first_verbs, "first_particle": lex.first_particles,
        "coarse_prefix": lex.coarse_prefixes, "coarse_year_prefix": lex.coarse_year_prefixes,
        "coarse_year_modifier": lex.coarse_year_modifiers, "coarse_period": lex.coarse_periods,
        "all_times": lex.all_times, "all_times_region": lex.all_times_regions,
    }


def _expand(pattern: str, lex: Lexicon, lists: dict, zone: str, meridiem: str) -> str | None:
    """The template with every slot filled; None when the language lacks a slot it requires."""
    missing = False

    def fill(m: re.Match) -> str:
        nonlocal missing
        name, mark, mods = m.group("name"), m.group("opt"), m.group("mods") or ""
        plain, open_end = "x" in mods, "o" in mods
        optional = mark == "?"
        may_lack = mark in ("?", "~")
        if name in _NUMERIC:
            body = _NUMERIC[name]
            return re.sub(r"\(\?P<\w+>", "(?:", body) if plain else body
        if name == "zone":
            return zone if plain else f"(?P<zone>{zone})"
        if name == "meridiem":
            if not meridiem:
                missing = missing or not may_lack
                return "" if optional else "(?!)"
            if optional:
                return f"(?:{meridiem})?" if plain else f"(?P<meridiem>{meridiem})?"
            return meridiem if plain else f"(?P<meridiem>{meridiem})"
        if name == "count":
            words = lists["count"]
            body = r"\d{1,3}" + ("|" + words.alternation() if words else "")
            return f"(?:{body})" if plain else f"(?P<count>{body})"
        words = lists.get(name)
        if words is None:
            raise ValueError(f"grammar: unknown slot {{{name}}}")
        if isinstance(words, tuple):
            present = [w for w in words if w]
            body = "(?:" + "|".join(w.alternation() for w in present) + ")" if present else ""
        else:
            body = words.alternation() if words else ""
        if not body:
            missing = missing or not may_lack
            return "" if optional else "(?!)"
        body = _bounded(lex, body, suffix=name in _SUFFIXES, open_end=open_end)
        if optional:
            return f"(?:{body})?" if plain else f"(?P<{_GROUP.get(name, name)}>{body})?"
        return f"(?:{body})" if plain else f"(?P<{_GROUP.get(name, name)}>{body})"

    out = _SLOT.sub(fill, pattern)
    if missing:
        return None
    if not lex.spaces:
        # No word boundaries, and no spaces needed between words ("一小时后", "两个小时后").
        out = out.replace(r"\b", "").replace(r"\s+", r"\s*")
    return out


def _requirements(pattern: str, lists: dict, spaces: bool) -> dict:
    """What a template cannot match without: a digit (a numeric slot it must fill) and the lexicon
    slots it must fill, read off the template's own text: a slot counts unless it is marked ``?``/``~``,
    or sits in an optional group, a branch of an alternation or a negative look-around."""
    groups: list[dict] = []
    slots: list[tuple[str, list[dict]]] = []
    chars: list[tuple[str, list[dict]]] = []
    after_digit: list[tuple[str, list[dict]]] = []
    top = {"loose": False}
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1:i + 2]
            if nxt and not nxt.isalnum() and not _QUANTIFIED.match(pattern, i + 2):
                chars.append((nxt, list(groups)))  # an escaped literal: "\." in "{day}\.{month_num}"
            i += 2
            continue
        if ch == "[":
            j = i + 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            negative = pattern.startswith(("(?!", "(?<!"), i)
            groups.append({"loose": negative})
        elif ch == ")" and groups:
            group = groups.pop()
            rest = pattern[i + 1:i + 3]
            if rest[:1] in ("?", "*") or rest.startswith("{0"):
                group["loose"] = True
        elif ch == "|":
            (groups[-1] if groups else top)["loose"] = True
        elif ch in ":/" and not _QUANTIFIED.match(pattern, i + 1) and pattern[i - 1:i] not in ("?", "("):
            chars.append((ch, list(groups)))
        elif ch == "{":
            m = _SLOT.match(pattern, i)
            if m and not m.group("name").isdigit():
                slots.append((m.group("name") if not m.group("opt") else "", list(groups)))
                # a number ends in a digit: a literal written right after it follows a digit
                nxt = _AFTER_NUMBER.match(pattern, m.end())
                if m.group("name") in _NUMERIC and not m.group("opt") and nxt and not _QUANTIFIED.match(pattern, nxt.end()):
                    after_digit.append((nxt.group("escaped") or nxt.group("plain"), list(groups)))
                i = m.end()
                continue
        i += 1
    required = [name for name, inside in slots if name and not top["loose"] and not any(g["loose"] for g in inside)]
    literals = "".join(dict.fromkeys(c for c, inside in chars if not top["loose"] and not any(g["loose"] for g in inside)))
    after = "".join(dict.fromkeys(c for c, inside in after_digit if not top["loose"] and not any(g["loose"] for g in inside)))
    # a template that may write its numbers as words ("at ten past nine") needs no digit
    digits = any(name in _NUMERIC for name in required) and not _WORD_NUMBER_SLOT.search(pattern)
    first = _digit_first(pattern)
    return {"digits": digits, "literals": literals, "after_digit": after, "digit_first": first,
            "run_first": first and _refuses_digit_before(pattern, spaces),
            "requires": frozenset(n for n in required if n in lists and isinstance(lists[n], (Words, tuple))
                                  and n not in _DIGITS_OR_WORDS)}


def _digit_first(pattern: str) -> bool:
    """Whether every match of the template begins with a digit: past its leading look-behinds and
    word boundaries it writes a number slot (every one opens with a digit), and it is no
    alternation at its top level."""
    i = 0
    while True:
        if pattern.startswith(("(?<!", "(?<="), i):
            i = _group_end(pattern, i)
        elif pattern.startswith(r"\b", i):
            i += 2
        else:
            break
    m = _SLOT.match(pattern, i)
    return bool(m and m.group("name") in _NUMERIC and not m.group("opt") and not _QUANTIFIED.match(pattern, m.end())) \
        and not _top_alternation(pattern)


def _refuses_digit_before(pattern: str, spaces: bool) -> bool:
    r"""Whether the zero-width tests a template opens with refuse a digit before its start: a
    negative look-behind that matches every digit (``(?<!\d)``, or a class that holds ``\d``:
    ``(?<![\d:.$£€])``), or a word boundary where the language writes spaces (elsewhere it is
    taken out): before the digit a digit-first template begins with, a boundary means no word
    character, so no digit, before it."""
    i = 0
    while True:
        if pattern.startswith(("(?<!", "(?<="), i):
            end = _group_end(pattern, i)
            body = pattern[i + 4:end - 1]
            if pattern.startswith("(?<!", i) and (body == r"\d" or _class_holds_digit(body)):
                return True
            i = end
        elif pattern.startswith(r"\b", i):
            if spaces:
                return True
            i += 2
        else:
            return False


def _class_holds_digit(body: str) -> bool:
    r"""Whether ``body`` is one character class, not negated, that lists ``\d``."""
    if not body.startswith("[") or body.startswith("[^") or _class_end(body, 0) != len(body):
        return False
    i = 1
    while i < len(body) - 1:
        if body[i] == "\\":
            if body[i + 1] == "d":
                return True
            i += 2
        else:
            i += 1
    return False


def _scan(pattern: str, i: int = 0):
    """(index, character, depth of the groups around it) of each character of ``pattern`` from
    ``i`` on that is neither escaped nor inside a character class."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            continue
        depth += (ch == "(") - (ch == ")")
        yield i, ch, depth
        i += 1


def _group_end(pattern: str, i: int) -> int:
    """The index just after the group opened at ``pattern[i]``."""
    return next((j + 1 for j, _ch, depth in _scan(pattern, i) if depth == 0), len(pattern))


def _class_end(pattern: str, i: int) -> int:
    """The index just after the character class opened at ``pattern[i]``."""
    j = i + 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _top_alternation(pattern: str) -> bool:
    return any(ch == "|" and depth == 0 for _i, ch, depth in _scan(pattern))


def _word_gate(templates, slot_words: dict) -> frozenset[str] | None:
    gate: set[str] = set()
    for t in templates:
        if t.digits:
            continue
        entries = [slot_words.get(s) for s in sorted(t.requires)]  # not the set's order: one gate every run
        if not entries or any(e is None for e in entries):
            return None
        entry = entries[0]  # one required slot's words are enough to rule the template out
        if not entry[0]:
            return None  # looked for as substrings: not a set of words
        gate |= {words[0] for words in entry[1]}
    return frozenset(gate)


def _first_words(words, by_word: bool) -> tuple[bool, frozenset] | None:
    """None when some word has no letter or digit to look for ("~", "%"): the slot can't be ruled out.

    Looked for by word, a phrase is the tuple of its words: the slot is bounded on both sides, so
    each run of letters in the phrase is a whole word of any text it matches."""
    out: set = set()
    for w in (words if isinstance(words, tuple) else (words,)):
        for word in w.words:
            folded = word.casefold()
            if not re.match(r"\w+", folded):
                return None
            # looked for as a substring: up to its first space, since the template takes any run of
            # space there ("p.\u00a0m." for "p. m.")
            out.add(tuple(re.findall(r"\w+", folded)) if by_word else folded.split()[0])
    return by_word, frozenset(out)


def _needles(words: Words) -> tuple[str, ...] | None:
    """The longest word of each of ``words``, case-folded (None when one has no letter or digit)."""
    out = {max(re.findall(r"\w+", w.casefold()), key=len, default="") for w in words.words}
    return None if "" in out else tuple(sorted(out))


def _ascii_phrases(words: Words) -> tuple[str, ...] | None:
    """``words`` in lower case with one space between their words; None without words or when one
    is not ASCII."""
    if not words or not all(w.isascii() for w in words.words):
        return None
    return tuple(sorted({" ".join(w.lower().split()) for w in words.words}))


def _alternation(words: Words, lex: Lexicon) -> str:
    return _bounded(lex, words.alternation())


def _compile(lex: Lexicon) -> Grammar:
    table = _table()
    lists = _lists(lex)
    zone = zone_alternatives(lex)
    meridiem = _meridiem(lex)
    own = {t["id"]: t for t in lex.templates}
    entries = [own.pop(t["id"], t) for t in table["template"]] + list(own.values())
    templates = []
    for entry in entries:
        if entry.get("off"):
            continue
        body = _expand(entry["pattern"], lex, lists, zone, meridiem)
        if body is None:
            continue
        templates.append(Template(
            id=entry["id"], slot=entry["slot"], pattern=kept.compile(body),
            zone_after=entry.get("zone") == "after",
            needs=frozenset(entry["needs"].split("|")) if entry.get("needs") else frozenset(),
            alone=frozenset(entry["alone"].split("|")) if entry.get("alone") else frozenset(),
            start_at=entry.get("start_at"), sets=tuple(sorted(entry.get("set", {}).items())),
            **_requirements(entry["pattern"], lists, lex.spaces),
        ))

    def words_at_end(words: Words) -> re.Pattern | None:
        return kept.compile(r"(?:" + _alternation(words, lex) + r")\s*$") if words else None

    join_words = "|".join(_alternation(w, lex) for w in (lex.joins,) if w)
    join = kept.compile(r"^(?:\s|,|@|\(|\)|T(?=\d)|[-–—]" + (f"|{join_words}" if join_words else "") + r")*$")
    range_words = "|".join(x for x in (_alternation(lex.range_to, lex) if lex.range_to else "",) if x)
    range_gap = kept.compile(r"^\s*(?:-|–|—|~|〜|～" + (f"|{range_words}" if range_words else "") + r")\s*$")
    appos = _alternation(lex.apposition, lex) if lex.apposition else None
    apposition = kept.compile(r"^\s*(?:\(|/" + (rf"|,?\s*{appos}\s" if appos else "") + r")\s*$")
    ordered = sorted(lex.hedges_before.items, key=lambda kv: (-len(kv[0]), kv[0]))
    alts = [f"(?P<h{i}>" + re.escape(word[::-1]).replace(r"\ ", r"\s+") + ")"
            + (r"(?!\w)" if word[0].isalpha() and lex.spaces else "") for i, (word, _key) in enumerate(ordered)]
    hedges = kept.compile(r"\s*(?:" + "|".join(alts) + ")", re.I) if alts else None
    hedge_keys = tuple(key for _word, key in ordered)
    after = (kept.compile(r"\s?-?(?P<word>" + lex.hedges_after.alternation() + r")" + (r"(?!\w)" if lex.spaces else ""))
             if lex.hedges_after else None)
    whole_hour = kept.compile(r"\s*" + _alternation(lex.whole_hour, lex), re.I) if lex.whole_hour else None
    relative = tuple(Template(f"relative{i}", "relative", kept.compile(b), **_requirements(p, lists, lex.spaces))
                     for i, p in enumerate(table["relative"]["patterns"]) for b in [_expand(p, lex, lists, zone, meridiem)] if b)
    coarse = tuple(Template(f"coarse{i}", kind, kept.compile(b), **_requirements(p, lists, lex.spaces))
                   for i, (kind, p) in enumerate(table["coarse"]["patterns"]) for b in [_expand(p, lex, lists, zone, meridiem)] if b)
    all_times = _expand(table["all_times"]["pattern"], lex, lists, zone, meridiem)
    weak = frozenset(load("zones")["weak"]["names"])
    needed = {name for t in (*templates, *relative, *coarse) for name in t.requires}
    # a slot written against a number or another word ("8am", "3rd", "Freitag|abend") is looked for
    # as a substring, the rest as a word
    joined = {m.group("name") for e in entries for m in _SLOT.finditer(e["pattern"]) if "o" in (m.group("mods") or "")}
    slot_words = {name: _first_words(lists[name], lex.spaces and name not in _SUFFIXES | joined | {"meridiem"})
                  for name in needed}
    named = named_zone_alternatives(lex)
    # A zone in brackets may be followed by a remark in the same brackets: "(hora peninsular, una
    # hora menos en Canarias)", "(heure de Paris, soit 13h30 GMT)".
    closed = r"\s?(?:\)|(?=[,;]\s))"
    trailing = kept.compile(r"(?:\s?\(\s?(?P<pzone>" + zone + r")" + closed + r"|(?:\s?,\s?|\s)(?P<zone>" + named + r"))")
    return Grammar(
        lexicon=lex, templates=tuple(templates),
        zone_after=kept.compile(r"\s?(?:\(\s?(?P<pzone>" + zone + r")" + closed + r"|(?P<zone>" + zone + r"))"),
        cue_before=words_at_end(lex.cues), dotted_cue_before=words_at_end(lex.dotted_cues), numeric_cue_before=words_at_end(lex.numeric_cues),
        range_from_before=words_at_end(lex.range_from),
        join=join, range_gap=range_gap, apposition=apposition, hedges_before=hedges, hedge_keys=hedge_keys, hedge_after=after,
        whole_hour=whole_hour, relative=relative, comparison=words_at_end(lex.comparisons),
        coarse=coarse, all_times=kept.compile(all_times) if all_times else None, all_times_needles=_needles(lex.all_times),
        all_times_ascii=_ascii_phrases(lex.all_times),
        weak_zones=weak, slot_words=slot_words,
        word_gate=_word_gate((*templates, *relative, *coarse), slot_words),
        zone_trailing=trailing,
    )
