"""Read one ISO week (and the weeks around it) from the warehouse views into a :class:`Digest`.

Only the documented views and tables are read: ``sentiment_weekly``, ``stage_weekly``,
``pain_point_weekly``, ``pain_point_drivers``, ``nps_weekly``, ``csat_weekly``, ``stages``, ``clauses``
and ``feedback``.
Weeks are Monday-start ISO weeks; a ``week`` argument may be any day of the week wanted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta

import duckdb

from voc.digest import alerts as _alerts
from voc.digest.bursts import week_bursts
from voc.digest.model import (
    Digest,
    Headline,
    Metric,
    PainPointRow,
    Quote,
    StageRow,
    WeekPoint,
    iso_week_label,
    week_start,
)

WEEK = timedelta(days=7)
#: A quote longer than this is cut to a window around the clause that carries the pain point.
QUOTE_CHARS = 80
#: Rising/falling lists ignore pain points below this many clauses (this week for rising, last week
#: for falling): "from 1 to 2" is noise, not a trend.
MIN_GROWTH_VOLUME = 3
RISING_MAX = 5
#: Quotes shown under each alert of the first section.
ALERT_QUOTES = 2

# The latest week that is over (a Monday-morning run must not report the few hours of the new week),
# else the latest week at all.
_LATEST_WEEK = """
    SELECT coalesce(max(week) FILTER (WHERE week + INTERVAL 7 DAY <= ?), max(week)) FROM {view}"""
_SENTIMENT = """
    SELECT week, sum(docs)::BIGINT,
           sum(docs * avg_sentiment) / sum(docs), sum(docs * negative_share) / sum(docs)
    FROM sentiment_weekly WHERE week BETWEEN ? AND ? GROUP BY week"""
_SURVEY = """
    SELECT week, sum(responses)::BIGINT, {score}
    FROM {view} WHERE week BETWEEN ? AND ? GROUP BY week"""
_NPS_SCORE = "100.0 * (sum(promoters) - sum(detractors)) / sum(responses)"
_CSAT_SCORE = "100.0 * sum(satisfied) / sum(responses)"
_PAIN_POINTS = """
    SELECT p.pain_point_id, coalesce(p.label, p.pain_point_id), p.stage,
           coalesce(p.stage_label, '未归入阶段'), s.owner,
           p.volume, p.prev_volume, p.docs, p.share, p.avg_sentiment, p.pinned
    FROM pain_point_weekly AS p LEFT JOIN stages AS s ON s.key = p.stage
    WHERE p.week = ?"""
_STAGES = "SELECT key, label, phase, owner, position FROM stages ORDER BY position, key"
_STAGE_WEEKS = """
    SELECT week, stage, stage_label, stage_position, mentions, negative_mentions, negative_share
    FROM stage_weekly WHERE week IN (?, ?)"""
_QUOTES = """
    SELECT c.pain_point_id, c.text, coalesce(f.text_norm, f.text), f.kind, f.source, f.created_at::DATE
    FROM clauses AS c JOIN feedback AS f ON f.id = c.feedback_id
    WHERE c.label = 'negative' AND list_contains(?, c.pain_point_id)
      AND f.created_at >= ? AND f.created_at < ?
    ORDER BY c.pain_point_id, c.sentiment, length(c.text) DESC, f.created_at, c.feedback_id, c.position"""


def build_digest(
    con: duckdb.DuckDBPyConnection,
    week: date | None = None,
    *,
    top_n: int = 8,
    quotes: int = 3,
    trend_weeks: int = 8,
) -> Digest:
    """Collect the digest of the ISO week containing ``week`` (default: the latest week with data that
    is over, so a Monday-morning run reports last week; the current week only when it is all there is).

    An empty warehouse gives a digest with ``has_data=False`` for the current week, not an error.

    >>> d = build_digest(con)                                # doctest: +SKIP
    >>> [(p.label, p.volume, p.growth) for p in d.top_pain_points][:1]  # doctest: +SKIP
    [('配送 慢', 42, 17)]
    """
    monday = week_start(week) if week is not None else _latest_week(con)
    prev = monday - WEEK
    trend = _trend(con, monday, trend_weeks)
    by_week = {p.week: p for p in trend}
    this, last = by_week.get(monday), by_week.get(prev)
    points = _pain_points(con, monday)
    top = sorted((p for p in points if p.volume > 0), key=lambda p: (-p.volume, -p.growth, p.label))[:top_n]
    top += sorted((p for p in points if p.pinned and p not in top), key=lambda p: (-p.volume, p.label))
    top = _with_quotes(con, monday, top, quotes)
    flagged = _with_quotes(con, monday, _alerts.alerts(con, monday), min(quotes, ALERT_QUOTES))
    return Digest(
        week=monday,
        iso_week=iso_week_label(monday),
        generated_at=datetime.now().replace(microsecond=0),
        has_data=bool(this and this.docs),
        has_previous=bool(last and last.docs),
        headline=_headline(con, monday, this, last),
        top_pain_points=tuple(top),
        rising=tuple(_rising(points, MIN_GROWTH_VOLUME)[:RISING_MAX]),
        falling=tuple(_falling(points, MIN_GROWTH_VOLUME)[:RISING_MAX]),
        stages=tuple(_stages(con, monday, points)),
        trend=trend,
        min_growth_volume=MIN_GROWTH_VOLUME,
        bursts=week_bursts(con, monday),  # last section: coordinated bursts (voc/digest/bursts.py)
        alerts=tuple(flagged),
        stage_alerts=tuple(_alerts.stage_alerts(con, monday)),
        drivers=tuple(_alerts.drivers(con)),
        min_driver_docs=_alerts.MIN_DRIVER_DOCS,
    )


def _latest_week(con: duckdb.DuckDBPyConnection) -> date:
    today = date.today()
    for view in ("sentiment_weekly", "nps_weekly"):
        latest = con.execute(_LATEST_WEEK.format(view=view), [today]).fetchone()[0]
        if latest is not None:
            return latest if isinstance(latest, date) else latest.date()
    return week_start(today)


# --- headline and trend ------------------------------------------------------------------------


def _trend(con: duckdb.DuckDBPyConnection, monday: date, weeks: int) -> tuple[WeekPoint, ...]:
    """The ``weeks`` weeks ending with ``monday``'s (at least this week and the one before), gaps kept."""
    first = monday - WEEK * (max(weeks, 2) - 1)
    docs = {r[0]: r[1:] for r in con.execute(_SENTIMENT, [first, monday]).fetchall()}
    nps = _survey(con, "nps_weekly", _NPS_SCORE, first, monday)
    out = []
    for i in range(max(weeks, 2)):
        wk = first + WEEK * i
        n, sent, neg = docs.get(wk, (0, None, None))
        responses, score = nps.get(wk, (0, None))
        out.append(WeekPoint(wk, iso_week_label(wk), int(n or 0), sent, neg, score, int(responses or 0)))
    return tuple(out)


