"""Every log format proves itself on its own samples, lnav-style (one test walks every sample)."""
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.logs.formats import detect, formats
from outagetl.logs.reference import parse_times

CASES = [(fmt.name, sample) for fmt in formats() for sample in fmt.samples]


def test_every_format_has_samples():
    assert {f.name for f in formats()} >= {"syslog-rfc3164", "syslog-rfc5424", "access-combined",
                                           "apache-error", "plain-iso", "log4j", "hdfs", "logcat", "bgl"}
    assert all(len(f.samples) >= 3 for f in formats())


@pytest.mark.parametrize("name,sample", CASES)
def test_sample_parses_with_its_format_only(name, sample):
    fmt = next(f for f in formats() if f.name == name)
    m = fmt.regex.match(sample)
    assert m, f"{name} does not match its own sample"
    when = parse_times(pd.Series([m.group("timestamp")]), fmt.timestamp_format)["when"].iloc[0]
    assert pd.notna(when)
    others = [f.name for f in formats() if f.name != name and f.regex.match(sample)]
    assert others == [], f"sample of {name} also matches {others}"
    parser, share = detect([sample])
    assert parser.name == name and share == 1.0


@pytest.mark.parametrize("fmt,text,expected", [
    ("rfc3164", "Jul  3 13:18:00", "2000-07-03 13:18:00"),
    ("apache", "03/Jul/2019:13:18:00 -0400", "2019-07-03 17:18:00"),
    ("ctime", "Sun Dec 04 04:47:44 2005", "2005-12-04 04:47:44"),
    ("iso8601", "2019-07-03T13:18:00.250+02:00", "2019-07-03 11:18:00.250"),
    ("iso8601", "2015-07-29 17:41:44,747", "2015-07-29 17:41:44.747"),
    ("epoch", "1117838570", "2005-06-03 22:42:50"),
    ("epoch", "1562160000123", "2019-07-03 13:20:00.123"),
    ("%y%m%d %H%M%S", "081109 203615", "2008-11-09 20:36:15"),
    ("%m-%d %H:%M:%S.%f", "02-29 00:00:01.5", "2000-02-29 00:00:01.5"),
])
def test_timestamp_formats(fmt, text, expected):
    when = parse_times(pd.Series([text]), fmt)["when"].iloc[0]
    assert abs(when - pd.Timestamp(expected)) < pd.Timedelta(milliseconds=1)


def test_month_names_ignore_the_locale(monkeypatch):
    import contextlib
    import locale
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    assert parse_times(pd.Series(["Dez 10 06:55:46", "Dec 10 06:55:46"]), "rfc3164")["when"].isna().tolist() \
        == [True, False]
    locale.setlocale(locale.LC_TIME, "C")


def test_strptime_formats_must_be_numeric():
    with pytest.raises(ValueError):
        parse_times(pd.Series(["Jul 3"]), "%b %d")


_SAMPLE_LINES = [sample for fmt in formats() for sample in fmt.samples] + [
    "The outage began at 9:10 UTC on Tuesday, the company said.",
    "2024-03-01 is when the status page first said anything.",
    "Jul 3 was a bad day for the service, users wrote.",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SAMPLE_LINES), min_size=1, max_size=40))
def test_sniffing_gives_up_a_format_only_where_it_cannot_count(lines):
    """A format given up once it misses half the sample (``floor``) changes no answer above the
    floor: the same format and share whenever a format matches more than half of the lines."""
    parser, share = detect(lines)
    fast, fast_share = detect(lines, 0.5)
    if share > 0.5:
        assert (fast.name, fast_share) == (parser.name, share)
    else:
        assert fast_share <= 0.5
