"""Every data table proves itself on its own samples, and every entry is usable."""
from datetime import date

import pytest

from outagetl.tables import load
from outagetl.timeparse import zones


@pytest.mark.parametrize("abbr", sorted(load("zones")["abbreviations"]))
def test_every_abbreviation_names_a_real_region(abbr):
    entry = load("zones")["abbreviations"][abbr]
    assert zones.is_zone(entry["zone"])
    assert entry["season"] in ("any", "standard", "daylight")


@pytest.mark.parametrize("abbr,season", [(a, e["season"]) for a, e in sorted(load("zones")["abbreviations"].items()) if e["season"] != "any"])
def test_seasonal_abbreviations_match_their_region_in_that_season(abbr, season):
    region = load("zones")["abbreviations"][abbr]["zone"]
    assert zones.literal_offset(abbr, date(2019, 1, 1)) is not None, (abbr, region)


@pytest.mark.parametrize("name,target", sorted(load("zones")["names"].items()))
def test_spelled_out_zone_names_map_to_known_abbreviations_or_regions(name, target):
    assert target in load("zones")["abbreviations"] or ("/" in target and zones.is_zone(target))


@pytest.mark.parametrize("locale,zone", sorted(load("locales")["zones"].items()))
def test_locale_zones_exist(locale, zone):
    assert zones.is_zone(zone)


def test_hedges_widen_in_order():
    for word, entry in load("hedges")["before"].items():
        lo, best, hi = entry["widen"]
        assert lo <= best <= hi, word


def test_dayparts_are_ranges():
    for name, (start, end) in load("dayparts")["parts"].items():
        # a night named by the day it ends on ("in der Nacht zum Freitag") begins the evening before
        assert -6 <= start < end <= 30, name


def test_status_labels_name_milestones():
    from outagetl.model import Kind

    for label, kind in load("status")["labels"].items():
        assert Kind(kind), label


def test_offset_candidates_are_real_regions():
    for name in load("zones")["offsets"]["candidates"]:
        assert zones.is_zone(name), name
