"""One language's words for times, read from ``outagetl/data/lang/<code>.toml``.

The grammar (``grammar.py``) is the same for every language; what differs is here: month and
weekday names, relative days, parts of the day, meridiem and hedge words, cue and range words,
clock words, local zone names and milestone words. Keeping them as data (like HeidelTime's
``resources/<language>/repattern``) means adding a language is adding a file, which proves itself
on the samples and negatives it carries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from . import kept

DEFAULT = "en"


def longest_first(words) -> list[str]:
    """Words in the order alternations list them: the longest first (an alternation takes the
    first that matches), equally long ones alphabetically. Never the order a set holds them in:
    that differs from run to run (string hashes differ per process), and with it a pattern's text
    (compiled and cached again each run) or what a rendering lists."""
    return sorted(words, key=lambda w: (-len(w), w))


@dataclass(frozen=True)
class Words:
    """One lexicon list: words or phrases with their values, and how their case is matched.

    ``case`` is "any" (any case), "title" (Title or UPPER case only: "May", "MAY", never "may"),
    or "exact" (as written: German "Morgen" is the morning, "morgen" tomorrow).
    """

    items: tuple[tuple[str, object], ...] = ()
    case: str = "any"

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for w, _ in self.items)

    def variants(self) -> list[str]:
        out: set[str] = set()
        for word, _ in self.items:
            if self.case == "title":
                out |= {word[:1].upper() + word[1:], word.upper()}
            else:
                out.add(word)
        return longest_first(out)

    def alternation(self) -> str:
        """The words as one regex alternation, longest first; spaces match any run of space."""
        body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in self.variants())
        if self.case == "any":
            return f"(?i:{body})"
        return f"(?:{body})"

    def value(self, text: str, default=None):
        text = re.sub(r"\s+", " ", text.strip())
        for word, value in self.items:
            if word == text:
                return value
        if self.case != "exact":
            folded = text.casefold()
            for word, value in self.items:
                if word.casefold() == folded:
                    return value
        return default


def _words(entries, case: str = "any") -> Words:
    if entries is None:
        return Words((), case)
    if isinstance(entries, dict):
        return Words(tuple(entries.items()), case)
    return Words(tuple((w, w) for w in entries), case)


@dataclass(frozen=True)
class RelativeDay:
    days: int
    part: str | None = None
    told: bool = False
    """Counted from the date the statement tells of ("翌日", "the next day", "le lendemain"), not
    from the publication date (`from = "told"` in the lexicon)."""


@dataclass(frozen=True)
class Lexicon:
    """Everything the grammar needs to know about one language."""

    code: str
    name: str
    spaces: bool
    twelve_hour: bool
    months: Words
    month_abbreviations: Words
    weekdays: Words
    weekday_abbreviations: Words
    ordinal: Words
    day_month_join: Words
    numeric_cues: Words
    day_of_month_prefix: Words
    relative_days: Words
    daypart_words: Words
    daypart_modifiers: Words
    daypart_this: Words
    daypart_intro: Words
    daypart_intro_modifiers: Words
    daypart_after_hour: Words
    daypart_compounds: Words
    meridiem: Words
    meridiem_before: bool
    noon: Words
    hedges_before: Words
    hedges_after: Words
    cues: Words
    dotted_cues: Words
    joins: Words
    range_from: Words
    range_to: Words
    apposition: Words
    hour_words: Words
    hour_names: Words
    """Hours written as words ("deux", "cinco", "八"): word → hour."""
    minute_words: Words
    minute_names: Words
    """Minutes written as words ("十五" in 八点十五分): word → minute."""
    half_words: Words
    minute_offsets: Words
    """Words that move a named hour by minutes: German "halb zehn" is 9:30 ("halb" = -30),
    "Viertel nach acht" 8:15, "Viertel vor neun" 8:45."""
    day_words: Words
    month_words: Words
    whole_hour: Words
    durations: Words
    quantities: Words
    military_suffix: Words
    numbers: Words
    units: Words
    later: Words
    earlier: Words
    within: Words
    first_subjects: Words
    first_fillers: Words
    first_verbs: Words
    first_particles: Words
    comparisons: Words
    coarse_prefixes: Words
    coarse_year_prefixes: Words
    coarse_year_modifiers: Words
    coarse_periods: Words
    all_times: Words
    all_times_regions: Words
    zones: Words
    milestones: dict = field(default_factory=dict, compare=False)
    forecasts: dict = field(default_factory=dict, compare=False)
    """Words that make a time a target or forecast, ``before`` or ``after`` it ("prévu", "を目標")."""
    templates: tuple[dict, ...] = field(default=(), compare=False)
    samples: dict = field(default_factory=dict, compare=False)
    negatives: tuple[str, ...] = field(default=(), compare=False)


def available() -> tuple[str, ...]:
    """The language codes that have a lexicon file."""
    folder = resources.files("outagetl.data").joinpath("lang")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


def base_language(code: str | None) -> str:
    """"de-CH" → "de"; a language without a lexicon → English, the grammar's default."""
    if not code:
        return DEFAULT
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in available() else DEFAULT


