"""Find time expressions in text: atoms that carry evidence, combined when adjacent.

Finding is kept apart from resolving (``anchor``): this module only says *what is written*
("Wednesday morning", "9:18 AM EST", "about 8 p.m.", "um 15:30 Uhr MESZ") and where; it knows no
dates, zones or clock arithmetic. The atoms come from the language's grammar (``grammar.py``:
templates over the lexicon), and an atom needs evidence — a digit with a clock shape, a month next
to a day, a weekday, a zone, a relative day word — so words like "we" or "may" are never times.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, pairwise

from ..lexicon import DEFAULT
from ..tables import load
from .grammar import Grammar, Template, grammar


@dataclass(frozen=True, slots=True)
class Expression:
    """What a time expression writes, before any date or zone is resolved."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    numeric: tuple[int, int] | None = None
    weekday: int | None = None
    weekday_past: bool = False
    """"last Friday", "vergangenen Freitag", "vendredi dernier": the weekday before the reference
    date, never that day itself nor one after it (set by a template)."""
    week: int | None = None
    """Calendar weeks from the reference date's week (Monday first) the weekday is in: -1 for
    "上周五", "先週金曜日", "Freitag letzter Woche", 0 for "本周三" (set by a template)."""
    relday: str | None = None
    """The relative day as written ("yesterday", "heute"), or "this" for "this morning"."""
    days: int | None = None
    """Days from the reference date the relative day means (-1 for "yesterday")."""
    relday_told: bool = False
    """The days count from the date the statement tells of ("the next day", "翌日"), when one is
    stated before it, rather than from the publication date."""
    daypart: str | None = None
    """A key of dayparts.toml ("early afternoon")."""
    hour: int | None = None
    """The hour as written: 1–12 with a meridiem or a part of day, else 0–23."""
    minute: int | None = None
    meridiem: str | None = None
    zone: str | None = None
    zone_shared: bool = False
    hedges: tuple[str, ...] = ()
    """Keys of hedges.toml [before] for the hedge words written before the time."""
    suffix_hedge: str | None = None
    hour_only: bool = False
    bare_12h: bool = False
    """A 12-hour culture's "9:18" with no a.m./p.m. and no zone (read as 24-hour, flagged)."""
    half_unknown: bool = False
    """A 12-hour culture's "6:03" (zone or not) with no a.m./p.m.: the other half of the day is a
    reading too, which a later stage may prefer."""
    zone_carried: bool = False
    """The zone was written for an earlier time in the same paragraph (set by ``mentions``)."""
    coarse: str | None = None
    relative: float | None = None
    """Minutes from an anchor time the source states ("two hours later"); negative for "earlier"."""
    relative_to: str | None = None
    """"last" absolute time before it, or "first" for "after it first went down"; "within" widens."""
    follows: str | None = None
    range_role: str | None = None
    """"start"/"end" of "12:02–13:45"; the end "follows" its start ("range"), an appositive
    "(17:05 UTC)" after a local time follows it ("apposition")."""
    atoms: tuple[str, ...] = field(default=(), compare=False)
    lang: str = DEFAULT
    time_start: int | None = field(default=None, compare=False)
    """Where the written time begins, after its hedge words ("until" in "until 2:25 PM")."""

    @property
    def has_date(self) -> bool:
        return bool(self.month or self.day or self.numeric or self.weekday is not None or self.relday)

    @property
    def has_time(self) -> bool:
        return self.hour is not None


@dataclass(slots=True)
class _Atom:
    template: Template
    start: int
    end: int
    values: dict
    pending: bool = False
    """It lacks the evidence it needs, unless it is one end of a range whose other end has its own
    ("de 15h30 à 17h", "de las 11 a las 14 horas"): decided once the atoms are grouped."""

    @property
    def slot(self) -> str:
        return self.template.slot


