"""The digest as plain data: what the templates show, testable without rendering anything.

Every record is a frozen dataclass of numbers, strings and dates. Shares are fractions in [0, 1],
sentiment is in [-1, 1], NPS and CSAT are in points (-100..100, 0..100). ``None`` means "no data",
never zero: a week without NPS responses has ``nps.value is None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


def iso_week_label(monday: date) -> str:
    """``2026-W41`` for any day of that ISO week (the same text as the views' ``iso_week``)."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    if isinstance(day, datetime):
        day = day.date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Metric:
    """One headline number this week and the week before. ``good_when_up`` tells the colour of a rise
    (None: neither, e.g. the feedback count)."""

    value: float | None
    previous: float | None
    good_when_up: bool | None = True
    responses: int | None = None  # survey metrics: how many answers the value rests on
    previous_responses: int | None = None

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def relative(self) -> float | None:
        """Change as a fraction of last week's value (for counts); None when last week was 0 or missing."""
        if self.delta is None or not self.previous:
            return None
        return self.delta / abs(self.previous)

    @property
    def tone(self) -> str:
        """``good``, ``bad`` or ``flat``: how a reader should take the change."""
        if self.delta is None or abs(self.delta) < 1e-9 or self.good_when_up is None:
            return "flat"
        return "good" if (self.delta > 0) == self.good_when_up else "bad"


@dataclass(frozen=True)
class Headline:
    """The four numbers at the top, plus CSAT when a CSAT survey is connected."""

    feedback: Metric
    avg_sentiment: Metric
    negative_share: Metric
    nps: Metric
    csat: Metric


@dataclass(frozen=True)
class Quote:
    """A customer's words (PII-masked, normalized), split so the clause behind the pain point stands out."""

    before: str
    clause: str
    after: str
    kind: str  # review | survey | social
    source: str
    day: date

    @property
    def text(self) -> str:
        return self.before + self.clause + self.after


@dataclass(frozen=True)
class PainPointRow:
    """One pain point's week: volume = negative clauses assigned to it."""

    id: str
    label: str
    stage: str | None
    stage_label: str
    owner: str | None
    volume: int
    prev_volume: int
    docs: int
    share: float  # of all negative clauses this week
    avg_sentiment: float | None
    quotes: tuple[Quote, ...] = ()
    pinned: bool = False  # pinned in lexicons/pain_points.yaml: listed even when quiet or not in the top

    @property
    def growth(self) -> int:
        return self.volume - self.prev_volume

    @property
    def growth_ratio(self) -> float | None:
        """Growth as a fraction of last week's volume; None when it is new this week (last week 0)."""
        return self.growth / self.prev_volume if self.prev_volume else None


@dataclass(frozen=True)
class StageRow:
    """One journey stage's week: clauses tagged with it and how many of them were negative."""

    key: str
    label: str
    phase: str | None
    owner: str | None
    mentions: int
    negative_mentions: int
    prev_mentions: int | None  # None: no data last week at all
    prev_negative_share: float | None
    top_pain_point: str | None

    @property
    def negative_share(self) -> float | None:
        return self.negative_mentions / self.mentions if self.mentions else None

    @property
    def share_delta(self) -> float | None:
        if self.negative_share is None or self.prev_negative_share is None:
            return None
        return self.negative_share - self.prev_negative_share


@dataclass(frozen=True)
class WeekPoint:
    """One week of the trend: document sentiment and NPS (None where a week has no data)."""

    week: date
    iso_week: str
    docs: int
    avg_sentiment: float | None
    negative_share: float | None
    nps: float | None
    nps_responses: int


FLAG_LABELS = {"new": "新出现", "spike": "激增", "growing": "持续增长", "declining": "持续回落"}


@dataclass(frozen=True)
class AlertRow:
    """A pain point (or a journey stage) flagged this week against its baseline (``pain_point_weekly`` /
    ``stage_weekly``): new, spike, growing or declining."""

    id: str
    label: str
    stage: str | None
    stage_label: str
    owner: str | None
    flag: str  # new | spike | growing | declining
    volume: int  # this week: negative clauses
    baseline_mean: float | None  # mean of the baseline weeks
    baseline_weeks: int
    z_score: float | None
    trend_slope: float | None  # clauses per week, least squares over the trend window
    kind: str = "pain_point"  # pain_point | stage
    quotes: tuple[Quote, ...] = ()

    @property
    def flag_label(self) -> str:
        return FLAG_LABELS.get(self.flag, self.flag)

    @property
    def ratio(self) -> float | None:
        """This week's volume as a multiple of the baseline mean (None when the baseline is 0)."""
        return self.volume / self.baseline_mean if self.baseline_mean else None


@dataclass(frozen=True)
class DriverRow:
    """What one pain point costs a score (``pain_point_drivers``): mean score with it vs without it."""

    id: str
    label: str
    stage_label: str
    score_kind: str  # rating | nps | csat
    docs_with: int
    mean_with: float
    mean_without: float | None
    mean_diff: float | None
    diff_se: float | None
    nps_with: float | None = None
    nps_without: float | None = None

    @property
    def score_label(self) -> str:
        return {"rating": "评分（1–5 星）", "nps": "NPS 推荐意愿（0–10）", "csat": "CSAT（1–5）"}.get(
            self.score_kind, self.score_kind
        )


@dataclass(frozen=True)
class Digest:
    """Everything the Markdown and HTML templates need for one ISO week."""

    week: date  # Monday
    iso_week: str
    generated_at: datetime
    has_data: bool  # any enriched feedback in this week
    has_previous: bool  # any enriched feedback in the week before
    headline: Headline
    top_pain_points: tuple[PainPointRow, ...] = ()
    rising: tuple[PainPointRow, ...] = ()
    falling: tuple[PainPointRow, ...] = ()
    stages: tuple[StageRow, ...] = ()
    trend: tuple[WeekPoint, ...] = ()
    min_growth_volume: int = 3  # rising/falling lists ignore pain points below this many mentions
    alerts: tuple[AlertRow, ...] = ()  # pain points flagged this week, the most urgent first
    stage_alerts: tuple[AlertRow, ...] = ()  # journey stages whose negative mentions are flagged
    drivers: tuple[DriverRow, ...] = ()  # pain points that lower a score the most
    min_driver_docs: int = 10  # drivers ignore pain points with fewer scored feedback items
    bursts: tuple = ()  # voc.digest.bursts.BurstRow: coordinated bursts of this week (last section)

    @property
    def week_end(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def previous_iso_week(self) -> str:
        return iso_week_label(self.week - timedelta(days=7))