@cache
def lexicon(code: str = DEFAULT) -> Lexicon:
    code = base_language(code)
    with resources.files("outagetl.data").joinpath("lang").joinpath(f"{code}.toml").open("rb") as fh:
        data = kept.toml(fh.read())
    return _build(code, data)


def _build(code: str, data: dict) -> Lexicon:
    lang = data.get("language", {})
    months = data.get("months", {})
    weekdays = data.get("weekdays", {})
    dates = data.get("dates", {})
    dayparts = data.get("dayparts", {})
    meridiem = data.get("meridiem", {})
    hedges = data.get("hedges", {})
    joins = data.get("joins", {})
    clock = data.get("clock", {})
    relative = data.get("relative", {})
    coarse = data.get("coarse", {})
    all_times = data.get("all_times", {})
    reldays = data.get("relative_days", {})
    reldays_case = reldays.pop("case", "any") if isinstance(reldays.get("case"), str) else "any"
    daypart_case = dayparts.get("case", "any")
    month_case = months.get("case", "any")
    weekday_case = weekdays.get("case", "any")
    merid = [(w, "am") for w in meridiem.get("am", [])] + [(w, "pm") for w in meridiem.get("pm", [])]
    samples = dict(data.get("samples", {}))
    return Lexicon(
        code=code,
        name=lang.get("name", code),
        spaces=lang.get("spaces", True),
        twelve_hour=clock.get("twelve_hour", False),
        months=_words(months.get("names"), month_case),
        month_abbreviations=_words(months.get("abbreviations"), months.get("abbreviation_case", month_case)),
        weekdays=_words(weekdays.get("names"), weekday_case),
        weekday_abbreviations=_words(weekdays.get("abbreviations"), weekdays.get("abbreviation_case", weekday_case)),
        ordinal=_words(dates.get("ordinal"), "exact"),
        day_month_join=_words(dates.get("day_month_join")),
        numeric_cues=_words(dates.get("numeric_cues")),
        day_of_month_prefix=_words(dates.get("day_of_month_prefix")),
        relative_days=Words(tuple((w, RelativeDay(v["days"], v.get("part"), v.get("from") == "told")) for w, v in reldays.items()), reldays_case),
        daypart_words=_words(dayparts.get("words"), daypart_case),
        daypart_modifiers=_words(dayparts.get("modifiers"), daypart_case),
        daypart_this=_words(dayparts.get("this")),
        daypart_intro=_words(dayparts.get("intro")),
        daypart_intro_modifiers=_words(dayparts.get("intro_modifiers")),
        daypart_after_hour=_words(dayparts.get("after_hour")),
        daypart_compounds=_words(dayparts.get("compounds"), "exact"),
        meridiem=Words(tuple(merid), "exact"),
        meridiem_before=meridiem.get("position", "after") == "before",
        noon=_words(data.get("noon")),
        hedges_before=_words(hedges.get("before")),
        hedges_after=_words(hedges.get("after")),
        cues=_words(data.get("cues", {}).get("words"), data.get("cues", {}).get("case", "any")),
        dotted_cues=_words(data.get("cues", {}).get("dotted"), data.get("cues", {}).get("case", "any")),
        joins=_words(joins.get("words")),
        range_from=_words(joins.get("range_from")),
        range_to=_words(joins.get("range_to")),
        apposition=_words(joins.get("apposition")),
        hour_words=_words(clock.get("hour_words")),
        hour_names=_words(clock.get("hour_names")),
        minute_words=_words(clock.get("minute_words")),
        minute_names=_words(clock.get("minute_names")),
        half_words=_words(clock.get("half_words")),
        minute_offsets=_words(clock.get("minute_offsets")),
        day_words=_words(dates.get("day_words")),
        month_words=_words(dates.get("month_words")),
        whole_hour=_words(clock.get("whole_hour")),
        durations=_words(clock.get("durations")),
        quantities=_words(clock.get("quantities")),
        military_suffix=_words(clock.get("military_suffix")),
        numbers=_words(relative.get("numbers")),
        units=_words(relative.get("units")),
        later=_words(relative.get("later")),
        earlier=_words(relative.get("earlier")),
        within=_words(relative.get("within")),
        first_subjects=_words(relative.get("first_subjects")),
        first_fillers=_words(relative.get("first_fillers")),
        first_verbs=_words(relative.get("first_verbs")),
        first_particles=_words(relative.get("first_particles")),
        comparisons=_words(relative.get("comparisons")),
        coarse_prefixes=_words(coarse.get("prefixes")),
        coarse_year_prefixes=_words(coarse.get("year_prefixes")),
        coarse_year_modifiers=_words(coarse.get("year_modifiers")),
        coarse_periods=_words(coarse.get("periods")),
        all_times=_words(all_times.get("phrases")),
        all_times_regions=_words(all_times.get("regions")),
        zones=_words(data.get("zones", {}).get("names")),
        milestones=data.get("milestones", {}),
        forecasts=data.get("forecasts", {}),
        templates=tuple(data.get("template", [])),
        samples=samples,
        negatives=tuple(data.get("negatives", {}).get("texts", [])),
    )