# Characters read as their ASCII forms when finding times, one for one so that every offset still
# points into the text as written: full-width digits, letters and signs (７月３日, １５：３０, （ＪＳＴ）),
# the ideographic space, and typographic apostrophes (aujourd’hui, jusqu’à, heure de l’Est).
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x2019: 0x27, 0x2018: 0x27, 0x02BC: 0x27}


def fold(text: str) -> str:
    """``text`` with the characters of ``_FOLD`` read as ASCII; the same length, the same offsets."""
    return text if text.isascii() else text.translate(_FOLD)


def all_times_zone(text: str, lang: str | None = None) -> str | None:
    """The zone a source declares for all its times ("All times are UTC", "(all times US/Pacific)")."""
    g = grammar(lang)
    text = fold(text)
    if g.all_times_ascii is not None and text.isascii():
        spaced = " ".join(text.lower().split())
        if not any(p in spaced for p in g.all_times_ascii):
            return None
    elif g.all_times_needles is not None:  # (a text that holds a whole phrase holds its longest word)
        folded = text.casefold()
        if not any(n in folded for n in g.all_times_needles):
            return None
    m = g.all_times.search(text) if g.all_times else None
    if not m:
        return None
    if m.group("zone"):
        return m.group("zone")
    return g.lexicon.all_times_regions.value(m.group("all_times_region"))


def find(text: str, lang: str | None = None) -> list[Expression]:
    """Every time expression in ``text`` in the grammar of ``lang`` (English when unknown), in
    order; coarse ones (a month, a year) are marked. Full-width digits and typographic apostrophes
    are read as ASCII ones; each expression's ``text`` is as written."""
    folded = fold(text)
    if folded != text:
        return [replace(e, text=text[e.start:e.end]) for e in _find(folded, lang)]
    return _find(text, lang)


@lru_cache(maxsize=1024)
def find_kept(text: str, lang: str | None = None) -> tuple[Expression, ...]:
    """``find``, remembered for the last thousand texts: a sentence written again (a story's
    boilerplate, every sentence of a syndicated story, a page's stamp read for its date and again
    for its times) is read once. Expressions are immutable, so one tuple serves every record."""
    return tuple(find(text, lang))


def _find(text: str, lang: str | None) -> list[Expression]:
    g = grammar(lang)
    holds = _Holds(text, g)
    if holds.nothing:
        return []
    atoms = _atoms(text, g, holds)
    groups = _group(text, atoms, g)
    found = [_expression(text, group, g) for group in groups]
    found = _share_across_ranges(text, found, g)
    taken = [(e.start, e.end) for e in found]
    found += _relatives(text, g, taken, holds)
    for template in holds.runnable("coarse"):
        kind = template.slot
        for m in template.pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Expression(m.start(), m.end(), m.group(), coarse=kind, lang=g.lexicon.code))
    return sorted(found, key=lambda e: e.start)


def _relatives(text: str, g: Grammar, taken: list[tuple[int, int]], holds) -> list[Expression]:
    lex = g.lexicon
    out = []
    for m in (m for t in holds.runnable("relative") for m in t.pattern.finditer(text)):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if g.comparison and g.comparison.search(text[max(0, m.start() - 15):m.start()]):
            continue
        count = m.group("count")
        number = float(count) if count.isdigit() else float(lex.numbers.value(count, 1))
        minutes = number * float(lex.units.value(m.group("unit"), 1))
        groups = m.groupdict()
        if groups.get("earlier"):
            minutes = -minutes
        hedges, start = _hedges_before(text, m.start(), g)
        anchor = "within" if groups.get("within") else ("first" if groups.get("first") else "last")
        out.append(Expression(start, m.end(), text[start:m.end()], hedges=hedges, relative=minutes,
                              relative_to=anchor, lang=lex.code))
        taken.append((start, m.end()))
    return out


_DIGIT = re.compile(r"\d")
_RUN = re.compile(r"(?<!\d)\d")
_AFTER_DIGIT = re.compile(r"\d(\D)")
_WORD = re.compile(r"\w+")


