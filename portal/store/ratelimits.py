"""A `limits` storage backed by the store's SQLite catalog.

The `limits` library does the counting (a fixed window per key); this keeps the counters
in `catalog.sqlite` so they survive a restart, are shared by every serving process, and
take no memory in the server however many keys an attacker invents.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from limits.storage import Storage

from portal.store import catalog
from portal.store.transactions import transaction


class SQLiteStorage(Storage):
    """Counters in the `rate_limits` table; each call is one short transaction."""

    STORAGE_SCHEME = ["glasswall-sqlite"]  # noqa: RUF012 (declared by limits)

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        return catalog.connect(self.db_path)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._connect()
        try:
            with transaction(conn):
                conn.execute("DELETE FROM rate_limits WHERE expiry <= ?", (now,))
                conn.execute(
                    "INSERT INTO rate_limits (key, count, expiry) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET count = count + excluded.count",
                    (key, amount, now + expiry),
                )
                count = conn.execute(
                    "SELECT count FROM rate_limits WHERE key = ?", (key,)
                ).fetchone()
            return int(count[0])
        finally:
            conn.close()

    def _row(self, key: str) -> tuple[int, float] | None:
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT count, expiry FROM rate_limits WHERE key = ? AND expiry > ?",
                (key, time.time()),
            ).fetchone()
        finally:
            conn.close()
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        return self.db_path.parent.is_dir()

    def reset(self) -> int | None:
        conn = self._connect()
        try:
            return conn.execute("DELETE FROM rate_limits").rowcount
        finally:
            conn.close()

    def clear(self, key: str) -> None:
        conn = self._connect()
        try:
            conn.execute("DELETE FROM rate_limits WHERE key = ?", (key,))
        finally:
            conn.close()

    def count_keys(self) -> int:
        conn = self._connect()
        try:
            return int(conn.execute("SELECT count(*) FROM rate_limits").fetchone()[0])
        finally:
            conn.close()
