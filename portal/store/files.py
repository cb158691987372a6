"""Where a store keeps its files under its home: the one place that knows their names.

Callers that only need a file's stamp (the log's size for a cache key, the catalog's for
feedback) ask here instead of joining names to the home themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoreFiles:
    """The paths of one store's parts under `home`."""

    home: Path

    @property
    def catalog(self) -> Path:
        return self.home / "catalog.sqlite"

    @property
    def catalog_wal(self) -> Path:
        """The catalog's write-ahead log: it grows with every commit (WAL mode)."""
        return self.home / "catalog.sqlite-wal"

    @property
    def log(self) -> Path:
        return self.home / "log.jsonl"

    @property
    def objects(self) -> Path:
        return self.home / "objects"

    @property
    def objects_tmp(self) -> Path:
        """Where an object is written before it is renamed into place."""
        return self.objects / "tmp"

    @property
    def lock(self) -> Path:
        return self.home / "publisher.lock"