def _atoms(text: str, g: Grammar, holds: _Holds) -> list[_Atom]:
    found: list[_Atom] = []
    for template in holds.runnable("templates"):
        for m in holds.matches(template):
            values = {k: v for k, v in m.groupdict().items() if v is not None}
            start = m.start(template.start_at) if template.start_at else m.start()
            atom = _Atom(template, start, m.end(), values)
            if template.slot == "time" or (template.zone_after and "hour" in values):
                _attach_zone(text, atom, g)
            if not _has_needs(text, atom, template.needs, g):
                if "range" not in template.needs:
                    continue
                atom.pending = True
            found.append(atom)
    # An atom waiting for a range gives way to any atom that has its evidence; then the longest
    # atom wins where atoms overlap ("2019-07-03 11:45" beats "11:45").
    sure = [a for a in found if not a.pending]
    if len(sure) < len(found):
        clear = _clear_of(sure)
        found = sure + [a for a in found if a.pending and clear(a.start, a.end)]
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    kept: list[_Atom] = []
    for atom in found:
        if kept and atom.start < kept[-1].end:
            continue
        kept.append(atom)
    return kept


def _clear_of(atoms: list[_Atom]):
    """A test of whether a stretch ``[start, end)`` overlaps none of ``atoms``: the atoms that
    start before its end are a run of them sorted by start, and it is clear of them all when the
    furthest any of them reaches is not past its start. (Each waiting atom was tested against every
    sure one: a text of 4,000 times, 8 million tests.)"""
    atoms = sorted(atoms, key=lambda a: a.start)
    starts = [a.start for a in atoms]
    reach = list(accumulate((a.end for a in atoms), max))

    def clear(start: int, end: int) -> bool:
        before = bisect_left(starts, end)
        return before == 0 or reach[before - 1] <= start
    return clear


def _at_runs(pattern: re.Pattern, text: str, starts: list[int]):
    """``pattern.finditer(text)`` for a template whose every match begins a run of digits
    (``Template.run_first``): the pattern is tried at the start of each run, and a match is
    taken only where the one before it ended, as a search would."""
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m:
                end = m.end()
                yield m


_GROUPS = ("templates", "relative", "coarse")
MAX_COMBINATIONS = 100_000
"""Combinations of what a text holds whose runnable templates a grammar keeps (a few kilobytes
each at most); past them, a text's are told afresh."""


@dataclass(frozen=True, slots=True)
class _Gate:
    """What a grammar's templates look for in a text before any of them is run."""

    literals: frozenset[str]
    after_digit: frozenset[str]
    by_word: dict
    """word → (slot, the words of a phrase of that slot) for each phrase it is the longest word of."""
    vocabulary: frozenset[str]
    """Every word of those phrases: which of them a text holds decides which slots it may hold."""
    substrings: tuple[tuple[str, re.Pattern], ...]
    """(slot, one search for all its words) for the slots looked for as substrings."""
    always: frozenset[str]
    """Slots that cannot be ruled out."""


