"""Lock-aware connections and the small helpers every warehouse write shares.

DuckDB lets one process at a time hold a database file read-write, and while it does no other process
can open the file at all, not even read-only. So callers hold a connection only while they read or
write, and :func:`connect` waits (with backoff) for another process's lock before giving up.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from voc.errors import VocError, WarehouseLockedError


class WarehouseError(VocError):
    """A warehouse problem worded as one line (missing file, rejected write)."""


_LOCK_MESSAGE = re.compile(r"Could not set lock|Conflicting lock", re.IGNORECASE)
_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")
_BACKOFF_FIRST, _BACKOFF_MAX = 0.05, 0.5  # seconds between attempts, doubling up to the max


def connect(path: Path, *, read_only: bool = False, timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, retrying for up to ``timeout`` seconds while another process holds its lock.

    Raises :class:`WarehouseLockedError` (one line naming the file) when the lock outlasts the timeout,
    :class:`WarehouseError` when ``read_only`` and the file does not exist.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"{path}: no warehouse there yet (run an ingest first)")
    deadline = time.monotonic() + timeout
    pause = _BACKOFF_FIRST
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as err:
            if not _LOCK_MESSAGE.search(str(err)):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                raise WarehouseLockedError(_locked_message(path, timeout, str(err))) from None
            time.sleep(min(pause, left))
            pause = min(pause * 2, _BACKOFF_MAX)


def _locked_message(path: Path, timeout: float, detail: str) -> str:
    holder = _LOCK_HOLDER.search(detail)
    by = f" by process {holder.group(1)}" if holder else " by another process"
    return (
        f"{path}: warehouse is locked{by}; gave up after {timeout:g}s "
        "(raise warehouse.lock_timeout_seconds or VOC_LOCK_TIMEOUT, or retry when that run ends)"
    )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block atomically. Write functions each own one transaction: do not call them inside
    an open transaction (DuckDB has no nested transactions, and a failed BEGIN aborts the outer one)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[str]:
    """Expose an Arrow table to SQL under ``name`` for the duration of the block."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def first_line(err: Exception) -> str:
    """The first line of a DuckDB error, for one-line messages."""
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
