"""A log's or metric's error rate, placed in UTC as its claims are, for the HTML lane curve.

Expected values come from tests/data/make_larkspur_logs.py: six relay lines a minute from 12:00 to
21:00 UTC (a year-less syslog with no zone), 80% of them errors from 14:52 to 18:41, 1% otherwise;
the metrics export counts 40 requests per line in 5-minute buckets.
"""
import re
from datetime import datetime, timezone
from statistics import mean

import pytest
from click.testing import CliRunner

from outagetl.cli import main
from outagetl.pipeline import Options, build

from conftest import ROOT

LARKSPUR = ROOT / "tests" / "data" / "mixed-larkspur"
UTC = timezone.utc


def _rates(options: Options | None = None):
    timeline = build([str(LARKSPUR)], options or Options()).timeline
    return {r.source.path.rsplit("/", 1)[-1]: r.rate for r in timeline.sources}


def _between(rate, lo, hi):
    return [v for t, v in zip(rate.times, rate.errors, strict=True) if lo <= t < hi]


@pytest.fixture(scope="module")
def rates():
    return _rates()


def test_only_logs_and_metrics_have_a_rate(rates):
    assert {name for name, rate in rates.items() if rate} == {"relay-syslog.log", "smtp-metrics.csv"}


def test_the_syslog_rate_is_placed_in_utc_and_follows_the_burst(rates):
    rate = rates["relay-syslog.log"]
    # 540 minutes in at most 300 buckets: 2-minute buckets from the first line's minute.
    assert rate.step == 2 and rate.times[0] == datetime(2021, 1, 4, 12, 0, tzinfo=UTC)
    assert rate.times[-1] == datetime(2021, 1, 4, 20, 58, tzinfo=UTC)
    inside = _between(rate, datetime(2021, 1, 4, 15, 0, tzinfo=UTC), datetime(2021, 1, 4, 18, 30, tzinfo=UTC))
    before = _between(rate, datetime(2021, 1, 4, 12, 0, tzinfo=UTC), datetime(2021, 1, 4, 14, 50, tzinfo=UTC))
    after = _between(rate, datetime(2021, 1, 4, 18, 44, tzinfo=UTC), datetime(2021, 1, 4, 21, 0, tzinfo=UTC))
    assert 4.0 < mean(inside) < 5.6  # 80% of 6 a minute
    assert mean(before) < 0.2 and mean(after) < 0.2  # 1% of 6 a minute
    assert max(rate.errors) <= 6


def test_the_metrics_rate_is_per_minute_from_5_minute_buckets(rates):
    rate = rates["smtp-metrics.csv"]
    assert rate.step == 5 and rate.times[0] == datetime(2021, 1, 4, 12, 0, tzinfo=UTC)
    inside = _between(rate, datetime(2021, 1, 4, 15, 0, tzinfo=UTC), datetime(2021, 1, 4, 18, 30, tzinfo=UTC))
    # 6 lines a minute × 40 requests × 80% errors = 192 errors a minute.
    assert 160 < mean(inside) < 225


def test_a_log_zone_moves_the_curve_as_it_moves_the_claims():
    rate = _rates(Options(log_tz="America/New_York"))["relay-syslog.log"]
    assert rate.times[0] == datetime(2021, 1, 4, 17, 0, tzinfo=UTC)  # 12:00 EST


def test_each_log_lane_draws_its_curve_in_the_html():
    page = CliRunner().invoke(main, ["build", str(LARKSPUR), "--format", "html"]).stdout
    assert "a log’s errors per minute" in page
    page = page.split('class="narrow"', 1)[0]  # the wide drawing; the narrow one is drawn the same way
    curves = re.findall(r'<path class="rate" d="M([\d.]+),([\d.]+) (.*?)"><title>(.*?)</title>', page)
    assert [title for *_, title in curves] == ["errors per minute (2-minute means), peak 6/min",
                                               "errors per minute (5-minute means), peak 232/min"]
    lanes = re.findall(r'<line class="lane" x1="[\d.]+" y1="([\d.]+)"', page)
    for (_, base, points, _), lane in zip(curves, lanes[-2:], strict=True):
        ys = [float(y) for y in re.findall(r"L[\d.]+,([\d.]+)", points)]
        # Within its own lane: from the lane's foot (the base line) up to its top.
        assert float(base) == pytest.approx(float(lane) + 16) and min(ys) >= float(lane) - 16