class _Holds:
    """Whether a text may hold one of a lexicon slot's words (a cheap test that lets a template be
    skipped, never one that decides a match)."""

    def __init__(self, text: str, g: Grammar):
        self.text, self.g = text, g
        first = _DIGIT.search(text)
        self.digits = first is not None
        self.first_digit = first.start() if first else len(text)
        # the characters written right after a digit
        self.after_digit = frozenset(_AFTER_DIGIT.findall(text)) if self.digits else frozenset()
        self.folded = text.casefold()
        self.tokens = set(_WORD.findall(self.folded)) if g.lexicon.spaces else None
        self._present: frozenset[str] | None = None
        self._runs: list[int] | None = None
        self._substrings: tuple[str, ...] | None = None
        self._runnable: dict[str, tuple[Template, ...]] | None = None

    @property
    def nothing(self) -> bool:
        """No template can match: no digit, and none of the words the wordy templates need."""
        g = self.g
        return not self.digits and g.word_gate is not None and (
            g.word_gate.isdisjoint(self.tokens) if self.tokens is not None else not any(w in self.folded for w in g.word_gate))

    def runnable(self, group: str) -> tuple[Template, ...]:
        """The templates of ``group`` ("templates", "relative", "coarse") that may match this text.
        Which may depends only on whether it has a digit, which of the templates' literal characters
        it holds (right after a digit too), which words of the required slots' phrases and which of
        the slots looked for as substrings: the answer for each such combination (for the three
        groups at once) is kept in the grammar, so a text pays for telling what it holds (in C, by
        set intersections), not for each template nor for each phrase."""
        if self._runnable is None:
            g = self.g
            gate = self._gate()
            words = gate.vocabulary.intersection(self.tokens) if self.tokens is not None else None
            self._substrings = tuple(slot for slot, words_in in gate.substrings if words_in.search(self.folded))
            key = (self.digits, gate.literals.intersection(self.text), gate.after_digit.intersection(self.after_digit),
                   words, self._substrings)
            found = g.runnable.get(key)
            if found is None:
                found = {group: tuple(t for t in getattr(g, group) if self.may(t)) for group in _GROUPS}
                if len(g.runnable) < MAX_COMBINATIONS:
                    g.runnable[key] = found
            self._runnable = found
        return self._runnable[group]

    def present(self) -> frozenset[str]:
        """The lexicon slots whose words the text may hold (every slot that cannot be ruled out)."""
        if self._present is None:
            gate = self._gate()
            found = set(gate.always)
            tokens = self.tokens
            if tokens is not None:
                for word in tokens & gate.by_word.keys():
                    found.update(slot for slot, words in gate.by_word[word] if tokens.issuperset(words))
            if self._substrings is None:
                self._substrings = tuple(slot for slot, words in gate.substrings if words.search(self.folded))
            found.update(self._substrings)
            self._present = frozenset(found)
        return self._present

    def _gate(self) -> _Gate:
        """What the templates of this grammar look for in a text, built once per grammar from the
        templates' literals and ``slot_words``."""
        gate = self.g.runnable.get("gate")
        if gate is None:
            templates = [t for group in _GROUPS for t in getattr(self.g, group)]
            by_word: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
            substrings, always = [], []
            for slot, entry in sorted(self.g.slot_words.items()):
                if entry is None:
                    always.append(slot)
                elif entry[0] and self.tokens is not None:
                    for words in entry[1]:
                        by_word.setdefault(max(words, key=len), set()).add((slot, words))
                else:
                    substrings.append((slot, re.compile("|".join(re.escape(w) for w in sorted(entry[1])))))
            gate = self.g.runnable["gate"] = _Gate(
                literals=frozenset(c for t in templates for c in t.literals),
                after_digit=frozenset(c for t in templates for c in t.after_digit),
                by_word={w: tuple(sorted(v)) for w, v in by_word.items()},
                vocabulary=frozenset(w for entries in by_word.values() for _slot, words in entries for w in words),
                substrings=tuple(substrings), always=frozenset(always))
        return gate

    def matches(self, template: Template):
        """The template's matches in the text: tried at the start of each run of digits for one
        whose every match begins a run (``Template.run_first``), searched for from the first digit
        for one whose every match begins with a digit (its look-behinds still read the characters
        before it), else from the first character."""
        if template.run_first:
            return _at_runs(template.pattern, self.text, self.runs())
        return template.pattern.finditer(self.text, self.first_digit if template.digit_first else 0)

    def runs(self) -> list[int]:
        """Where each run of digits in the text begins (``\\d`` as the templates read it)."""
        if self._runs is None:
            self._runs = [m.start() for m in _RUN.finditer(self.text, self.first_digit)] if self.digits else []
        return self._runs

    def _holds(self, slot: str) -> bool:
        return slot not in self.g.slot_words or slot in self.present()

    def may(self, template: Template) -> bool:
        """Whether the template may match at all: its digit, literals (right after a digit where it
        writes them so) and required slots' words are there."""
        if template.digits and not self.digits:
            return False
        for c in template.literals:
            if c not in self.text:
                return False
        for c in template.after_digit:
            if c not in self.after_digit:
                return False
        return all(self._holds(slot) for slot in template.requires)


