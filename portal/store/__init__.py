"""The embedded store: `$GLASSWALL_HOME/{catalog.sqlite, objects/, log.jsonl}`.

`Store` opens the pieces. Its face: `reading(home)` for a page run or a request,
`writing(home)` for a command that changes an existing store, `store.transaction()` for
statements that commit together. Named queries live in `portal.store.catalog` (reading),
`portal.store.writer` (publishing) and `portal.store.agencies` (agencies); schema changes in
`portal.store.migrations`; copies in `portal.store.backup`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from filelock import FileLock

from portal.store import catalog
from portal.store.objects import ObjectStore
from portal.store.public_log import LogFile
from portal.store.transactions import transaction

__all__ = [
    "LogFile",
    "ObjectStore",
    "Store",
    "reading",
    "transaction",
    "writing",
]


class Store:
    """Handles on one store's catalog, objects, log and publish lock."""

    def __init__(self, home: Path, *, readonly: bool = False) -> None:
        self.home = Path(home)
        self.readonly = readonly
        self.objects = ObjectStore(self.home / "objects")
        self.log = LogFile(self.home / "log.jsonl")
        self.lock = FileLock(str(self.home / "publisher.lock"))

    @property
    def db_path(self) -> Path:
        return self.home / "catalog.sqlite"

    @cached_property
    def conn(self) -> sqlite3.Connection:
        if self.readonly and not self.db_path.exists():
            catalog.connect(self.db_path).close()  # an empty catalog reads as empty
        return catalog.connect(self.db_path, readonly=self.readonly)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Statements that commit together or not at all (BEGIN IMMEDIATE ... COMMIT)."""
        with transaction(self.conn) as conn:
            yield conn

    def init(self) -> None:
        """Create the folders and the catalog (idempotent)."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.objects.root.mkdir(exist_ok=True)
        self.log.path.touch(exist_ok=True)
        _ = self.conn

    def close(self) -> None:
        if "conn" in self.__dict__:
            self.conn.close()
            del self.__dict__["conn"]


@contextmanager
def writing(home: Path) -> Iterator[Store]:
    """A writable store that must already exist (only `init` creates one)."""
    store = Store(home)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def reading(home: Path) -> Iterator[Store]:
    """A read-only store for one request or page run (web and api only read)."""
    store = Store(home, readonly=True)
    try:
        yield store
    finally:
        store.close()
