"""The one place a write transaction begins, commits and rolls back.

Connections are opened in autocommit mode (`isolation_level=None`) so that we, not the
sqlite3 module, decide where a transaction starts. `BEGIN IMMEDIATE` takes the write lock
at once: two writers queue on SQLite's busy timeout instead of failing halfway through.
A transaction opened inside another joins it, so a function that writes in one
transaction (e.g. `add_agency`) can also be part of a larger one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Everything inside commits together, or nothing does."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