def _attach_zone(text: str, atom: _Atom, g: Grammar) -> None:
    z = g.zone_after.match(text, atom.end)
    if not z:
        return
    token = z.group("zone") or z.group("pzone")
    if _is_false_zone(text, z, token, atom):
        return
    atom.values["zone"] = token
    atom.end = z.end()


def _is_false_zone(text: str, m: re.Match, token: str, atom: _Atom) -> bool:
    if token == "Z":
        return m.start() != m.start("zone")
    if token[0] in "+-−" and atom.template.id != "iso" and m.start("zone") == atom.end \
            and (":" in token or atom.template.id == "military"):
        return True  # "09:00-10:00" and "2230-0130 GMT" are ranges, not 09:00 at UTC-10
    if token[0] in "+-−" and int(re.sub(r"\D", "", token)[:2]) > 14:
        return True
    if "/" in token:
        from .zones import is_zone

        return not is_zone(token)
    return False


def _has_needs(text: str, atom: _Atom, needs: frozenset[str], g: Grammar, previous: _Atom | None = None,
               following: _Atom | None = None) -> bool:
    """Whether the atom has one of the kinds of evidence named (any one is enough); ``previous``
    and ``following`` are the atoms of the groups beside it, for the ends of a range."""
    return not needs or any(_EVIDENCE[need](text, atom, g, previous, following) for need in needs)


def _strong_zone(text: str, atom: _Atom, g: Grammar, previous, following=None) -> bool:
    zone = atom.values.get("zone")
    return bool(zone) and re.sub(r"\s+", " ", zone.strip()).casefold() not in g.weak_zones


def _cue(text: str, atom: _Atom, g: Grammar, previous, following=None) -> bool:
    return bool(g.cue_before and g.cue_before.search(text[max(0, atom.start - 24):atom.start]))


def _dotted_cue(text: str, atom: _Atom, g: Grammar, previous, following=None) -> bool:
    return bool(g.dotted_cue_before and g.dotted_cue_before.search(text[max(0, atom.start - 24):atom.start]))


def _numeric_cue(text: str, atom: _Atom, g: Grammar, previous, following=None) -> bool:
    return bool(g.numeric_cue_before and g.numeric_cue_before.search(text[max(0, atom.start - 12):atom.start]))


def _year(text: str, atom: _Atom, g: Grammar, previous, following=None) -> bool:
    return "numeric_year" in atom.values or "year" in atom.values


def _intro(text: str, atom: _Atom, g: Grammar, previous, following=None) -> bool:
    introduced = {"daypart_this", "daypart_intro_modifier", "daypart_modifier"} & set(atom.values)
    return bool(introduced) or _daypart_intro(text, atom, g)


def _range(text: str, atom: _Atom, g: Grammar, previous, following=None) -> bool:
    """One end of a range whose other end is a time with evidence of its own: the end of "between 8
    and 10 JST", "entre 10 h 15 et 11 h"; the start of "de 15h30 à 17h", after a range word."""
    if previous is not None and previous.slot == "time" and not previous.pending \
            and g.range_gap.match(text[previous.end:atom.start]):
        return True
    # A start that is a clock shape waiting for evidence may be vouched for by an end that waits for
    # it ("de 15h30 à 17h"); two numbers that both wait never vouch for each other. Without a range
    # word before it, only a start of the end's own shape joined by a dash is ("1700-2100 GMT").
    if following is None or following.slot != "time" or (following.pending and atom.pending):
        return False
    gap = text[atom.end:following.start]
    if not g.range_gap.match(gap):
        return False
    if g.range_from_before and g.range_from_before.search(text[max(0, atom.start - 24):atom.start]):
        return True
    return following.template is atom.template and not following.pending and bool(_DASH.fullmatch(gap.strip()))


