"""New / spike / growing / declining flags (pain_point_weekly, stage_weekly) and score drivers
(pain_point_drivers) on hand-made warehouses: a real DuckDB with the project's migrations and views,
numbers checked against a direct computation in Python."""

from __future__ import annotations

import math
import statistics
from datetime import date, datetime, timedelta

import duckdb
import pytest

from voc.warehouse import apply_views, migrate

MONDAYS = [date(2026, 9, 14) + timedelta(weeks=i) for i in range(10)]  # 2026-W38 .. 2026-W47
SERIES = {  # pain point -> (stage, negative clauses per week)
    "steady": ("delivery", [5, 6, 5, 6, 5, 6, 5, 6, 5, 20]),
    "rising": ("aftersales", [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]),
    "fresh": ("service", [0] * 9 + [7]),
    "falling": ("usage", [20, 18, 16, 14, 12, 10, 8, 6, 4, 2]),
    "tiny": ("loyalty", [0, 1, 0, 1, 0, 1, 0, 1, 0, 4]),
    "flat": ("purchase", [10] * 10),
}
EXPECTED_FLAG = {"steady": "spike", "rising": "growing", "fresh": "new", "falling": "declining"}


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    migrate(con)
    apply_views(con)
    return con


class Builder:
    """Feedback items with one clause each, straight into the tables."""

    def __init__(self, con):
        self.con, self.n = con, 0

    def add(self, day: date, pain_point=None, stage=None, *, sentiment=-0.6, rating=None, nps=None):
        self.n += 1
        fid = f"f{self.n:04d}"
        label = "negative" if sentiment < 0 else "positive"
        self.con.execute(
            "INSERT INTO feedback (id, source, kind, source_id, created_at, text, rating, score, score_type, "
            "run_id, ingested_at, text_norm, sentiment, label) "
            "VALUES (?, 's', 'review', ?, ?, 't', ?, ?, ?, 'r', now(), 't', ?, ?)",
            [fid, fid, datetime.combine(day, datetime.min.time()) + timedelta(hours=12), rating, nps,
             "nps" if nps is not None else None, sentiment, label],
        )  # fmt: skip
        self.con.execute(
            "INSERT INTO clauses (feedback_id, position, text, tokens, sentiment, label, stage, "
            "pain_point_id) "
            "VALUES (?, 0, 't', [], ?, ?, ?, ?)",
            [fid, sentiment, label, stage, pain_point],
        )
        return fid


@pytest.fixture(scope="module")
def series():
    con = _warehouse()
    b = Builder(con)
    for pid, (stage, counts) in SERIES.items():
        for monday, n in zip(MONDAYS, counts, strict=True):
            for i in range(n):
                b.add(monday + timedelta(days=i % 7), pid, stage)
    for monday in MONDAYS:  # every week has data, also for pain points quiet that week
        b.add(monday, sentiment=0.5)
    con.execute(
        "INSERT INTO pain_point_catalogue (id, name, stage, status, pinned, updated_at) "
        "VALUES ('pinned', '插队不公', 'purchase', 'curated', true, now()), "
        "       ('steady', '配送超时', 'delivery', 'curated', false, now())"
    )
    yield con
    con.close()


def _week(con, view: str, key: str, value: str, monday: date) -> dict:
    cur = con.execute(f"SELECT * FROM {view} WHERE {key} = ? AND week = ?", [value, monday])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(names, row, strict=True)) if row else {}


@pytest.mark.parametrize("pid", list(SERIES))
def test_last_week_flags(series, pid):
    assert _week(series, "pain_point_weekly", "pain_point_id", pid, MONDAYS[-1])["flag"] == EXPECTED_FLAG.get(
        pid
    )


@pytest.mark.parametrize("pid", list(SERIES))
def test_stage_weekly_flags_negative_mentions_the_same_way(series, pid):
    stage = SERIES[pid][0]
    row = _week(series, "stage_weekly", "stage", stage, MONDAYS[-1])
    assert row["flag"] == EXPECTED_FLAG.get(pid)
    assert row["negative_mentions"] == SERIES[pid][1][-1]


def test_baseline_and_z_score_match_a_direct_computation(series):
    counts = SERIES["steady"][1]
    base = counts[-9:-1]  # the 8 weeks before
    mean, sd = statistics.mean(base), statistics.stdev(base)
    row = _week(series, "pain_point_weekly", "pain_point_id", "steady", MONDAYS[-1])
    assert row["baseline_weeks"] == 8
    assert row["baseline_mean"] == pytest.approx(mean) and row["baseline_sd"] == pytest.approx(sd)
    assert row["z_score"] == pytest.approx((counts[-1] - mean) / max(sd, math.sqrt(mean), 1))
    assert row["baseline_ratio"] == pytest.approx(counts[-1] / mean)
    assert row["label"] == "配送超时"  # the catalogue's name


def test_trend_slope_is_least_squares_over_the_trend_window(series):
    row = _week(series, "pain_point_weekly", "pain_point_id", "rising", MONDAYS[-1])
    assert row["trend_slope"] == pytest.approx(2.0) and row["trend_r2"] == pytest.approx(1.0)


