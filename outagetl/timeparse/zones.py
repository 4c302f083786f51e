"""Zones: abbreviations as regions, local → UTC with DST checks, and offsets → likely regions."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import Flag, FlagCode
from ..tables import load

UTC = timezone.utc
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?$")


_FIXED = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")


@cache
def zone(name: str) -> tzinfo:
    """A region by IANA name, or a fixed offset written as ``UTC+05:30`` (an offset is not a region)."""
    m = _FIXED.match(name)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))), name)
    return ZoneInfo(name)


def is_zone(name: str) -> bool:
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return "/" in name or name == "UTC" or bool(_FIXED.match(name))


def abbreviations() -> dict:
    return load("zones")["abbreviations"]


@cache
def zone_names() -> dict:
    """Spelled-out zone names → abbreviation or region: zones.toml's and every language's own
    ("deutscher Zeit", "日本時間"), lower case. The names are distinct, so one table serves all."""
    from ..lexicon import available, lexicon

    names = dict(load("zones")["names"])
    for code in available():
        names.update({name.casefold(): target for name, target in lexicon(code).zones.items})
    return names


def offset_minutes(token: str) -> int | None:
    m = _OFFSET.match(token.strip())
    if not m:
        return None
    sign = -1 if m.group(1) in "-−" else 1
    return sign * (int(m.group(2)) * 60 + int(m.group(3) or 0))


def zone_for_offset(minutes: int, on: date, prefer: str | None = None) -> str:
    """The region a publication offset most likely means on that date (an offset is not a zone)."""
    noon = datetime(on.year, on.month, on.day, 12)
    for name in ((prefer,) if prefer else ()) + tuple(load("zones")["offsets"]["candidates"]):
        if name and zone(name).utcoffset(noon) == timedelta(minutes=minutes):
            return name
    return fixed_zone_name(minutes)


MAX_OFFSET_MINUTES = 14 * 60


def fixed_zone_name(minutes: int) -> str:
    """A written offset as a fixed zone: IANA's Etc/GMT∓N for whole hours (its signs are
    inverted), and ``UTC+05:30`` for the offsets IANA has no fixed zone for."""
    if minutes == 0:
        return "UTC"
    if abs(minutes) > MAX_OFFSET_MINUTES:
        raise ValueError(f"offset of {minutes} minutes is beyond ±14:00")
    if minutes % 60 == 0 and abs(minutes) <= 12 * 60:
        return f"Etc/GMT{'-' if minutes > 0 else '+'}{abs(minutes) // 60}"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def localize(local: datetime, name: str, season: str | None = None) -> tuple[datetime, list[Flag]]:
    """Local wall time in a region → UTC, flagging times that do not exist or happen twice.

    ``season`` ("standard"/"daylight") is what a written abbreviation says; in the repeated hour
    of a fall-back night it tells which of the two readings is meant ("01:30 EST" is the second).
    """
    z = zone(name)
    first = _on_clock(local, z)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        # the common case, told cheaply: both readings of the wall time have one offset, so it
        # neither falls in a gap nor happens twice
        return first.astimezone(UTC), []
    flags = []
    a, b = first.astimezone(UTC), second.astimezone(UTC)
    roundtrip = a.astimezone(z).replace(tzinfo=None)
    if roundtrip != local:
        flags.append(Flag(
            FlagCode.DST_GAP, f"{local:%Y-%m-%d %H:%M} does not exist in {name} (clocks jumped forward); "
            f"read as {a:%H:%MZ}"
        ))
    elif a != b:
        if season in ("standard", "daylight"):
            return (b if bool(second.dst()) == (season == "daylight") else a), flags
        flags.append(Flag(
            FlagCode.DST_REPEATED, f"{local:%Y-%m-%d %H:%M} happens twice in {name}; read as the first "
            f"({a:%H:%MZ}, {first.tzname()}), the second would be {b:%H:%MZ} ({second.tzname()})"
        ))
    return a, flags


def _on_clock(local: datetime, z: tzinfo) -> datetime:
    """``local.replace(tzinfo=z, fold=0)``, made without keywords: ``replace``'s keyword arguments
    cost more than the rest of a localisation, which every reading of every time asks for."""
    return datetime(local.year, local.month, local.day, local.hour, local.minute, local.second, local.microsecond, z)


def wall(when: datetime) -> datetime:
    """``when.replace(tzinfo=None)`` made without keywords (see ``_on_clock``), but for its fold,
    which neither a naive comparison, arithmetic nor a reading's text reads."""
    return datetime(when.year, when.month, when.day, when.hour, when.minute, when.second, when.microsecond)


def abbreviation_reading(abbr: str, on: date | datetime) -> tuple[str, list[Flag]]:
    """Region for an abbreviation at a local time (or a day), with flags when the letters say the
    other season. At a local time, either reading of a repeated hour may match the letters."""
    entry = abbreviations()[abbr]
    region = entry["zone"]
    flags = []
    season = entry.get("season", "any")
    if season != "any" and region != "UTC":
        when = on if isinstance(on, datetime) else datetime(on.year, on.month, on.day, 12)
        first = _on_clock(when, zone(region))
        states = {bool(first.dst()), bool(first.replace(fold=1).dst())}
        if (season == "daylight") not in states and entry.get("all_year"):
            keeper = entry["all_year"]
            main = when.replace(tzinfo=zone(region)).tzname()
            flags.append(Flag(FlagCode.ZONE_SEASON, f"{abbr} written for {when:%Y-%m-%d}, when {region} is on {main}; "
                              f"read as {keeper}, which keeps {abbr} all year"))
            return keeper, flags
        if (season == "daylight") not in states:
            noon = when.replace(tzinfo=zone(region))
            actual = noon.tzname()
            flags.append(Flag(
                FlagCode.ZONE_SEASON, f"{abbr} written for {when:%Y-%m-%d}, when {region} is on {actual} "
                f"(UTC{_fmt_offset(noon.utcoffset())}); read as {actual}"
            ))
    for other in entry.get("ambiguous", []):
        flags.append(Flag(FlagCode.ZONE_AMBIGUOUS, f"{abbr} read as {region}; it is also used for {other}"))
    return region, flags


def literal_offset(abbr: str, on: date) -> timedelta | None:
    """The offset the abbreviation literally names (EST = -05:00 even in July)."""
    entry = abbreviations()[abbr]
    region = entry["zone"]
    season = entry.get("season", "any")
    if season == "any" or region == "UTC":
        return None
    z = zone(region)
    for month in range(1, 13):
        probe = datetime(on.year, month, 15, 12, 0, 0, 0, z)  # (a keyword would cost more than the rest)
        if bool(probe.dst()) == (season == "daylight"):
            return probe.utcoffset()
    return None


def _fmt_offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def tzname(name: str, when_utc: datetime, local: datetime | None = None) -> str:
    """The zone's abbreviation at that instant ("EDT", "UTC+05:30"); ``local`` is the instant on
    the zone's clock when the caller has it already."""
    local = when_utc.astimezone(zone(name)) if local is None else local
    abbr = local.tzname() or name
    if abbr.startswith(("+", "-")):
        abbr = "UTC" + _fmt_offset(local.utcoffset())
    return abbr