_DASH = re.compile(r"[-–—]")


_EVIDENCE = {"zone": _strong_zone, "cue": _cue, "dotted_cue": _dotted_cue, "numeric_cue": _numeric_cue, "year": _year, "intro": _intro,
             "range": _range}


def _daypart_intro(text: str, atom: _Atom, g: Grammar) -> bool:
    """"in the morning": the intro words are part of the match but not captured."""
    head = text[atom.start:atom.end]
    intro = g.lexicon.daypart_intro
    return bool(intro) and bool(re.match(r"(?:" + intro.alternation() + r")\s", head))


def _group(text: str, atoms: list[_Atom], g: Grammar) -> list[list[_Atom]]:
    groups: list[list[_Atom]] = []
    for atom in atoms:
        if groups:
            last = groups[-1]
            gap = text[last[-1].end : atom.start]
            # a gap of join words only, short enough for "7pm local time on Saturday" and "às
            # 14h horário local de quinta-feira"
            if g.join.match(gap) and atom.slot not in {a.slot for a in last} and len(gap) <= 20:
                last.append(atom)
                continue
        groups.append([atom])
    kept = []
    for i, group in enumerate(groups):
        previous = groups[i - 1][-1] if i else None
        following = groups[i + 1][0] if i + 1 < len(groups) else None
        if any(a.pending for a in group):
            group = [a for a in group if not a.pending or _range(text, a, g, previous, following)]
            for a in group:
                a.pending = False
            if not group:
                continue
        if len(group) == 1 and group[0].template.alone and \
                not _has_needs(text, group[0], group[0].template.alone, g, previous, following):
            continue
        kept.append(group)
    return kept


def _expression(text: str, group: list[_Atom], g: Grammar) -> Expression:
    """The fields an expression writes, read from its atoms' named groups (the same names in
    every template and language)."""
    lex = g.lexicon
    start, end = group[0].start, group[-1].end
    fields: dict = {}
    for atom in group:
        v = atom.values
        fields.update(atom.template.sets)
        if "year" in v or "year_before" in v:
            fields["year"] = int(v.get("year") or v["year_before"])
        if "month" in v:
            fields["month"] = int(v["month"])
        if "month_name" in v:
            fields["month"] = _month_number(v["month_name"], lex)
        if "day" in v:
            fields["day"] = int(v["day"])
        if "numeric_a" in v:
            fields["numeric"] = (int(v["numeric_a"]), int(v["numeric_b"]))
            if "numeric_year" in v:
                y = int(v["numeric_year"])
                fields["year"] = y + 2000 if y < 100 else y
        if "weekday" in v:
            fields["weekday"] = lex.weekdays.value(v["weekday"].rstrip("."))
        if "weekday_abbr" in v:
            fields["weekday"] = lex.weekday_abbreviations.value(v["weekday_abbr"].rstrip("."))
        if "relday" in v:
            rel = lex.relative_days.value(v["relday"])
            fields["relday"] = re.sub(r"\s+", " ", v["relday"].strip().lower())
            fields["days"] = rel.days
            fields["relday_told"] = rel.told
            if rel.part:
                fields.setdefault("daypart", rel.part)
        if "daypart_compound" in v:
            fields["daypart"] = lex.daypart_compounds.value(v["daypart_compound"])
        if "daypart" in v:
            fields["daypart"] = _daypart_key(v, lex)
            if "daypart_this" in v:
                fields.setdefault("relday", "this")
                fields.setdefault("days", 0)
        if "hour" in v or "hour_name" in v:
            # "deux heures", "las cinco", "八点": an hour written as a word.
            fields["hour"] = int(v["hour"]) if "hour" in v else int(lex.hour_names.value(v["hour_name"]))
            # "3時半", "9点半", "las tres y media": a half-hour word stands for the minutes.
            fields["minute"] = int(v["minute"]) if "minute" in v else (
                int(lex.minute_names.value(v["minute_name"])) if "minute_name" in v else 30 if "half" in v else 0)
            if "minute_offset" in v:
                # "halb zehn" is 9:30, "Viertel nach acht" 8:15: the words move the hour named.
                total = fields["hour"] * 60 + fields["minute"] + int(lex.minute_offsets.value(v["minute_offset"]))
                fields["hour"], fields["minute"] = divmod(total % (24 * 60), 60)
            if "meridiem" in v:
                fields["meridiem"] = lex.meridiem.value(re.sub(r"\s", "", v["meridiem"]))
            elif lex.twelve_hour and atom.template.id == "clock" and 1 <= fields["hour"] <= 12 \
                    and not v["hour"].startswith("0"):
                fields["half_unknown"] = True
                fields["bare_12h"] = fields["hour"] <= 11 and "zone" not in v
        if "noon" in v:
            fields["hour"], fields["minute"] = int(lex.noon.value(v["noon"], 12)), 0
        if "zone" in v:
            fields["zone"] = v["zone"]
    if fields.get("daypart") and fields.get("hour") is not None:
        fields["bare_12h"] = fields["half_unknown"] = False
    end = _trailing_zone(text, end, fields, group, g)
    if g.whole_hour and fields.get("hour") is not None:
        hour_word = g.whole_hour.match(text, end)
        if hour_word:
            fields["hour_only"] = True
            end = hour_word.end()
    hedges, hedge_start = _hedges_before(text, start, g)
    # A hedge inside the expression, between its date and its time ("am Freitag gegen 10 Uhr",
    # "ontem, pelas 20h30"), is the time's as much as one written before the whole.
    for previous, atom in pairwise(group):
        if atom.slot == "time":
            hedges += _hedges_before(text, atom.start, g, floor=previous.end)[0]
    suffix = g.hedge_after.match(text, end) if g.hedge_after else None
    if suffix and fields.get("hour") is not None:
        fields["suffix_hedge"] = lex.hedges_after.value(suffix.group("word"))
        end = _trailing_zone(text, suffix.end(), fields, group, g)
    return Expression(start=hedge_start, end=end, text=text[hedge_start:end], hedges=hedges,
                      atoms=tuple(a.template.id for a in group), lang=lex.code, time_start=start, **fields)


