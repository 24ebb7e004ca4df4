"""Opening a ready warehouse: numbered migrations (applied once each, recorded with a checksum) and
views (re-applied on every writable open).

Files: ``warehouse/migrations/NNN_name.sql`` and ``warehouse/views/*.sql``. Never edit a released
migration: its checksum is recorded and a changed file is an error. Add a new numbered file instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from voc.paths import MIGRATIONS_DIR, VIEWS_DIR
from voc.warehouse.connection import WarehouseError, connect, first_line, transaction

if TYPE_CHECKING:
    from voc.config import Settings


class MigrationError(WarehouseError):
    """A migration file that is malformed, failed, or changed after it was applied."""


@contextmanager
def open_warehouse(settings: Settings, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Connect to ``settings.warehouse_path``; when writable, create it, migrate it and re-apply the views.

    Keep the block short: other processes cannot even read the file while it is open read-write.
    """
    path = Path(settings.warehouse_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(path, read_only=read_only, timeout=settings.lock_timeout)
    try:
        if not read_only:
            migrate(con)
            apply_views(con)
        yield con
    finally:
        con.close()


_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def migrate(con: duckdb.DuckDBPyConnection, migrations_dir: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply the migrations not yet recorded, in order, each in its own transaction.

    Returns the versions applied now (``[]`` when up to date). Raises :class:`MigrationError` when an
    applied migration's file changed since (never edit a released migration: add a new one).
    """
    files = _migration_files(migrations_dir)
    applied = _applied_migrations(con)
    for version, checksum in applied.items():
        if version not in files:
            raise MigrationError(
                f"{migrations_dir}: migration {version:03d} is applied to the warehouse "
                "but its file is missing (is this an older version of voc?)"
            )
        if files[version][1] != checksum:
            raise MigrationError(
                f"{files[version][0]}: changed after it was applied (checksum mismatch); "
                "restore it and put the change in a new numbered migration"
            )
    done = []
    for version in sorted(set(files) - set(applied)):
        _apply_migration(con, version, *files[version])
        done.append(version)
    return done


def _migration_files(directory: Path) -> dict[int, tuple[Path, str]]:
    found: dict[int, tuple[Path, str]] = {}
    for path in sorted(Path(directory).glob("*.sql")):
        m = _MIGRATION_FILE.match(path.name)
        if not m:
            raise MigrationError(f"{path}: migration files must be named NNN_name.sql (lowercase name)")
        version = int(m.group(1))
        if version in found:
            raise MigrationError(f"{path}: version {version:03d} already used by {found[version][0].name}")
        found[version] = (path, _checksum(path))
    return found


def _checksum(path: Path) -> str:
    """sha256 of the file with LF line endings, so a CRLF checkout is not an edit."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def _applied_migrations(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return {}
    return dict(con.execute("SELECT version, checksum FROM schema_migrations").fetchall())


def _apply_migration(con: duckdb.DuckDBPyConnection, version: int, path: Path, checksum: str) -> None:
    try:
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                [version, path.stem, checksum, datetime.now()],
            )
    except duckdb.Error as err:
        raise MigrationError(f"{path}: failed, nothing applied: {first_line(err)}") from None


def apply_views(con: duckdb.DuckDBPyConnection, views_dir: Path = VIEWS_DIR) -> None:
    """(Re-)create every view from ``warehouse/views/*.sql``, in file-name order, in one transaction."""
    with transaction(con):
        for path in sorted(Path(views_dir).glob("*.sql")):
            try:
                con.execute(path.read_text(encoding="utf-8"))
            except duckdb.Error as err:
                raise WarehouseError(f"{path}: {first_line(err)}") from None
