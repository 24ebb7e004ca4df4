"""The sentiment-model registry (``sentiment_models``) and the weak labels it is trained from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from voc.warehouse.connection import transaction

#: Weak labels from the customer's own scores: (negative when <=, positive when >=) per score kind.
#: 3 stars, NPS passives (7-8) and CSAT 3 say little about the text and are left out.
WEAK_LABEL_RULES = {"rating": (2, 4), "nps": (6, 9), "csat": (2, 4)}

_R, _N, _C = WEAK_LABEL_RULES["rating"], WEAK_LABEL_RULES["nps"], WEAK_LABEL_RULES["csat"]
_WEAK_LABELS_SQL = f"""
SELECT id, text,
       CASE WHEN rating IS NOT NULL THEN (rating >= {_R[1]})::INTEGER
            WHEN score_type = 'nps' THEN (score >= {_N[1]})::INTEGER
            ELSE (score >= {_C[1]})::INTEGER END AS label
FROM feedback
WHERE (rating IS NOT NULL AND (rating <= {_R[0]} OR rating >= {_R[1]}))
   OR (rating IS NULL AND score_type = 'nps' AND (score <= {_N[0]} OR score >= {_N[1]}))
   OR (rating IS NULL AND score_type = 'csat' AND (score <= {_C[0]} OR score >= {_C[1]}))
ORDER BY id
"""


@dataclass(frozen=True)
class ModelRecord:
    model_id: str
    path: str
    origin: str
    trained_at: datetime
    train_docs: int
    holdout_docs: int
    holdout_macro_f1: float | None
    baseline_model_id: str
    baseline_macro_f1: float | None
    active: bool
    decision: str
    reason: str = ""


def weak_labels(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """``(id, text, label)`` of feedback whose rating or score says clearly negative (0) or positive (1)."""
    return con.execute(_WEAK_LABELS_SQL).fetchall()


def feedback_texts(con: duckdb.DuckDBPyConnection, limit: int) -> list[tuple[str, str]]:
    """``(id, text)`` of up to ``limit`` feedback items, a stable pseudo-random sample (hash of id)."""
    return con.execute(
        "SELECT id, text FROM feedback WHERE text IS NOT NULL AND length(trim(text)) > 0 "
        "ORDER BY hash(id), id LIMIT ?",
        [limit],
    ).fetchall()


def active_model(con: duckdb.DuckDBPyConnection) -> ModelRecord | None:
    """The model the pipeline should use, or None for the shipped default."""
    row = con.execute("SELECT * FROM sentiment_models WHERE active").fetchone()
    return ModelRecord(*row) if row else None


def record_model(con: duckdb.DuckDBPyConnection, rec: ModelRecord) -> None:
    """Add a trained model; when it is active, it replaces the previously active one."""
    with transaction(con):
        if rec.active:
            con.execute("UPDATE sentiment_models SET active = false WHERE active")
        con.execute(
            "INSERT INTO sentiment_models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                rec.model_id,
                rec.path,
                rec.origin,
                rec.trained_at,
                rec.train_docs,
                rec.holdout_docs,
                rec.holdout_macro_f1,
                rec.baseline_model_id,
                rec.baseline_macro_f1,
                rec.active,
                rec.decision,
                rec.reason,
            ],
        )


def model_history(con: duckdb.DuckDBPyConnection) -> list[ModelRecord]:
    """Every recorded model, newest first."""
    rows = con.execute("SELECT * FROM sentiment_models ORDER BY trained_at DESC, model_id").fetchall()
    return [ModelRecord(*r) for r in rows]
