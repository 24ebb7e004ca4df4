"""The coordinated burst planted in the demo: near-identical negative posts from many accounts in hours.

``phrases/burst.yaml`` says when, how many and what. The burst takes the place of the last
background items (never planted pain points) generated for its week, so the item count, every
planted pain point's weekly count and every other week's files stay exactly as without it; it
draws from its own random stream, so the rest of the corpus is unchanged too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import yaml

from voc.demo import noise
from voc.demo.phrases import PHRASE_DIR, PhraseError

BURST_FILE = PHRASE_DIR / "burst.yaml"
_MID_BASE = 4_960_000_000_000_000  # burst post ids: apart from the organic posts' 4_950_...
_NUMBERS = ("week", "day", "start_hour", "hours", "posts", "accounts", "min_posts")
_SHARES = ("traditional", "repost")
_POOLS = ("texts", "n", "prefixes", "suffixes")


@lru_cache(maxsize=1)
def load_burst_plan() -> dict[str, Any]:
    """``burst.yaml``, checked: numbers, shares in [0, 1], non-empty string pools, brand and product."""
    data = yaml.safe_load(BURST_FILE.read_text(encoding="utf-8"))
    where = BURST_FILE.name
    if not isinstance(data, dict):
        raise PhraseError(f"{where}: expected a table")
    for key in _NUMBERS:
        if isinstance(data.get(key), bool) or not isinstance(data.get(key), int):
            raise PhraseError(f"{where}: '{key}' must be a whole number")
    for key in _SHARES:
        if not isinstance(data.get(key), int | float) or not 0 <= data[key] <= 1:
            raise PhraseError(f"{where}: '{key}' must be a share between 0 and 1")
    for key in _POOLS:
        pool = data.get(key)
        if not isinstance(pool, list) or not pool or not all(isinstance(x, str) for x in pool):
            raise PhraseError(f"{where}: '{key}' must be a non-empty list of strings")
    for key in ("brand", "product"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise PhraseError(f"{where}: '{key}' is required")
    return data


def plant_burst(
    rows: dict[tuple[str, int], list[tuple[datetime, dict[str, Any]]]],
    week: int,
    label: str,
    monday: date,
    background: list[tuple[str, int, str, bool]],
    builder: Any,
    common: dict[str, Any],
    seed: int,
    stamp: Callable[[datetime], str],
) -> dict[str, Any]:
    """Replace the last background items of ``week`` with the burst; returns its manifest entry.

    ``background``: ``(kind, position in rows[kind, week], polarity, traditional)`` of the week's
    background items in generation order; ``builder``'s per-kind, per-polarity and traditional
    counters are kept true. A week with too few background items gets no burst (``{}``).
    """
    plan = load_burst_plan()
    n = min(plan["posts"], len(background) // 2)
    if n < plan["min_posts"]:
        return {}
    _drop(rows, week, background[-n:], builder)
    rng = random.Random(f"demo-burst-{seed}")
    accounts = _accounts(min(plan["accounts"], n), common, rng)
    authors = accounts + [rng.choice(accounts) for _ in range(n - len(accounts))]
    rng.shuffle(authors)
    start = datetime.combine(monday + timedelta(days=plan["day"]), time(plan["start_hour"]))
    times = sorted(start + timedelta(seconds=rng.randrange(plan["hours"] * 3600)) for _ in range(n))
    texts = _texts(plan, n, accounts, rng)
    ids = []
    for i, (when, author, text) in enumerate(zip(times, authors, texts, strict=True)):
        if rng.random() < plan["traditional"]:
            text = noise.to_traditional(text)
            builder.traditional += 1
        mid = str(_MID_BASE + seed * 1000 + i)
        ids.append(mid)
        row = {
            "mid": mid,
            "text": text,
            "user": author,
            "attitudes_count": rng.randint(0, 3),
            "reposts_count": rng.randint(0, 2),
            "created_at": stamp(when),
        }
        rows["social", week].append((when, row))
    builder.kinds["social"] += n
    builder.polarity["negative"] += n
    return {
        "week": label,
        "brand": plan["brand"],
        "product": plan["product"],
        "posts": n,
        "accounts": len(accounts),
        "first_at": times[0].isoformat(),
        "last_at": times[-1].isoformat(),
        "ids": ids,
        "example": texts[0],
    }


def _drop(rows, week: int, items: list[tuple[str, int, str, bool]], builder: Any) -> None:
    """Remove these background items from their files and from the builder's counters."""
    by_kind: dict[str, set[int]] = {}
    for kind, pos, polarity, traditional in items:
        by_kind.setdefault(kind, set()).add(pos)
        builder.kinds[kind] -= 1
        builder.polarity[polarity] -= 1
        builder.traditional -= traditional
    for kind, gone in by_kind.items():
        rows[kind, week] = [r for i, r in enumerate(rows[kind, week]) if i not in gone]


def _accounts(k: int, common: dict[str, Any], rng: random.Random) -> list[str]:
    """``k`` distinct nicknames (numbered once the name pool runs dry)."""
    names: list[str] = []
    for i in range(k * 50):
        if len(names) == k:
            break
        name = noise.user_name(common, rng)
        if i >= k * 25:
            name += str(i)
        if name not in names:
            names.append(name)
    return names


def _texts(plan: dict[str, Any], n: int, accounts: list[str], rng: random.Random) -> list[str]:
    """``n`` distinct wordings of the complaint: prefixes, suffixes, numbers, pure reposts."""
    out: list[str] = []
    fill = {"brand": plan["brand"], "product": plan["product"]}
    for _ in range(n * 200):
        if len(out) == n:
            break
        body = rng.choice(plan["texts"]).format(n=rng.choice(plan["n"]), **fill)
        text = (
            rng.choice(plan["prefixes"]).format(**fill) + body + rng.choice(plan["suffixes"]).format(**fill)
        )
        if rng.random() < plan["repost"]:
            text = f"转发微博//@{rng.choice(accounts)}:{text}"
        if text not in out:
            out.append(text)
    if len(out) < n:
        raise PhraseError(f"{BURST_FILE.name}: too few wordings for {n} distinct posts")
    return out
