"""The digest's first sections: this week's alerts (new / spike / growing / declining against the
baseline, from ``pain_point_weekly`` and ``stage_weekly``) and the pain points that cost a score the
most (``pain_point_drivers``). Thresholds live in the warehouse table ``alert_settings``."""

from __future__ import annotations

from datetime import date

import duckdb

from voc.digest.model import AlertRow, DriverRow

#: Order of the alert list: the most urgent kind first, then the largest deviation.
FLAG_ORDER = {"new": 0, "spike": 1, "growing": 2, "declining": 3}
#: Drivers ignore pain points with fewer scored feedback items than this (a mean of 3 says little).
MIN_DRIVER_DOCS = 10
DRIVERS_MAX = 5

_ALERTS = """
    SELECT p.pain_point_id, coalesce(p.label, p.pain_point_id), p.stage,
           coalesce(p.stage_label, '未归入阶段'), s.owner, p.flag, p.volume,
           p.baseline_mean, p.baseline_weeks, p.z_score, p.trend_slope
    FROM pain_point_weekly AS p LEFT JOIN stages AS s ON s.key = p.stage
    WHERE p.week = ? AND p.flag IS NOT NULL"""
_STAGE_ALERTS = """
    SELECT w.stage, w.stage_label, w.stage, w.stage_label, s.owner, w.flag, w.negative_mentions,
           w.baseline_mean, w.baseline_weeks, w.z_score, w.trend_slope
    FROM stage_weekly AS w LEFT JOIN stages AS s ON s.key = w.stage
    WHERE w.week = ? AND w.flag IS NOT NULL"""
_DRIVERS = """
    SELECT pain_point_id, label, coalesce(stage_label, '未归入阶段'), score_kind, docs_with, mean_with,
           mean_without, mean_diff, diff_se, nps_with, nps_without
    FROM pain_point_drivers
    WHERE docs_with >= ? AND mean_diff < 0
    ORDER BY score_kind, mean_diff, pain_point_id"""


def alerts(con: duckdb.DuckDBPyConnection, monday: date, kind: str = "pain_point") -> list[AlertRow]:
    """Pain points (``kind="stage"``: journey stages) flagged in ``monday``'s week: new, then spikes,
    growing, declining; larger deviations first."""
    try:
        rows = con.execute(_ALERTS if kind == "pain_point" else _STAGE_ALERTS, [monday]).fetchall()
    except (duckdb.BinderException, duckdb.CatalogException):  # views older than migration 003
        return []
    out = [
        AlertRow(
            id=r[0],
            label=r[1],
            stage=r[2],
            stage_label=r[3],
            owner=r[4],
            flag=r[5],
            volume=int(r[6]),
            baseline_mean=r[7],
            baseline_weeks=int(r[8] or 0),
            z_score=r[9],
            trend_slope=r[10],
            kind=kind,
        )
        for r in rows
    ]
    return sorted(out, key=lambda a: (FLAG_ORDER.get(a.flag, 9), -abs(a.z_score or 0.0), a.label))


def stage_alerts(con: duckdb.DuckDBPyConnection, monday: date) -> list[AlertRow]:
    """Journey stages whose negative mentions are flagged this week."""
    return alerts(con, monday, "stage")


def drivers(
    con: duckdb.DuckDBPyConnection, min_docs: int = MIN_DRIVER_DOCS, n: int = DRIVERS_MAX
) -> list[DriverRow]:
    """Per kind of score, the ``n`` pain points that lower it the most (``min_docs`` scored items or more)."""
    try:
        rows = con.execute(_DRIVERS, [min_docs]).fetchall()
    except duckdb.CatalogException:
        return []
    out: list[DriverRow] = []
    per_kind: dict[str, int] = {}
    for r in rows:
        if per_kind.get(r[3], 0) >= n:
            continue
        per_kind[r[3]] = per_kind.get(r[3], 0) + 1
        out.append(DriverRow(r[0], r[1], r[2], r[3], int(r[4]), r[5], r[6], r[7], r[8], r[9], r[10]))
    return out