def _survey(
    con: duckdb.DuckDBPyConnection, view: str, score: str, first: date, last: date
) -> dict[date, tuple[int, float | None]]:
    """``{week: (responses, score)}`` summed over survey sources; ``{}`` when the view is not there."""
    try:
        rows = con.execute(_SURVEY.format(view=view, score=score), [first, last]).fetchall()
    except duckdb.CatalogException:  # e.g. a warehouse older than the CSAT view
        return {}
    return {r[0]: (int(r[1]), r[2]) for r in rows}


def _headline(
    con: duckdb.DuckDBPyConnection, monday: date, this: WeekPoint | None, last: WeekPoint | None
) -> Headline:
    def pick(p: WeekPoint | None, attr: str):
        return getattr(p, attr) if p is not None and p.docs else None

    csat = _survey(con, "csat_weekly", _CSAT_SCORE, monday - WEEK, monday)
    c_now, c_prev = csat.get(monday, (0, None)), csat.get(monday - WEEK, (0, None))
    return Headline(
        feedback=Metric(this.docs if this else 0, pick(last, "docs"), good_when_up=None),
        avg_sentiment=Metric(pick(this, "avg_sentiment"), pick(last, "avg_sentiment")),
        negative_share=Metric(pick(this, "negative_share"), pick(last, "negative_share"), good_when_up=False),
        nps=Metric(
            this.nps if this else None,
            last.nps if last else None,
            responses=this.nps_responses if this else 0,
            previous_responses=last.nps_responses if last else 0,
        ),
        csat=Metric(c_now[1], c_prev[1], responses=c_now[0], previous_responses=c_prev[0]),
    )


# --- pain points -------------------------------------------------------------------------------


def _pain_points(con: duckdb.DuckDBPyConnection, monday: date) -> list[PainPointRow]:
    rows = con.execute(_PAIN_POINTS, [monday]).fetchall()
    return [
        PainPointRow(
            id=r[0],
            label=r[1],
            stage=r[2],
            stage_label=r[3],
            owner=r[4],
            volume=int(r[5]),
            prev_volume=int(r[6]),
            docs=int(r[7]),
            share=float(r[8] or 0.0),
            avg_sentiment=r[9],
            pinned=bool(r[10]),
        )
        for r in rows
    ]