def _trailing_zone(text: str, end: int, fields: dict, group: list[_Atom], g: Grammar) -> int:
    """A time's zone written after the whole expression rather than right after its clock: after
    the date that follows the time ("10:52 pm Sunday UTC", "às 10h52 de sexta-feira (horário de
    Brasília)"), or a spelled-out zone name after a comma ("alle 10.40, ora italiana", "all'1:30 di
    venerdì, orario della costa est americana"). Letters after a comma are no zone ("at 10:00, ET
    said"), nor is a region word ("at 10:00, Pacific islanders")."""
    if fields.get("hour") is None or fields.get("zone"):
        return end
    candidates = ((g.zone_after,) if group[-1].slot != "time" else ()) + ((g.zone_trailing,) if g.zone_trailing else ())
    for pattern in candidates:
        m = pattern.match(text, end)
        token = m and (m.group("zone") or m.group("pzone"))
        if token and not _is_false_zone(text, m, token, group[-1]):
            fields["zone"], fields["bare_12h"] = token, False
            return m.end()
    return end


def _month_number(word: str, lex) -> int:
    word = word.rstrip(".")
    value = lex.months.value(word)
    return int(value if value is not None else lex.month_abbreviations.value(word, 0))


def _daypart_key(values: dict, lex) -> str:
    """"early" + "afternoon" → "early afternoon" (a dayparts.toml key), "mid-" + "morning" → "mid-morning"."""
    part = lex.daypart_words.value(values["daypart"])
    modifier = values.get("daypart_intro_modifier") and lex.daypart_intro_modifiers.value(values["daypart_intro_modifier"])
    modifier = modifier or (values.get("daypart_modifier") and lex.daypart_modifiers.value(values["daypart_modifier"]))
    if not modifier:
        return part
    return f"{modifier}{part}" if modifier.endswith("-") else f"{modifier} {part}"


