"""Find time expressions in text: atoms that carry evidence, combined when adjacent.

Finding is kept apart from resolving (``anchor``): this module only says *what is written*
("Wednesday morning", "9:18 AM EST", "about 8 p.m.") and where; it knows no dates or zones.
An atom needs evidence — a digit with a clock shape, a month next to a day, a weekday, a zone,
a relative day word — so words like "we" or "may" are never taken for times.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from ..tables import load

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_MONTH_ANY = r"(?:" + _MONTH + "|" + _MONTH.upper().replace("(?:", "(?:") + r")"
_WEEKDAY_FULL = r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WEEKDAY_ABBR = r"(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)"
_ORD = r"(?:st|nd|rd|th)?"
_MERIDIEM = r"(?P<mer>[ap]\.\s?m\.?|[ap]m\b|[AP]\.?M\.?(?![A-Za-z]))"


def _zone_alternatives() -> str:
    abbrs = sorted(load("zones")["abbreviations"], key=len, reverse=True)
    abbrs = [a for a in abbrs if a != "Z"]
    names = sorted(load("zones")["names"], key=len, reverse=True)
    named = "|".join(re.escape(n) for n in names)
    return (
        r"(?:(?:UTC|GMT)\s?[+\-−]\s?\d{1,2}(?::?\d{2})?"
        r"|[+\-−]\d{2}:?\d{2}(?!\d)"
        r"|(?:" + "|".join(abbrs) + r")(?![A-Za-z])"
        r"|(?i:" + named + r")"
        r"|[A-Z][A-Za-z]+(?:_[A-Z][a-z]+)*/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?"
        r"|Z(?![A-Za-z0-9]))"
    )


_ZONE = _zone_alternatives()
_ZONE_AFTER = re.compile(r"\s?(?:\(\s?(?P<pzone>" + _ZONE + r")\s?\)|(?P<zone>" + _ZONE + r"))")

_ATOMS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(
        r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<ds>[-/])(?P<mo>0?[1-9]|1[0-2])(?P=ds)(?P<d>0?[1-9]|[12]\d|3[01])"
        r"(?:(?:T|\s{1,2}|,\s?)(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:[.,]\d+)?)?)?"
        r"(?!\d)")),
    ("dotted_date", re.compile(r"(?<![\d.])(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<mo>0?[1-9]|1[0-2])\.(?P<y>(?:19|20)\d{2})(?!\d)(?!\.\d)")),
    ("mdy", re.compile(
        r"\b(?:(?P<y0>(?:19|20)\d{2}),?\s+)?(?P<mon>" + _MONTH_ANY + r")\.?\s+(?P<d>0?[1-9]|[12]\d|3[01])" + _ORD +
        r"(?![\d:])(?:,?\s+(?P<y>(?:19|20)\d{2})(?!\d))?")),
    ("dmy", re.compile(
        r"\b(?P<d>0?[1-9]|[12]\d|3[01])" + _ORD + r"(?:\s+of)?\s+(?P<mon>" + _MONTH_ANY +
        r")\b\.?(?:,?\s+(?P<y>(?:19|20)\d{2})(?!\d))?")),
    ("numeric_date", re.compile(
        r"(?<![\d/.:])(?P<a>0?[1-9]|[12]\d|3[01])/(?P<b>0?[1-9]|[12]\d|3[01])(?:/(?P<y>(?:19|20)?\d{2}))?(?![\d/])")),
    ("weekday", re.compile(r"\b(?P<wd>" + _WEEKDAY_FULL + r"|" + _WEEKDAY_ABBR + r"\b\.?(?=,?\s*(?:\d|" + _MONTH + r")))(?!s\b)\b")),
    ("ordinal_day", re.compile(r"\b(?i:on\s+)?(?i:the)\s+(?P<d>[12]?\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?" + _MONTH_ANY + r")")),
    ("relday", re.compile(r"\b(?P<rel>(?i:earlier today|later today|today|tonight|yesterday|tomorrow|last night))\b")),
    ("daypart", re.compile(
        r"\b(?P<dp>(?i:(?:this|in the|early in the|late in the)\s+)?(?i:(?:early|late|mid-|mid(?=morning|afternoon))\s*)?"
        r"(?i:morning|afternoon|evening|night|overnight|midday|lunchtime|early hours))\b")),
    ("clock", re.compile(
        r"(?<![\d:.$£€])(?P<H>[01]?\d|2[0-3])(?P<sep>[:h])(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:[.,]\d+)?)?"
        r"(?![\d:])(?!\s?(?i:hours?|hrs?|minutes?|mins?|h)\b)(?:\s?" + _MERIDIEM + r")?")),
    ("dotclock", re.compile(r"(?<![\d.:$£€])(?P<H>1[0-2]|0?[1-9])\.(?P<M>[0-5]\d)\s?" + _MERIDIEM)),
    ("dotclock24", re.compile(
        r"\b(?i:at|alle|ore|from|until|till|since|by|around|about|dalle|le|um|à)\s(?P<H>[01]?\d|2[0-3])\.(?P<M>[0-5]\d)(?![\d.])"
        r"(?!\s?(?i:%|percent|per cent|seconds?|secs?|ms|s\b|minutes?|mins?|hours?|points?|pts|times|x\b|[kmgt]b\b))"
        r"(?!\s?(?:to|-|–|and)\s?\d+\.\d)")),
    ("range_hour", re.compile(
        r"\b(?i:between|from)\s(?P<H>1[0-2]|0?[1-9]|1[3-9]|2[0-3])(?::(?P<M>[0-5]\d))?"
        r"(?=\s?(?:and|to|-|–)\s?\d{1,2}(?::[0-5]\d|\s?(?:[ap]\.?\s?m\b|[AP]M\b)|\s(?:UTC|GMT|[ECMP][SD]?T|CES?T|BST|IST|JST)\b))")),
    ("range_hour", re.compile(
        r"(?<![\d:.$£€])(?P<H>1[0-2]|0?[1-9])(?=\s?[-–]\s?(?:1[0-2]|0?[1-9])\s?(?:[ap]\.?\s?m\b|[AP]M\b))")),
    ("hour_daypart", re.compile(
        r"(?<![\d:.$£€/])\b(?P<H>1[0-2]|0?[1-9])(?=\s+(?:in the (?:morning|afternoon|evening)|at night|(?:this|last|yesterday|tomorrow) (?:morning|afternoon|evening|night)|tonight)\b)")),
    ("hour_zone", re.compile(
        r"\b(?i:at|around|about|since|until|till|by|from|after|before|to)\s(?P<H>[01]?\d|2[0-3])(?=\s(?:UTC|GMT|[ECMP][SD]?T|CES?T|BST|IST|JST|AE[SD]T)\b)")),
    ("dotclock_zone", re.compile(
        r"(?<![\d.:$£€])(?P<H>[01]?\d|2[0-3])\.(?P<M>[0-5]\d)(?![\d.])(?=\s?\(?(?:UTC|GMT|BST|IST|CES?T|EES?T|WES?T|JST|AE[SD]T|[ECMP][SD]T)\b)")),
    ("hour_meridiem", re.compile(r"(?<![\d:.$£€])(?P<H>1[0-2]|0?[1-9])\s?" + _MERIDIEM)),
    ("military", re.compile(
        r"(?<![\d:.$£€])(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?:\s?(?:hrs|hours|h))?(?=\s?\(?(?:UTC|GMT|Z\b|"
        r"[ECMP][SD]?T\b|CES?T\b|BST\b|IST\b|JST\b|AE[SD]T\b))")),
    ("noon", re.compile(r"\b(?:12\s+)?(?P<noon>(?i:noon|midnight))\b")),
    ("oclock", re.compile(r"(?<![\d:.$£€/])\b(?P<H>1[0-2]|0?[1-9])\s?o'?clock\b")),
]

# "6h15" is a clock only after a word that introduces a time ("at 6h15"), not a duration ("a 1h30 delay").
_H_CUE = re.compile(r"\b(?i:at|around|about|by|since|until|till|from|to|before|after|às|as|dès|vers|ab|um)\s+$")

_TIME_ATOMS = frozenset(("clock", "dotclock", "dotclock24", "dotclock_zone", "hour_meridiem", "military", "noon",
                         "oclock", "range_hour", "hour_zone", "hour_daypart"))

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                 "thirty": 30, "forty": 40, "forty-five": 45, "half an": 0.5, "half a": 0.5}
_COUNT = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>minutes?|mins?|hours?|hrs?)"
# "about two hours later", "within 30 minutes", "five hours after it first went down": counted from a
# time the same source states. Durations ("for two hours", "a five-hour outage") never match.
_RELATIVE = (
    re.compile(r"\b(?i:(?P<within>within)\s+" + _COUNT + r"\s+" + _UNIT + r")\b"),
    re.compile(r"\b(?i:" + _COUNT + r"\s+" + _UNIT + r"\s+(?P<dir>later|afterwards|after|earlier)\b"
               r"(?P<first>\s+(?:it|the\s+(?:outage|problems?|issues?|site|service|disruption|fault|failure|glitch|incident))"
               r"\s+(?:had\s+)?(?:first\s+)?(?:went|gone|began|begun|started|broke|failed|crashed|hit)"
               r"(?:\s+(?:down|dark|offline))?\b)?)"),
)

_COMPARISON = re.compile(r"\b(?i:more than|less than|over|under|nearly|almost|at least|up to)\s+$")

_COARSE: list[tuple[str, re.Pattern]] = [
    ("month", re.compile(
        r"\b(?i:in|since|during|early|late|mid-?|last|this|next|of|until|by)\s+(?:early\s+|late\s+|mid-?)?"
        r"(?P<mon>" + _MONTH + r")\b(?:\s+(?P<y>(?:19|20)\d{2}))?(?!\s*\d)")),
    ("month", re.compile(r"\b(?P<mon>" + _MONTH + r")\s+(?P<y>(?:19|20)\d{2})\b")),
    ("year", re.compile(r"\b(?i:in|since|during|of|from|until|by|before|after)\s+(?:at least\s+|early\s+|late\s+|mid-?)?(?P<y>(?:19|20)\d{2})\b")),
    ("year", re.compile(r"\b(?i:(?:this|last|next|the past|the previous) (?:year|month|week))\b")),
]

_JOIN = re.compile(r"^(?:\s|,|@|\(|\)|\bon\b|\bat\b|\bof\b|\bthe\b|\bin the\b|T(?=\d)|[-–—]|\bdi\b)*$", re.I)
_RANGE = re.compile(r"^\s*(?:-|–|—|to|and|until|till|through|thru)\s*$", re.I)
_ALL_TIMES = re.compile(
    r"\b(?i:all\s+(?:times|timestamps|dates)|times\s+(?:are|shown|listed|given)|timestamps\s+are|"
    r"time\s*zone\s*(?:is|:))(?:\b|(?<=:))[^.\n]{0,30}?(?P<zone>" + _ZONE + r"|(?i:eastern|pacific|central|mountain)\b)"
)
_HOUR_WORD = re.compile(r"\s*hour\b", re.I)


@dataclass(frozen=True)
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
    relday: str | None = None
    daypart: str | None = None
    hour: int | None = None
    minute: int | None = None
    meridiem: str | None = None
    zone: str | None = None
    zone_shared: bool = False
    hedges: tuple[str, ...] = ()
    suffix_hedge: str | None = None
    hour_only: bool = False
    bare_12h: bool = False
    coarse: str | None = None
    relative: float | None = None
    """Minutes from an anchor time the source states ("two hours later"); negative for "earlier"."""
    relative_to: str | None = None
    """"last" absolute time before it, or "first" for "after it first went down"; "within" widens."""
    follows: str | None = None
    range_role: str | None = None
    """"range" for the end of "12:02–13:45", "apposition" for "(17:05 UTC)" after a local time."""
    atoms: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_date(self) -> bool:
        return bool(self.month or self.day or self.numeric or self.weekday is not None or self.relday)

    @property
    def has_time(self) -> bool:
        return self.hour is not None


@dataclass
class _Atom:
    kind: str
    start: int
    end: int
    values: dict


def all_times_zone(text: str) -> str | None:
    """The zone a source declares for all its times ("All times are UTC", "(all times US/Pacific)")."""
    m = _ALL_TIMES.search(text)
    if not m:
        return None
    token = m.group("zone")
    return {"eastern": "ET", "pacific": "PT", "central": "CT", "mountain": "MT"}.get(token.lower(), token)


def find(text: str) -> list[Expression]:
    """Every time expression in ``text``, in order; coarse ones (a month, a year) are marked."""
    atoms = _atoms(text)
    groups = _group(text, atoms)
    found = [_expression(text, g) for g in groups]
    found = _share_across_ranges(text, found)
    taken = [(e.start, e.end) for e in found]
    for m in (m for pattern in _RELATIVE for m in pattern.finditer(text)):
        if any(s < m.end() and m.start() < e for s, e in taken) or _COMPARISON.search(text[max(0, m.start() - 15):m.start()]):
            continue
        count = m.group("n").lower()
        number = _NUMBER_WORDS.get(count)
        minutes = (number if number is not None else int(count)) * (60 if m.group("unit").lower().startswith("h") else 1)
        direction = m.groupdict().get("dir")
        if direction and direction.lower() == "earlier":
            minutes = -minutes
        hedges, start = _hedges_before(text, m.start())
        anchor = "first" if m.groupdict().get("first") else "last"
        found.append(Expression(start, m.end(), text[start:m.end()], hedges=hedges, relative=float(minutes),
                                relative_to=("within" if m.groupdict().get("within") else anchor)))
        taken.append((start, m.end()))
    for kind, pattern in _COARSE:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Expression(m.start(), m.end(), m.group(), coarse=kind))
    return sorted(found, key=lambda e: e.start)


def _atoms(text: str) -> list[_Atom]:
    found: list[_Atom] = []
    for kind, pattern in _ATOMS:
        for m in pattern.finditer(text):
            values = {k: v for k, v in m.groupdict().items() if v is not None}
            if kind == "numeric_date" and re.search(r"\b(?i:on|of|dated)\s+$", text[max(0, m.start() - 7) : m.start()]):
                values["on_before"] = "1"
            if kind == "clock" and values.get("sep") == "h" and _H_CUE.search(text[max(0, m.start() - 12) : m.start()]):
                values["cue"] = "1"
            start = m.start("H") if kind in ("dotclock24", "range_hour", "hour_zone") else m.start()
            found.append(_Atom(kind, start, m.end(), values))
    for atom in found:
        if _slot(atom.kind) == "time" or atom.kind == "iso":
            if atom.kind == "iso" and "H" not in atom.values:
                continue
            z = _ZONE_AFTER.match(text, atom.end)
            if z and not _is_false_zone(text, z, atom):
                atom.values["zone"] = z.group("zone") or z.group("pzone")
                atom.end = z.end()
    # Longest atom wins where atoms overlap ("2019-07-03 11:45" beats "11:45").
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    kept: list[_Atom] = []
    for atom in found:
        if kept and atom.start < kept[-1].end:
            continue
        kept.append(atom)
    return kept


def _is_false_zone(text: str, m: re.Match, atom: _Atom) -> bool:
    token = m.group("zone") or m.group("pzone")
    if token == "Z":
        return m.start() != m.start("zone")
    if token[0] in "+-−" and atom.kind != "iso" and m.start("zone") == atom.end and ":" in token:
        return True  # "09:00-10:00" is a range, not 09:00 at UTC-10
    if token[0] in "+-−" and int(re.sub(r"\D", "", token)[:2]) > 14:
        return True
    if "/" in token:
        from .zones import is_zone

        return not is_zone(token)
    return False


def _group(text: str, atoms: list[_Atom]) -> list[list[_Atom]]:
    groups: list[list[_Atom]] = []
    for atom in atoms:
        if groups:
            last = groups[-1]
            gap = text[last[-1].end : atom.start]
            kinds = {_slot(a.kind) for a in last}
            if _JOIN.match(gap) and _slot(atom.kind) not in kinds and len(gap) <= 12:
                last.append(atom)
                continue
        groups.append([atom])
    return [g for g in groups if _has_evidence(g)]


def _slot(kind: str) -> str:
    if kind in ("iso", "dotted_date", "mdy", "dmy", "numeric_date"):
        return "date"
    if kind in _TIME_ATOMS:
        return "time"
    return kind


def _has_evidence(group: list[_Atom]) -> bool:
    kinds = {a.kind for a in group}
    slots = {_slot(k) for k in kinds}
    if kinds == {"numeric_date"}:
        return "y" in group[0].values or group[0].values.get("on_before") == "1"
    if kinds == {"daypart"}:
        dp = group[0].values["dp"].lower()
        return dp.startswith(("this ", "in the ", "early in", "late in")) or dp.startswith(("early", "late", "mid"))
    if kinds == {"weekday"}:
        return True
    if slots == {"time"} and group[0].kind == "clock" and group[0].values.get("sep") == "h":
        return "zone" in group[0].values or "cue" in group[0].values
    return True


def _expression(text: str, group: list[_Atom]) -> Expression:
    start, end = group[0].start, group[-1].end
    fields: dict = {}
    for atom in group:
        v = atom.values
        if atom.kind in ("iso", "dotted_date"):
            fields.update(year=int(v["y"]), month=int(v["mo"]), day=int(v["d"]))
            if "H" in v:
                fields.update(hour=int(v["H"]), minute=int(v["M"]))
        elif atom.kind in ("mdy", "dmy"):
            fields.update(month=MONTHS[v["mon"].lower().rstrip(".")], day=int(v["d"]))
            if "y" in v or "y0" in v:
                fields["year"] = int(v.get("y") or v["y0"])
        elif atom.kind == "numeric_date":
            fields["numeric"] = (int(v["a"]), int(v["b"]))
            if "y" in v:
                y = int(v["y"])
                fields["year"] = y + 2000 if y < 100 else y
        elif atom.kind == "ordinal_day":
            fields["day"] = int(v["d"])
        elif atom.kind == "weekday":
            fields["weekday"] = WEEKDAYS[v["wd"].lower().rstrip(".s")]
        elif atom.kind == "relday":
            rel = v["rel"].lower()
            fields["relday"] = rel
            if rel == "tonight":
                fields.setdefault("daypart", "tonight")
            if rel == "last night":
                fields.setdefault("daypart", "last night")
        elif atom.kind == "daypart":
            dp = re.sub(r"\s+", " ", v["dp"].lower())
            if dp.startswith("this "):
                fields.setdefault("relday", "this")
            dp = re.sub(r"^(this|in the|early in the|late in the) ", lambda m: "early " if m.group(1).startswith("early") else ("late " if m.group(1).startswith("late") else ""), dp)
            fields["daypart"] = dp.replace("mid ", "mid-")
        else:
            fields.update(_time_fields(atom, text))
        if "zone" in v:
            fields["zone"] = v["zone"]
    if fields.get("hour") is not None and not fields.get("meridiem") and fields.get("daypart"):
        fields.update(_meridiem_from_daypart(fields["hour"], fields["daypart"]))
    hour_word = _HOUR_WORD.match(text, end)
    if hour_word and fields.get("hour") is not None:
        fields["hour_only"] = True
        end = hour_word.end()
    hedges, hedge_start = _hedges_before(text, start)
    trivial = load("hedges")["before"]
    while hedges and trivial[hedges[0]] == {"widen": [0, 0, 0]}:
        hedges = hedges[1:]
        hedge_start = re.compile(r"\S+\s*").match(text, hedge_start).end() if hedges else start
    suffix = re.match(r"\s?-?(ish|or so)\b", text[end:])
    if suffix and fields.get("hour") is not None:
        fields["suffix_hedge"] = suffix.group(1)
        end += suffix.end()
    return Expression(
        start=hedge_start, end=end, text=text[hedge_start:end], hedges=hedges,
        atoms=tuple(a.kind for a in group), **fields,
    )


_PM_PARTS = ("afternoon", "evening", "night", "tonight", "last night", "late evening", "early evening")


def _meridiem_from_daypart(hour: int, daypart: str) -> dict:
    """"3:30 in the afternoon" is 15:30; "10 in the morning" is 10:00."""
    if not 1 <= hour <= 12:
        return {}
    pm = any(daypart.endswith(p) for p in _PM_PARTS) and not (daypart.endswith("night") and hour < 5)
    hour = hour % 12 + (12 if pm else 0)
    if daypart.endswith("night") and hour == 12 and not pm:
        hour = 0
    return {"hour": hour, "meridiem": "pm" if pm else "am", "bare_12h": False}


def _time_fields(atom: _Atom, text: str) -> dict:
    v = atom.values
    if atom.kind == "noon":
        return {"hour": 12 if v["noon"].lower() == "noon" else 0, "minute": 0}
    hour = int(v["H"])
    minute = int(v.get("M", 0))
    mer = v.get("mer")
    out = {"hour": hour, "minute": minute}
    if mer:
        mer = "pm" if mer.lower().startswith("p") else "am"
        if not 1 <= hour <= 12:
            return out
        out["hour"] = (hour % 12) + (12 if mer == "pm" else 0)
        out["meridiem"] = mer
    elif atom.kind == "clock" and 1 <= hour <= 11 and not v["H"].startswith("0") and "zone" not in v:
        out["bare_12h"] = True
    if atom.kind == "oclock":
        out["hour_only"] = False
    return out


@cache
def _hedge_patterns() -> list[tuple[str, re.Pattern]]:
    """Each hedge word as a pattern anchored at the end of the text before a time, longest first."""
    words = sorted(load("hedges")["before"], key=len, reverse=True)
    return [(w, re.compile((re.escape(w) if not w[0].isalpha() else r"\b" + re.escape(w)) + r"\s*$", re.I))
            for w in words]


def _hedges_before(text: str, start: int) -> tuple[tuple[str, ...], int]:
    hedges: list[str] = []
    pos = start
    while True:
        before = text[max(0, pos - 40) : pos]
        for word, pattern in _hedge_patterns():
            m = pattern.search(before)
            if m:
                hedges.insert(0, word)
                pos = pos - (len(before) - m.start())
                break
        else:
            break
    return tuple(hedges), pos


_APPOSITION = re.compile(r"^\s*(?:\(|/|,?\s*or\s)\s*$")
_DATE_FIELDS = ("year", "month", "day", "numeric", "weekday", "relday")


def _share_across_ranges(text: str, found: list[Expression]) -> list[Expression]:
    """In "between 8 and 10 a.m. ET on 2 January" the later zone, meridiem and date cover both;
    the later end is linked to its start so that its date can follow it past midnight."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if not (a.has_time and b.has_time):
            continue
        gap = text[a.end : b.start]
        if _APPOSITION.match(gap):
            if b.has_date and not a.has_date:
                out[i] = replace(a, **{f: getattr(b, f) for f in _DATE_FIELDS})
                out[i + 1] = replace(b, follows="apposition", **{f: None for f in _DATE_FIELDS})
            elif not b.has_date:
                out[i + 1] = replace(b, follows="apposition")
            continue
        if not _RANGE.match(gap):
            continue
        changes = {"range_role": "start"}
        out[i + 1] = replace(out[i + 1], range_role="end")
        if not a.has_date and b.has_date:
            changes.update({f: getattr(b, f) for f in _DATE_FIELDS})
        elif not b.has_date:
            out[i + 1] = replace(out[i + 1], follows="range")
        if a.zone is None and b.zone is not None:
            changes.update(zone=b.zone, zone_shared=True)
        if a.meridiem is None and b.meridiem is not None and a.hour is not None and 1 <= a.hour <= 12:
            hour = a.hour % 12 + (12 if b.meridiem == "pm" else 0)
            if b.hour is not None and hour > b.hour and b.meridiem == "pm":
                hour = a.hour % 12
            changes.update(hour=hour, meridiem=b.meridiem, bare_12h=False)
        if changes:
            out[i] = replace(a, **changes)
    return out
