"""Field parsers of the source connectors: time, rating, score, counts (table-driven)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voc.ingest.values import BadValue, parse_count, parse_rating, parse_score, parse_time

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOCAL = datetime(2026, 10, 5, 14, 3)

TIMES = [
    ("iso-space-minutes", "2026-10-05 14:03", LOCAL),
    ("iso-T-seconds", "2026-10-05T14:03:00", LOCAL),
    ("iso-offset-local", "2026-10-05T14:03:00+08:00", LOCAL),
    ("iso-utc-Z", "2026-10-05T06:03:00Z", LOCAL),
    ("iso-other-offset", "2026-10-05T08:03:00+02:00", LOCAL),
    ("slashes", "2026/10/05 14:03:00", LOCAL),
    ("slashes-unpadded", "2026/10/5 14:03", LOCAL),
    ("chinese-date", "2026年10月5日 14:03", LOCAL),
    ("chinese-date-hours", "2026年10月5日 14时03分", LOCAL),
    ("full-width-digits", "２０２６-１０-０５ １４：０３", LOCAL),
    ("space-offset", "2026-10-05 06:03:00 +0000", LOCAL),
    ("epoch-seconds", "1791180180", LOCAL),
    ("epoch-milliseconds", "1791180180000", LOCAL),
    ("epoch-json-int", 1791180180, LOCAL),
    ("weibo", "Mon Oct 05 14:03:00 +0800 2026", LOCAL),
    ("weibo-utc", "Mon Oct 05 06:03:00 +0000 2026", LOCAL),
    ("date-only", "2026-10-05", datetime(2026, 10, 5)),
    ("dots", "2026.10.05", datetime(2026, 10, 5)),
]


@pytest.mark.parametrize(("value", "expected"), [t[1:] for t in TIMES], ids=[t[0] for t in TIMES])
def test_times_parse_to_naive_local(value, expected):
    got = parse_time(value, SHANGHAI)
    assert got == expected
    assert got.tzinfo is None


def test_offset_times_convert_to_the_sources_zone():
    assert parse_time("2026-10-05T14:03:00+08:00", ZoneInfo("Europe/Berlin")) == datetime(2026, 10, 5, 8, 3)


BAD_TIMES = [
    ("words", "昨天下午"),
    ("relative", "3分钟前"),
    ("month-13", "2026-13-05 10:00"),
    ("short-number", "12345"),
    ("epoch-zero", 0),
    ("year-0026", "0026-10-05"),
    ("weibo-bad-month", "Mon Foo 05 14:03:00 +0800 2026"),
    ("empty", ""),
    ("none", None),
]


@pytest.mark.parametrize("value", [t[1] for t in BAD_TIMES], ids=[t[0] for t in BAD_TIMES])
def test_bad_times_raise_with_reason(value):
    with pytest.raises(BadValue, match="time"):
        parse_time(value, SHANGHAI)


RATINGS = [
    ("int", "4", 4.0),
    ("half", "4.5", 4.5),
    ("star-suffix", "4星", 4.0),
    ("full-width", "４", 4.0),
    ("numeral", "五星", 5.0),
    ("glyphs", "★★★☆☆", 3.0),
    ("out-of-five", "3/5", 3.0),
    ("json-number", 2, 2.0),
    ("empty", "", None),
    ("null", "NULL", None),
]


@pytest.mark.parametrize(("value", "expected"), [t[1:] for t in RATINGS], ids=[t[0] for t in RATINGS])
def test_ratings(value, expected):
    assert parse_rating(value) == expected


@pytest.mark.parametrize("value", ["6", "0", "４星半", "good", "-1"])
def test_bad_ratings_are_rejected(value):
    with pytest.raises(BadValue, match="bad rating"):
        parse_rating(value)


SCORES = [
    ("nps-top", "10", "nps", 10.0),
    ("nps-zero", "0", "nps", 0.0),
    ("nps-fen", "９分", "nps", 9.0),
    ("csat", "5", "csat", 5.0),
    ("csat-float-whole", "4.0", "csat", 4.0),
    ("empty", "", "nps", None),
]


@pytest.mark.parametrize(
    ("value", "score_type", "expected"), [t[1:] for t in SCORES], ids=[t[0] for t in SCORES]
)
def test_scores(value, score_type, expected):
    assert parse_score(value, score_type) == expected


BAD_SCORES = [
    ("nps-11", "11", "nps"),
    ("csat-0", "0", "csat"),
    ("csat-6", "6", "csat"),
    ("csat-half", "4.5", "csat"),
    ("words", "很好", "nps"),
    ("negative", "-1", "nps"),
]


@pytest.mark.parametrize(("value", "score_type"), [t[1:] for t in BAD_SCORES], ids=[t[0] for t in BAD_SCORES])
def test_bad_scores_are_rejected(value, score_type):
    with pytest.raises(BadValue, match=f"bad score \\(expected {score_type.upper()}"):
        parse_score(value, score_type)


COUNTS = [
    ("plain", "12", 12),
    ("thousands-sep", "1,234", 1234),
    ("wan", "1.2万", 12000),
    ("w", "3w", 30000),
    ("k", "1.5k", 1500),
    ("plus", "100+", 100),
    ("json-int", 7, 7),
    ("empty", "", None),
]


@pytest.mark.parametrize(("value", "expected"), [t[1:] for t in COUNTS], ids=[t[0] for t in COUNTS])
def test_counts(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["很多", "-3", -3, "1.2.3"])
def test_bad_counts_are_rejected(value):
    with pytest.raises(BadValue, match="bad likes"):
        parse_count(value, name="likes")


def test_rejection_reasons_mask_pii():
    with pytest.raises(BadValue) as err:
        parse_rating("13812345678")
    assert "13812345678" not in str(err.value)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_iso_round_trip(dt):
    dt = dt.replace(microsecond=0)
    assert parse_time(dt.isoformat(sep=" "), SHANGHAI) == dt
    assert parse_time(dt.strftime("%Y/%m/%d %H:%M:%S"), SHANGHAI) == dt


@given(st.integers(min_value=0, max_value=10))
def test_every_nps_value_parses(n):
    assert parse_score(str(n), "nps") == n
