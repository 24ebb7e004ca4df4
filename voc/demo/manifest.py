"""The demo's calendar, its weekly plan of planted pain points, and the manifest that records it.

The manifest is the answer key: which pain points were planted, in which stage, how many items
per ISO week, which week spikes, which files hold how many items and how many rows are bad on
purpose. It is written next to the files as ``manifest.json``.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from voc.demo.phrases import STAGE_LABELS, PainSpec


def iso_week(day: date) -> str:
    """``2026-W41`` for any day of that ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_mondays(end: date, weeks: int) -> list[date]:
    """Mondays of the ``weeks`` ISO weeks ending with the week that contains ``end``."""
    last = end - timedelta(days=end.weekday())
    return [last - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


@dataclass
class PlantedPainPoint:
    """A pain point planted in the corpus: the truth the pipeline should find."""

    key: str
    label: str  # Chinese label, e.g. 配送超时
    stage: str  # journey stage key
    stage_label: str
    trend: str  # spike | growing | declining | flat
    industries: list[str]
    markers: list[str]  # every planted text of this pain point contains one of these
    weekly: dict[str, int]  # ISO week -> planted items

    @property
    def total(self) -> int:
        return sum(self.weekly.values())


@dataclass
class DemoFile:
    """One file drop written by the generator."""

    path: str  # relative to the output folder
    source: str  # source name in voc.toml
    kind: str
    week: str
    encoding: str  # utf-8, utf-8-sig or gbk
    items: int  # good rows
    bad_rows: int  # rows broken on purpose


@dataclass
class BadRow:
    """A row broken on purpose: ingest must reject it with a reason, and only it."""

    file: str
    id: str  # the row's id (review_id, 回复编号 or mid)
    what: str  # empty text, 100000-char text, unparseable time, ...


@dataclass
class DemoManifest:
    """What :func:`voc.demo.generate_demo` wrote and what it planted."""

    seed: int
    n_items: int  # good items (bad rows come on top)
    weeks: list[str]
    start: str
    end: str
    files: list[DemoFile] = field(default_factory=list)
    pain_points: list[PlantedPainPoint] = field(default_factory=list)
    spike: dict[str, Any] = field(default_factory=dict)  # key, label, week, factor
    growing: str = ""
    declining: str = ""
    bad_rows: int = 0
    bad_row_details: list[BadRow] = field(default_factory=list)
    polarity: dict[str, int] = field(default_factory=dict)  # items per text polarity
    by_kind: dict[str, int] = field(default_factory=dict)  # items per source kind
    traditional: int = 0  # items written in traditional characters
    # the planted coordinated burst (voc/demo/burst.py): week, brand, product, posts, accounts,
    # first_at, last_at, ids (the posts' mids), example; {} when the corpus is too small for one
    burst: dict[str, Any] = field(default_factory=dict)

    def pain(self, key: str) -> PlantedPainPoint:
        """The planted pain point ``key``."""
        return next(p for p in self.pain_points if p.key == key)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    def write(self, path: Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> DemoManifest:
        """Load a ``manifest.json`` written by :meth:`write`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        data["files"] = [DemoFile(**f) for f in data["files"]]
        data["pain_points"] = [PlantedPainPoint(**p) for p in data["pain_points"]]
        data["bad_row_details"] = [BadRow(**b) for b in data["bad_row_details"]]
        return cls(**data)


def trend_multipliers(trend: str, weeks: int, trends: dict[str, Any], rng: random.Random) -> list[float]:
    """How a pain point's weekly volume moves relative to its base level."""
    wobble = trends["flat"]["jitter"]
    flat = [1 + rng.uniform(-wobble, wobble) for _ in range(weeks)]
    if trend == "spike":
        flat[trends["spike"]["week"] % weeks] = trends["spike"]["factor"]
        return flat
    if trend in ("growing", "declining"):
        lo, hi = trends[trend]["from"], trends[trend]["to"]
        return [lo + (hi - lo) * i / max(1, weeks - 1) for i in range(weeks)]
    return flat


def plan_pains(
    pains: dict[str, PainSpec], labels: list[str], n_items: int, plan: dict[str, Any], rng: random.Random
) -> list[PlantedPainPoint]:
    """Weekly planted counts of every pain point (at least one item per week each)."""
    base = plan["pain_base_share"] * n_items / len(labels)
    planted = []
    for key, spec in pains.items():
        mult = trend_multipliers(spec.trend, len(labels), plan["trends"], rng)
        weekly = {w: max(1, round(base * m)) for w, m in zip(labels, mult, strict=True)}
        planted.append(
            PlantedPainPoint(
                key,
                spec.label,
                spec.stage,
                STAGE_LABELS[spec.stage],
                spec.trend,
                list(spec.industries),
                list(spec.markers),
                weekly,
            )
        )
    return planted


def split_total(total: int, weeks: int, jitter: float, rng: random.Random) -> list[int]:
    """``total`` split over ``weeks`` with some wobble; the parts sum to ``total`` exactly."""
    weights = [1 + rng.uniform(-jitter, jitter) for _ in range(weeks)]
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(weeks), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