def _hedges_before(text: str, start: int, g: Grammar, floor: int = 0) -> tuple[tuple[str, ...], int]:
    """The hedge words written right before a time (not before ``floor``), as hedges.toml keys,
    and where they start; hedges that change nothing ("at") are left out of the expression's text."""
    table = load("hedges")["before"]
    hedges: list[tuple[str, int]] = []
    pos = start
    while g.hedges_before:
        m = g.hedges_before.match(text[max(floor, pos - 40) : pos][::-1])
        if not m:
            break
        pos -= m.end()
        hedges.insert(0, (g.hedge_keys[int(m.lastgroup[1:])], pos))
    while hedges and table.get(hedges[0][0]) == {"widen": [0, 0, 0]}:
        hedges.pop(0)
    return tuple(k for k, _ in hedges), (hedges[0][1] if hedges else start)


def _share_across_ranges(text: str, found: list[Expression], g: Grammar) -> list[Expression]:
    """In "between 8 and 10 a.m. ET on 2 January" the later zone, meridiem and date cover both;
    the later end is linked to its start so that its date can follow it past midnight."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if not (a.has_time and b.has_time):
            continue
        gap = text[a.end : b.start]
        to_time = text[a.end : b.time_start if b.time_start is not None else b.start]
        if g.apposition.match(gap):
            if b.has_date and not a.has_date:
                out[i] = replace(a, **{f: getattr(b, f) for f in _DATE_FIELDS})
                out[i + 1] = replace(b, follows="apposition", **{f: _DATE_DEFAULTS[f] for f in _DATE_FIELDS})
            elif not b.has_date:
                out[i + 1] = replace(b, follows="apposition")
            continue
        # "午後2時から4時まで": the range word is the start's own suffix
        suffixed = a.suffix_hedge == "from" and not gap.strip()
        if not (suffixed or g.range_gap.match(gap) or g.range_gap.match(to_time)):
            continue
        changes: dict = {"range_role": "start"}
        out[i + 1] = replace(out[i + 1], range_role="end")
        if not a.has_date and b.has_date:
            changes.update({f: getattr(b, f) for f in _DATE_FIELDS})
        elif not b.has_date:
            out[i + 1] = replace(out[i + 1], follows="range")
        if a.zone is None and b.zone is not None:
            changes.update(zone=b.zone, zone_shared=True)
        if a.meridiem is None and b.meridiem is not None and a.hour is not None and 1 <= a.hour <= 12:
            # "11 to 1 p.m." is 11 a.m.: a start written later on the clock face is in the other half.
            later_on_face = b.hour is not None and a.hour % 12 > b.hour % 12
            meridiem = ("am" if b.meridiem == "pm" else "pm") if later_on_face and b.meridiem == "pm" else b.meridiem
            changes.update(meridiem=meridiem, bare_12h=False, half_unknown=False)
        else:
            out[i + 1] = _end_in_start_half(a, out[i + 1])
        out[i] = replace(a, **changes)
    return out


def _end_in_start_half(a: Expression, b: Expression) -> Expression:
    """"午後2時から4時まで", "晚上8点到11点", "from 8 p.m. to 11": the afternoon or evening written
    for the start covers an end written without one that would otherwise fall before it."""
    if b.meridiem is not None or b.daypart is not None or b.hour is None or not 1 <= b.hour <= 11 \
            or not (a.meridiem == "pm" or (a.meridiem is None and a.daypart)):
        return b
    from .anchor import clock_hour

    start = clock_hour(a)
    if start is None or not b.hour < start < b.hour + 12:
        return b
    return replace(b, meridiem="pm", bare_12h=False, half_unknown=False)


_DATE_FIELDS = ("year", "month", "day", "numeric", "weekday", "weekday_past", "week", "relday", "days", "relday_told")
_DATE_DEFAULTS = {f: Expression.__dataclass_fields__[f].default for f in _DATE_FIELDS}
