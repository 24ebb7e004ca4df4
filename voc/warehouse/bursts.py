"""Reads and writes of coordinated bursts (``bursts``, ``burst_members``, migration 004).

Detection scans every negative social post, so a save replaces both tables as a whole, in one
transaction; the burst ids derive from the members, so an unchanged warehouse keeps its ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from voc.bursts import Burst
from voc.warehouse.connection import registered, transaction

_BURSTS = pa.schema(
    [
        ("burst_id", pa.string()),
        ("first_at", pa.timestamp("us")),
        ("last_at", pa.timestamp("us")),
        ("accounts", pa.int32()),
        ("posts", pa.int32()),
        ("similarity", pa.float64()),
        ("representative_id", pa.string()),
        ("representative", pa.string()),
    ]
)
_MEMBERS = pa.schema([("burst_id", pa.string()), ("feedback_id", pa.string())])

# The pain point most of a burst's negative clauses carry (ties: smallest id), if any.
_PAIN_POINT = """
    SELECT m.burst_id, c.pain_point_id, count(*) AS n
    FROM voc_members_in AS m JOIN clauses AS c ON c.feedback_id = m.feedback_id
    WHERE c.label = 'negative' AND c.pain_point_id IS NOT NULL
    GROUP BY m.burst_id, c.pain_point_id
    QUALIFY row_number() OVER (PARTITION BY m.burst_id ORDER BY n DESC, c.pain_point_id) = 1"""


def negative_social_posts(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[str], list[datetime], list[str | None], list[str], list[str]]:
    """``(ids, created_at, authors, texts, display texts)`` of every negative social post, oldest first.

    ``texts`` are the landed (masked) texts, which keep the #topics# and //@ chains that burst
    cleaning strips itself; display texts are the normalized ones the digest quotes.
    """
    table = con.sql(
        "SELECT id, created_at, author, text, coalesce(text_norm, text) AS shown FROM feedback "
        "WHERE kind = 'social' AND label = 'negative' ORDER BY created_at, id"
    ).to_arrow_table()
    cols = [table.column(i).to_pylist() for i in range(5)]
    return cols[0], cols[1], cols[2], cols[3], cols[4]


def save_bursts(con: duckdb.DuckDBPyConnection, run_id: str, bursts: Sequence[Burst]) -> None:
    """Replace ``bursts`` and ``burst_members``; each burst's pain point is read from its clauses."""
    unique = list({b.id: b for b in bursts}.values())
    table = pa.Table.from_arrays(
        [
            pa.array([getattr(b, "id" if f.name == "burst_id" else f.name) for b in unique], type=f.type)
            for f in _BURSTS
        ],
        schema=_BURSTS,
    )
    members = pa.Table.from_arrays(
        [
            pa.array([b.id for b in unique for _ in b.member_ids], type=pa.string()),
            pa.array([m for b in unique for m in b.member_ids], type=pa.string()),
        ],
        schema=_MEMBERS,
    )
    with (
        transaction(con),
        registered(con, "voc_bursts_in", table),
        registered(con, "voc_members_in", members),
    ):
        con.execute("DELETE FROM burst_members")
        con.execute("DELETE FROM bursts")
        con.execute(
            f"INSERT INTO bursts SELECT b.*, p.pain_point_id, ?, ? "
            f"FROM voc_bursts_in AS b LEFT JOIN ({_PAIN_POINT}) AS p USING (burst_id)",
            [run_id, datetime.now()],
        )
        con.execute("INSERT INTO burst_members SELECT DISTINCT burst_id, feedback_id FROM voc_members_in")


def bursts_between(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime) -> list[tuple]:
    """Rows of the ``social_bursts`` view whose first post is in ``[start, end)``, biggest first:
    ``(burst_id, first_at, last_at, hours, posts, accounts, representative, pain_point_label)``."""
    return con.execute(
        "SELECT burst_id, first_at, last_at, hours, posts, accounts, representative, pain_point_label "
        "FROM social_bursts WHERE first_at >= ? AND first_at < ? ORDER BY posts DESC, first_at, burst_id",
        [start, end],
    ).fetchall()
