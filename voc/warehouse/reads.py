"""Reads that feed the next pipeline stage (analysts read the views instead)."""

from __future__ import annotations

import duckdb


def pending_feedback(
    con: duckdb.DuckDBPyConnection, model_version: str, limit: int | None = None
) -> list[tuple[str, str]]:
    """``(id, text)`` of feedback not yet enriched by ``model_version``, oldest first (ties by id)."""
    sql = "SELECT id, text FROM feedback WHERE model_version IS DISTINCT FROM ? ORDER BY created_at, id" + (
        " LIMIT ?" if limit is not None else ""
    )
    return con.execute(sql, [model_version] + ([limit] if limit is not None else [])).fetchall()


def negative_clauses(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, str, list[str], str | None]]:
    """``(feedback_id, position, text, tokens, stage)`` of every negative clause, in a stable order."""
    return con.execute(
        "SELECT feedback_id, position, text, coalesce(tokens, []), stage FROM clauses "
        "WHERE label = 'negative' ORDER BY feedback_id, position"
    ).fetchall()
