"""The store's face: a store's catalog, objects, log and publish lock, and its named queries.

Callers open a store with `reading(home)` (a page run or a request: web and api only read)
or `writing(home)` (a command that changes an existing store), both usable as `with`, and
ask it by name: `store.version(...)`, `store.descriptor(version)`,
`store.latest_resources("projects")`. A query or command of another store module (tokens,
members, drafts, feedback, ...) runs through `store.run(module.function, ...)`; the raw
connection stays inside `portal/store/`. `store.transaction()` makes what runs inside it
commit together.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from filelock import FileLock

from portal.store import catalog
from portal.store.files import StoreFiles
from portal.store.objects import ObjectStore
from portal.store.public_log import LogFile
from portal.store.records import Agency, DatasetSummary, PublishedResource, Version
from portal.store.transactions import transaction

P = ParamSpec("P")
R = TypeVar("R")


class Store:
    """Handles on one store's catalog, objects, log and publish lock."""

    def __init__(self, home: Path, *, readonly: bool = False) -> None:
        self.home = Path(home)
        self.readonly = readonly
        self.files = StoreFiles(self.home)
        self.objects = ObjectStore(self.files.objects)
        self.log = LogFile(self.files.log)
        self.lock = FileLock(str(self.files.lock))

    @property
    def db_path(self) -> Path:
        return self.files.catalog

    @cached_property
    def conn(self) -> sqlite3.Connection:
        if self.readonly and not self.db_path.exists():
            catalog.connect(self.db_path).close()  # an empty catalog reads as empty
        return catalog.connect(self.db_path, readonly=self.readonly)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """What runs inside commits together or not at all (BEGIN IMMEDIATE ... COMMIT)."""
        with transaction(self.conn):
            yield self

    def run(
        self,
        query: Callable[Concatenate[sqlite3.Connection, P], R],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run a named query or command of a store module on this store's connection.

        Only functions of `portal.store` run here: SQL lives in the store."""
        if not query.__module__.startswith("portal.store."):
            raise TypeError(f"{query.__module__}.{query.__qualname__} is not a store query")
        return query(self.conn, *args, **kwargs)

    def init(self) -> None:
        """Create the folders and the catalog (idempotent)."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.objects.root.mkdir(exist_ok=True)
        # Created when missing, never touched: its mtime is the publication's generation.
        self.log.path.open("ab").close()
        _ = self.conn

    def close(self) -> None:
        if "conn" in self.__dict__:
            self.conn.close()
            del self.__dict__["conn"]

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # Named queries of the catalog (what web, api, trust and the CLI read).

    def agencies(self) -> list[Agency]:
        return catalog.agencies(self.conn)

    def agency(self, slug: str) -> Agency | None:
        return catalog.agency(self.conn, slug)

    def datasets(self, agency: str | None = None) -> list[DatasetSummary]:
        return catalog.datasets(self.conn, agency)

    def version(self, agency: str, dataset: str, number: int | None = None) -> Version | None:
        """A version, or the latest when `number` is None."""
        return catalog.version(self.conn, agency, dataset, number)

    def versions(self, agency: str, dataset: str) -> list[Version]:
        """A dataset's versions, oldest first."""
        return catalog.versions(self.conn, agency, dataset)

    def all_versions(self) -> list[Version]:
        """Every version of every dataset, in log order."""
        return catalog.all_versions(self.conn)

    def latest_versions(self) -> list[Version]:
        """Every dataset's latest version, by agency and dataset."""
        return catalog.latest_versions(self.conn)

    def latest_resources(self, name: str) -> list[PublishedResource]:
        """The resource `name` of every dataset's latest version that has one (one query)."""
        return catalog.latest_resources(self.conn, name)

    def publishing_resource(self, sha256: str) -> tuple[str, str] | None:
        """The latest descriptor publishing object `sha256`, and its resource's name there."""
        return catalog.publishing_resource(self.conn, sha256)

    def log_hash(self, seq: int) -> str | None:
        return catalog.log_hash(self.conn, seq)

    def log_entry(self, seq: int) -> dict[str, Any]:
        """Log entry `seq` as the catalog keeps it; empty when there is none."""
        return catalog.log_entry(self.conn, seq)

    def log_entries(self) -> list[dict[str, Any]]:
        """Every entry of the catalog's copy of the public log, in order."""
        return catalog.log_entries(self.conn)

    # Stored JSON objects, decoded in one place.

    def json_object(self, sha256: str) -> Any:
        """A stored JSON object (descriptor, report, manifest), decoded."""
        return json.loads(self.objects.read_bytes(sha256))

    def descriptor(self, version: Version) -> dict[str, Any]:
        """The version's data package descriptor (`datapackage.json`) as published."""
        found: dict[str, Any] = self.json_object(version.descriptor_sha256)
        return found

    def report(self, version: Version) -> dict[str, Any]:
        """The version's validation report."""
        found: dict[str, Any] = self.json_object(version.report_sha256)
        return found

    def resource_spec(self, version: Version, name: str) -> dict[str, Any]:
        """The descriptor's entry for resource `name` (schema, title...); empty if none."""
        return resource_spec(self.descriptor(version), name)


def resource_spec(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    """A descriptor's entry for resource `name`; empty when it has none."""
    found: dict[str, Any] = next(
        (r for r in descriptor.get("resources", []) if r.get("name") == name), {}
    )
    return found


def writing(home: Path) -> Store:
    """A writable store (only `init` creates one); close it, or open it with `with`."""
    return Store(home)


def reading(home: Path) -> Store:
    """A read-only store for one request or page run (web and api only read); close it,
    or open it with `with`."""
    return Store(home, readonly=True)
