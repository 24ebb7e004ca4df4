"""The DuckDB warehouse: lock-aware connections, migrations, views, bulk upserts and reads.

SQL lives in files: ``warehouse/migrations/NNN_name.sql`` (applied once each, in order, recorded in
``schema_migrations`` with a checksum) and ``warehouse/views/*.sql`` (re-applied on every writable open).
``warehouse/README.md`` documents the schema, the views and the locking.

Hold a connection only while reading or writing: while one process has the file open read-write,
no other process can open it at all. :func:`connect` waits for such a lock up to a timeout::

    with open_warehouse(settings) as con:          # connect + migrate + views
        new = land_feedback(con, run_id, items)

Modules: ``connection`` (connect, locking), ``schema`` (open, migrate, views), ``store`` (bulk writes),
``reads`` (inputs of the next stage), ``catalogue`` (the pain-point catalogue, migration 003),
``models`` (the sentiment-model registry). Every write function is one transaction of its own.
"""

from voc.warehouse.catalogue import previous_pain_points, read_proposals, save_catalogue
from voc.warehouse.connection import WarehouseError, connect
from voc.warehouse.models import (
    ModelRecord,
    active_model,
    feedback_texts,
    model_history,
    record_model,
    weak_labels,
)
from voc.warehouse.reads import negative_clauses, pending_feedback
from voc.warehouse.schema import MigrationError, apply_views, migrate, open_warehouse
from voc.warehouse.store import (
    known_file_hashes,
    land_feedback,
    land_rejected,
    record_files,
    record_ingest_run,
    save_enrichment,
    save_pain_points,
    sync_stages,
)

__all__ = [
    "MigrationError",
    "ModelRecord",
    "WarehouseError",
    "active_model",
    "apply_views",
    "connect",
    "feedback_texts",
    "known_file_hashes",
    "land_feedback",
    "land_rejected",
    "migrate",
    "model_history",
    "negative_clauses",
    "open_warehouse",
    "pending_feedback",
    "previous_pain_points",
    "read_proposals",
    "record_files",
    "record_ingest_run",
    "record_model",
    "save_catalogue",
    "save_enrichment",
    "save_pain_points",
    "sync_stages",
    "weak_labels",
]
