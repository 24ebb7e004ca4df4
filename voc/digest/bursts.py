"""The digest's last section, 疑似集中发帖: coordinated bursts of the digest week.

Read from the ``social_bursts`` view (migration 004, ``voc/bursts.py``). The posts are flagged,
not removed: they still count in every other section, and the section says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb

from voc.warehouse.bursts import bursts_between

#: The representative post is cut to this many characters (with '…').
BURST_TEXT_CHARS = 80


@dataclass(frozen=True)
class BurstRow:
    """One burst as the digest shows it."""

    id: str
    first_at: datetime
    last_at: datetime
    hours: float
    posts: int
    accounts: int
    text: str  # the representative post (masked, normalized), cut to BURST_TEXT_CHARS
    pain_point: str | None  # label of the pain point most of its clauses carry


def week_bursts(con: duckdb.DuckDBPyConnection, monday: date) -> tuple[BurstRow, ...]:
    """Bursts whose first post falls in the ISO week starting ``monday``, biggest first;
    ``()`` for a warehouse without the bursts tables (older than migration 004)."""
    start = datetime.combine(monday, datetime.min.time())
    try:
        rows = bursts_between(con, start, start + timedelta(days=7))
    except duckdb.CatalogException:
        return ()
    return tuple(
        BurstRow(bid, first, last, float(hours or 0.0), int(posts), int(accounts), _cut(text), label)
        for bid, first, last, hours, posts, accounts, text, label in rows
    )


def _cut(text: str) -> str:
    return text if len(text) <= BURST_TEXT_CHARS else text[: BURST_TEXT_CHARS - 1] + "…"
