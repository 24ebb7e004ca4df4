"""The pain-point catalogue table (migration 003): proposals remembered between runs, curated entries
synced from ``lexicons/pain_points.yaml``, and when each pain point was first and last seen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from voc.warehouse.connection import registered, transaction

_TEXTS = pa.list_(pa.string())
_CATALOGUE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("stage", pa.string()),
        ("layer", pa.string()),
        ("status", pa.string()),
        ("pinned", pa.bool_()),
        ("merged_into", pa.string()),
        ("aspects", _TEXTS),
        ("opinions", _TEXTS),
        ("terms", _TEXTS),
    ]
)
_COLUMNS = ", ".join(_CATALOGUE_SCHEMA.names)


def read_proposals(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Proposed entries remembered by earlier runs, as dicts of the table's columns (plus ``clauses``:
    negative clauses tagged with it now), by id."""
    cur = con.execute(
        "SELECT id, name, stage, layer, aspects, opinions, terms, first_seen, last_seen, first_run, "
        "  last_run, "
        "  (SELECT count(*) FROM clauses AS c WHERE c.pain_point_id = p.id) AS clauses "
        "FROM pain_point_catalogue AS p WHERE status = 'proposed' ORDER BY id"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def previous_pain_points(con: duckdb.DuckDBPyConnection) -> list[str | None]:
    """Each negative clause's pain-point id from the last run, in the order of
    :func:`voc.warehouse.negative_clauses` (what lets regrouped clusters keep their ids)."""
    return [
        r[0]
        for r in con.execute(
            "SELECT pain_point_id FROM clauses WHERE label = 'negative' ORDER BY feedback_id, position"
        ).fetchall()
    ]


def save_catalogue(con: duckdb.DuckDBPyConnection, run_id: str, entries: Sequence[Any]) -> None:
    """Upsert catalogue entries (``voc.catalogue.CatalogueEntry``), then refresh every entry's
    first/last seen day and last run from the clauses tagged with it.

    Curated rows are exactly the entries given with ``status='curated'`` (an entry removed from the
    YAML file leaves the table); proposed rows are kept across runs, so their ids survive.
    """
    rows = [
        [e.id, e.name, e.stage, e.layer, e.status, e.pinned, e.merged_into]
        + [list(e.aspects), list(e.opinions), list(e.terms)]
        for e in {e.id: e for e in entries}.values()
    ]
    cols = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in _CATALOGUE_SCHEMA]
    table = pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(cols, _CATALOGUE_SCHEMA, strict=True)],
        schema=_CATALOGUE_SCHEMA,
    )
    now = datetime.now()
    with transaction(con), registered(con, "voc_catalogue_in", table):
        con.execute(
            "DELETE FROM pain_point_catalogue WHERE status = 'curated' "
            "AND id NOT IN (SELECT id FROM voc_catalogue_in WHERE status = 'curated')"
        )
        con.execute(
            f"INSERT INTO pain_point_catalogue ({_COLUMNS}, first_run, updated_at) "
            f"SELECT {_COLUMNS}, ?, ? FROM voc_catalogue_in "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, stage = excluded.stage, "
            "layer = excluded.layer, status = excluded.status, pinned = excluded.pinned, "
            "merged_into = excluded.merged_into, aspects = excluded.aspects, "
            "opinions = excluded.opinions, terms = excluded.terms, updated_at = excluded.updated_at",
            [run_id, now],
        )
        con.execute(
            "UPDATE pain_point_catalogue SET first_seen = s.first_seen, last_seen = s.last_seen, "
            "last_run = ? FROM ("
            "  SELECT c.pain_point_id AS id, min(f.created_at)::DATE AS first_seen, "
            "         max(f.created_at)::DATE AS last_seen "
            "  FROM clauses AS c JOIN feedback AS f ON f.id = c.feedback_id "
            "  WHERE c.pain_point_id IS NOT NULL GROUP BY c.pain_point_id) AS s "
            "WHERE pain_point_catalogue.id = s.id",
            [run_id],
        )