def test_no_flag_before_enough_baseline_weeks(series):
    for monday in MONDAYS[:3]:
        rows = series.execute("SELECT flag FROM pain_point_weekly WHERE week = ?", [monday]).fetchall()
        assert {r[0] for r in rows} == {None}


def test_a_new_pain_point_starts_in_its_first_week_and_a_pinned_one_has_every_week(series):
    fresh = series.execute("SELECT week FROM pain_point_weekly WHERE pain_point_id = 'fresh'").fetchall()
    assert fresh == [(MONDAYS[-1],)]
    pinned = series.execute(
        "SELECT count(*), sum(volume), any_value(label), bool_and(pinned) FROM pain_point_weekly "
        "WHERE pain_point_id = 'pinned'"
    ).fetchone()
    assert pinned == (len(MONDAYS), 0, "插队不公", True)


def test_thresholds_are_analyst_settings_in_alert_settings():
    con = _warehouse()
    b = Builder(con)
    for monday, n in zip(MONDAYS, SERIES["steady"][1], strict=True):
        for _ in range(n):
            b.add(monday, "steady", "delivery")
    flag = "SELECT flag FROM pain_point_weekly WHERE pain_point_id = 'steady' AND week = ?"
    assert con.execute(flag, [MONDAYS[-1]]).fetchone() == ("spike",)
    con.execute("UPDATE alert_settings SET value = 100 WHERE key = 'spike_z'")
    assert con.execute(flag, [MONDAYS[-1]]).fetchone() != ("spike",)
    con.execute("UPDATE alert_settings SET value = 25 WHERE key = 'min_volume'")
    assert con.execute(flag, [MONDAYS[-1]]).fetchone() == (None,)


# --- drivers -----------------------------------------------------------------------------------

RATED = [  # (pain points of the feedback item, rating)
    (["late"], 1), (["late"], 2), (["late", "rude"], 1), (["rude"], 3), ([], 5), ([], 4), ([], 5), ([], 3),
]  # fmt: skip
NPS = [(["late"], 3), (["late"], 6), (["late"], 9), ([], 10), ([], 9), ([], 7), ([], 2), (["rude"], 8)]


@pytest.fixture(scope="module")
def drivers():
    con = _warehouse()
    b = Builder(con)
    day = MONDAYS[0]
    for points, score in RATED:
        fid = b.add(day, points[0] if points else None, rating=score)
        for pos, extra in enumerate(points[1:], start=1):
            con.execute(
                "INSERT INTO clauses (feedback_id, position, text, sentiment, label, pain_point_id) "
                "VALUES (?, ?, 't', -0.5, 'negative', ?)",
                [fid, pos, extra],
            )
    for points, score in NPS:
        b.add(day, points[0] if points else None, nps=score)
    b.add(day, "late", rating=None)  # no score at all: in neither group
    yield con
    con.close()


def _expected(rows, pid):
    with_ = [s for p, s in rows if pid in p]
    without = [s for p, s in rows if pid not in p]
    if min(len(with_), len(without)) < 2:
        return with_, without, None
    se = math.sqrt(statistics.variance(with_) / len(with_) + statistics.variance(without) / len(without))
    return with_, without, se


def _nps(scores):
    return 100 * (sum(s >= 9 for s in scores) - sum(s < 7 for s in scores)) / len(scores)


@pytest.mark.parametrize(("kind", "rows"), [("rating", RATED), ("nps", NPS)])
@pytest.mark.parametrize("pid", ["late", "rude"])
def test_drivers_match_a_direct_computation(drivers, kind, rows, pid):
    cur = drivers.execute(
        "SELECT * FROM pain_point_drivers WHERE pain_point_id = ? AND score_kind = ?", [pid, kind]
    )
    got = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    with_, without, se = _expected(rows, pid)
    assert (got["docs_with"], got["docs_without"]) == (len(with_), len(without))
    assert got["mean_with"] == pytest.approx(statistics.mean(with_))
    assert got["mean_without"] == pytest.approx(statistics.mean(without))
    assert got["mean_diff"] == pytest.approx(statistics.mean(with_) - statistics.mean(without))
    assert got["mean_all"] == pytest.approx(statistics.mean(s for _, s in rows))
    assert got["lift_if_fixed"] == pytest.approx(
        statistics.mean(without) - statistics.mean(s for _, s in rows)
    )
    assert got["diff_se"] == (None if se is None else pytest.approx(se))  # rude: one NPS answer, no SE
    if kind == "nps":
        assert got["nps_with"] == pytest.approx(_nps(with_))
        assert got["nps_without"] == pytest.approx(_nps(without))
    else:
        assert got["nps_with"] is None


def test_drivers_count_a_feedback_item_once_however_many_clauses_it_has(drivers):
    # f0003 has "late" and "rude" in two clauses; each pain point counts it once
    row = drivers.execute(
        "SELECT docs_with FROM pain_point_drivers WHERE pain_point_id = 'rude' AND score_kind = 'rating'"
    ).fetchone()
    assert row == (2,)