def _rising(points: Iterable[PainPointRow], min_volume: int) -> list[PainPointRow]:
    """Biggest absolute growth first (then relative, new ones last among equals); tiny volumes ignored."""
    up = [p for p in points if p.growth > 0 and p.volume >= min_volume]
    return sorted(up, key=lambda p: (-p.growth, -(p.growth_ratio or 0.0), p.label))


def _falling(points: Iterable[PainPointRow], min_volume: int) -> list[PainPointRow]:
    down = [p for p in points if p.growth < 0 and p.prev_volume >= min_volume]
    return sorted(down, key=lambda p: (p.growth, p.label))


def _with_quotes(
    con: duckdb.DuckDBPyConnection, monday: date, points: list[PainPointRow], n: int
) -> list[PainPointRow]:
    """Attach up to ``n`` quotes from this week to each pain point: the most negative clauses first,
    one per feedback text (bursts of identical posts would otherwise fill every slot)."""
    if not points or n <= 0:
        return points
    start = datetime.combine(monday, datetime.min.time())
    rows = con.execute(_QUOTES, [[p.id for p in points], start, start + WEEK]).fetchall()
    picked: dict[str, list[Quote]] = {}
    seen: dict[str, set[str]] = {}
    for pid, clause, context, kind, source, day in rows:
        got, texts = picked.setdefault(pid, []), seen.setdefault(pid, set())
        if len(got) >= n or context in texts:
            continue
        texts.add(context)
        got.append(_quote(clause, context, kind, source, day))
    return [replace(p, quotes=tuple(picked.get(p.id, ()))) for p in points]


def _quote(clause: str, context: str, kind: str, source: str, day: date) -> Quote:
    """The feedback text around ``clause``, cut to about :data:`QUOTE_CHARS` characters with '…'."""
    at = context.find(clause)
    if at < 0:
        return Quote("", clause, "", kind, source, day)
    room = max(QUOTE_CHARS - len(clause), 0)
    lo = max(0, at - room // 2)
    hi = min(len(context), at + len(clause) + (room - (at - lo)))
    lo = max(0, min(lo, hi - QUOTE_CHARS))  # use the room left over at the end, if any
    before = ("…" if lo > 0 else "") + context[lo:at]
    after = context[at + len(clause) : hi] + ("…" if hi < len(context) else "")
    return Quote(before, clause, after, kind, source, day)


# --- stages ------------------------------------------------------------------------------------


def _stages(con: duckdb.DuckDBPyConnection, monday: date, points: list[PainPointRow]) -> list[StageRow]:
    """Every journey stage in journey order (also quiet ones), then stage keys the table lacks."""
    weeks = {}
    rows = con.execute(_STAGE_WEEKS, [monday, monday - WEEK]).fetchall()
    for wk, key, label, pos, mentions, negs, share in rows:
        weeks[(wk, key)] = (label, pos, int(mentions), int(negs), share)
    had_previous = any(wk == monday - WEEK for wk, _ in weeks)
    known = con.execute(_STAGES).fetchall()
    order = [(k, lbl, ph, own) for k, lbl, ph, own, _ in known]
    extra = sorted(
        {key for (_, key) in weeks} - {k for k, *_ in order}, key=lambda k: (_position(weeks, k), k)
    )
    order += [(k, _label(weeks, k), None, None) for k in extra]
    top = _top_by_stage(points)
    out = []
    for key, label, phase, owner in order:
        now = weeks.get((monday, key))
        before = weeks.get((monday - WEEK, key))
        out.append(
            StageRow(
                key=key,
                label=label,
                phase=phase,
                owner=owner,
                mentions=now[2] if now else 0,
                negative_mentions=now[3] if now else 0,
                prev_mentions=(before[2] if before else 0) if had_previous else None,
                prev_negative_share=before[4] if before else None,
                top_pain_point=top.get(key),
            )
        )
    return out


def _position(weeks: dict, key: str) -> int:
    positions = [v[1] for (_, k), v in weeks.items() if k == key and v[1] is not None]
    return min(positions) if positions else 1_000_000


def _label(weeks: dict, key: str) -> str:
    return next(v[0] for (_, k), v in weeks.items() if k == key)


def _top_by_stage(points: Iterable[PainPointRow]) -> dict[str, str]:
    best: dict[str, str] = {}
    for p in sorted(points, key=lambda p: (-p.volume, p.label)):
        if p.stage and p.volume > 0:
            best.setdefault(p.stage, p.label)
    return best
