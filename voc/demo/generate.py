"""Generate the demo corpus: weekly file drops of synthetic Chinese customer feedback.

>>> from pathlib import Path; import tempfile
>>> m = generate_demo(Path(tempfile.mkdtemp()), n_items=600, weeks=8)
>>> m.n_items, len(m.weeks), m.spike["label"]
(600, 8, '配送超时')
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from voc.demo import noise
from voc.demo.burst import load_burst_plan, plant_burst
from voc.demo.compose import Composed, Composer
from voc.demo.manifest import DemoManifest, iso_week, plan_pains, split_total, week_mondays
from voc.demo.phrases import Industry, Phrases, Weighted, load_phrases
from voc.demo.writers import LAYOUTS, file_encoding, plant_bad_rows, write_drop

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Feedback arrives mostly in the daytime and evening: weight per hour of the day.
_HOURS = Weighted(list(enumerate((1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 9, 8, 7, 7, 7, 8, 9, 10, 10, 9, 6, 3))))


def generate_demo(
    out_dir: Path, *, n_items: int = 6000, weeks: int = 10, end: date = date(2026, 11, 22), seed: int = 7
) -> DemoManifest:
    """Write ``n_items`` feedback items over ``weeks`` ISO weeks ending with ``end``'s week.

    Files go to ``out_dir/reviews``, ``out_dir/surveys`` and ``out_dir/social`` (the layout of the
    project's ``voc.toml``), the answer key to ``out_dir/manifest.json``. The same arguments
    always give the same bytes.
    """
    if weeks < 4 or n_items < 30 * weeks:
        raise ValueError("the demo needs at least 4 weeks and 30 items per week")
    phrases = load_phrases()
    rng = random.Random(seed)
    mondays = week_mondays(end, weeks)
    labels = [iso_week(d) for d in mondays]
    planted = plan_pains(phrases.pains, labels, n_items, phrases.plan, rng)
    background = split_total(
        n_items - sum(p.total for p in planted), weeks, phrases.plan["week_volume_jitter"], rng
    )
    builder = _Builder(phrases, rng, end)
    rows: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    burst_week = load_burst_plan()["week"] % weeks
    spare = []  # background items of the burst week: (kind, position, polarity, traditional)
    for w, monday in enumerate(mondays):
        for category, pain in _week_categories(planted, labels[w], background[w], phrases, rng):
            kind, when, row = builder.item(category, pain, monday, w)
            rows[kind, w].append((when, row))
            if w == burst_week and category != "pain":
                spare.append((kind, len(rows[kind, w]) - 1, *builder.last))
    manifest = DemoManifest(
        seed, n_items, labels, mondays[0].isoformat(), end.isoformat(), pain_points=planted
    )
    manifest.burst = plant_burst(
        rows,
        burst_week,
        labels[burst_week],
        mondays[burst_week],
        spare,
        builder,
        phrases.common,
        seed,
        weibo_time,
    )
    _write(Path(out_dir), rows, labels, rng, manifest)
    _summarize(manifest, builder, phrases)
    manifest.write(Path(out_dir) / "manifest.json")
    return manifest


def _week_categories(planted, week: str, n_background: int, phrases: Phrases, rng: random.Random):
    """What each item of one week is: (category, pain key or None), shuffled."""
    mix = phrases.plan["background"]
    cats = [("pain", p.key) for p in planted for _ in range(p.weekly[week])]
    cats += [(c, None) for c in rng.choices(list(mix), weights=list(mix.values()), k=n_background)]
    rng.shuffle(cats)
    return cats


class _Builder:
    """Turns a (category, pain) into a file row: picks source kind and industry, composes, adds noise."""

    def __init__(self, phrases: Phrases, rng: random.Random, end: date) -> None:
        self.p, self.rng, self.end = phrases, rng, end
        self.composer = Composer(phrases, rng, long_share=phrases.plan["long_text"])
        self.noise = phrases.plan["noise"]
        self.sources = Weighted(phrases.plan["sources"])
        self.ratings = {
            scale: {pol: Weighted(w) for pol, w in by_pol.items()}
            for scale, by_pol in phrases.common["ratings"].items()
        }
        self._industries: dict[tuple[str, tuple[str, ...] | None], Weighted] = {}
        self.counter = 0
        self.polarity: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.traditional = 0
        self.last: tuple[str, bool] = ("", False)  # polarity and traditional flag of the last item

    def item(
        self, category: str, pain_key: str | None, monday: date, week: int
    ) -> tuple[str, datetime, dict[str, Any]]:
        """One item of ``week``: its source kind, its time and its file row."""
        rng = self.rng
        kind = self.sources.draw(rng)
        pain = self.p.pains[pain_key] if pain_key else None
        industry = self._industry(kind, pain.industries if pain else None)
        fixed = self.composer.begin(industry)
        composed = self.composer.compose(category, industry, kind, pain)
        traditional = self.traditional
        text = self._dress(composed, kind, fixed)
        self.last = (composed.polarity, self.traditional > traditional)  # for the planted burst
        when = self._when(monday)
        self.counter += 1
        self.polarity[composed.polarity] += 1
        self.kinds[kind] += 1
        legacy = file_encoding(kind, week) == "gbk"  # a legacy store export: other time format
        return kind, when, self._row(kind, composed, industry, fixed, text, when, legacy)

    def _industry(self, kind: str, allowed: tuple[str, ...] | None) -> Industry:
        draw = self._industries.get((kind, allowed))
        if draw is None:
            weights = self.p.plan["industries"][kind]
            draw = Weighted({k: w for k, w in weights.items() if allowed is None or k in allowed})
            self._industries[kind, allowed] = draw
        return self.p.industries[draw.draw(self.rng)]

    def _when(self, monday: date) -> datetime:
        rng = self.rng
        days = min(6, (self.end - monday).days)
        day = monday + timedelta(days=rng.randint(0, max(0, days)))
        hour = _HOURS.draw(rng)
        return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))

    def _dress(self, c: Composed, kind: str, fixed: dict[str, str]) -> str:
        """Typos, full-width forms, personal data, emoji, microblog style, traditional characters."""
        rng, rate, common = self.rng, self.noise, self.p.common
        text = c.text
        if rng.random() < rate["typo"]:
            text = noise.add_typo(text, common["typos"], rng)
        if rng.random() < rate["fullwidth"]:
            text = noise.to_fullwidth(text)
        for what in ("phone", "email", "order_no", "url"):
            if rng.random() < rate[what] * (2 if c.polarity == "negative" else 1):
                text = noise.add_pii(text, what, common, rng)
        if c.polarity in ("negative", "mixed") and rng.random() < rate["repeat_punct"]:
            text = noise.repeat_punct(text, c.polarity, rng)
        if rng.random() < rate["emoji"]:
            text = noise.add_emoji(text, c.polarity, common, rng)
        if kind == "social":
            text = noise.weibo_style(text, c.polarity, fixed, common, rate, rng)
        elif len(text) > 40 and rng.random() < rate["newline"] * 4:
            text = noise.add_newline(text, rng)
        if rng.random() < rate["traditional"]:
            text = noise.to_traditional(text)
            self.traditional += 1
        return text

    def _row(
        self,
        kind: str,
        c: Composed,
        ind: Industry,
        fixed: dict[str, str],
        text: str,
        when: datetime,
        legacy: bool,
    ) -> dict[str, Any]:
        rng, ratings, n = self.rng, self.ratings, self.counter
        if kind == "review":
            stamp = when.strftime("%Y/%m/%d %H:%M" if legacy else "%Y-%m-%d %H:%M:%S")
            stars = ratings["stars"][c.polarity].draw(rng)
            return {
                "review_id": str(10_000_000 + n),
                "content": text,
                "stars": stars,
                "product": fixed["product"],
                "store": fixed["store"],
                "created_at": stamp,
            }
        if kind == "survey":
            touch = ind.touchpoints.get(c.stage) or [self.p.plan["default_touchpoint"]]
            score = ratings["nps"][c.polarity].draw(rng)
            return {
                "回复编号": f"NPS{when:%Y%m}{n:06d}",
                "推荐意愿": score,
                "开放意见": text,
                "触点": rng.choice(touch),
                "提交时间": when.strftime("%Y-%m-%d %H:%M:%S"),
            }
        likes = int(rng.lognormvariate(1.2 if c.polarity != "negative" else 1.8, 1.5))
        return {
            "mid": str(4_950_000_000_000_000 + n * 1000 + rng.randrange(1000)),
            "text": text,
            "user": noise.user_name(self.p.common, rng),
            "attitudes_count": likes,
            "reposts_count": int(likes * rng.random() * 0.4),
            "created_at": weibo_time(when),
        }


def weibo_time(when: datetime) -> str:
    """Weibo API time: ``Mon Oct 05 14:03:00 +0800 2026`` (English names, whatever the locale)."""
    return (
        f"{_WEEKDAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day:02d} "
        f"{when:%H:%M:%S} +0800 {when.year}"
    )


def _write(out_dir: Path, rows, labels: list[str], rng: random.Random, manifest: DemoManifest) -> None:
    bad_ids = iter(range(90_000_001, 91_000_000))
    for kind in LAYOUTS:
        for w, label in enumerate(labels):
            file_rows = [row for _, row in sorted(rows.get((kind, w), []), key=lambda t: t[0])]
            bad = plant_bad_rows(kind, w, len(labels), file_rows, lambda: str(next(bad_ids)), rng)
            entry, bad_rows = write_drop(out_dir, kind, label, file_rows, file_encoding(kind, w), bad)
            manifest.files.append(entry)
            manifest.bad_row_details.extend(bad_rows)
    manifest.bad_rows = len(manifest.bad_row_details)


def _summarize(manifest: DemoManifest, builder: _Builder, phrases: Phrases) -> None:
    spike = next(p for p in manifest.pain_points if p.trend == "spike")
    at = phrases.plan["trends"]["spike"]["week"] % len(manifest.weeks)
    manifest.spike = {
        "key": spike.key,
        "label": spike.label,
        "week": manifest.weeks[at],
        "week_index": at,
        "factor": phrases.plan["trends"]["spike"]["factor"],
    }
    manifest.growing = next(p.key for p in manifest.pain_points if p.trend == "growing")
    manifest.declining = next(p.key for p in manifest.pain_points if p.trend == "declining")
    manifest.polarity = dict(sorted(builder.polarity.items()))
    manifest.by_kind = dict(sorted(builder.kinds.items()))
    manifest.traditional = builder.traditional
