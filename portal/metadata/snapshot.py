"""What is published now: every dataset's latest version with its descriptor and report.

The API answers most requests from this snapshot. It is rebuilt only when the public
log changes (every publication appends to it), so a request costs one `stat`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from portal.i18n import catalog as catalog_of
from portal.i18n import text
from portal.metadata.descriptor import Descriptor, ResourceSpec
from portal.profiles import profile_of
from portal.store import Store, catalog, public_log, reading
from portal.store.records import Agency, ResourceEntry, Version
from portal.tables.reader import TABLES, LoadedTable, cache_dir
from portal.tables.search import place_words

# Facets that come from the data itself: resource profile -> columns whose values count.
DATA_FACETS = {"projects": ("province", "sector", "status"), "indicators": ("province",)}
# Values a dataset is also found by in the catalogue and package_search (issue 22): its
# indicators' names and units, and the counties its rows name (the indicators profile
# covers both the indicators and the observations tables; absent columns are skipped).
DATA_WORDS = {
    "indicators": ("indicator_id", "name_fa", "name_en", "unit", "county"),
    "projects": ("county",),
}


@dataclass(frozen=True)
class Published:
    """One dataset as the public sees it: the latest version and what it says of itself."""

    agency: Agency
    version: Version
    descriptor: Descriptor
    report: dict[str, Any]
    created_at: str
    log_hash: str
    numbers: tuple[int, ...]
    facets: dict[str, tuple[str, ...]]
    words: tuple[str, ...] = ()  # DATA_WORDS values, distinct

    @property
    def ref(self) -> str:
        return f"{self.version.agency}/{self.version.dataset}"

    def resource_descriptor(self, name: str) -> ResourceSpec:
        found = (r for r in self.descriptor.get("resources", []) if r.get("name") == name)
        return next(found, ResourceSpec())


@dataclass(frozen=True)
class Snapshot:
    generation: tuple[int, int]
    agencies: dict[str, Agency]
    datasets: tuple[Published, ...]

    def find(self, agency: str, dataset: str) -> Published | None:
        return next(
            (p for p in self.datasets if p.agency.slug == agency and p.version.dataset == dataset),
            None,
        )

    def of_agency(self, slug: str) -> list[Published]:
        return [p for p in self.datasets if p.agency.slug == slug]


def load_resource(store: Store, published: Published, entry: ResourceEntry) -> LoadedTable:
    """A resource of a published version as a typed table (cached by sha256)."""
    spec = published.resource_descriptor(entry.name)
    path = store.objects.path(entry.sha256)
    return TABLES.get(entry.sha256, path, spec, cache_dir(store.home))


def _data_facets(
    store: Store, published: Published
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The facet values and the search words (DATA_WORDS) the dataset's rows hold."""
    values: dict[str, set[str]] = {}
    words: set[str] = set()
    for entry in published.version.resources:
        profile = profile_of(entry.name) or ""
        columns, said = DATA_FACETS.get(profile, ()), DATA_WORDS.get(profile, ())
        if not columns and not said:
            continue
        table = load_resource(store, published, entry).table
        for column in columns:
            if column in table.column_names:
                found = pc.unique(pc.drop_null(table[column])).to_pylist()
                values.setdefault(column, set()).update(str(v) for v in found)
        for column in said:
            if column in table.column_names:
                found = pc.unique(pc.drop_null(table[column])).to_pylist()
                words.update(str(v) for v in found if str(v))
    return {key: tuple(sorted(found)) for key, found in values.items()}, tuple(sorted(words))


def search_words(published: Published) -> str:
    """What the dataset is found by beyond its titles and agency: the provinces it covers
    by their names in both languages, its indicators' names and units, its counties."""
    provinces = place_words(published.facets.get("province", ()))
    units = [
        f"{unit} {text(f'web.chart.unit.{unit}', 'fa')}"
        for unit in published.words
        if f"web.chart.unit.{unit}" in catalog_of("fa")
    ]
    return " ".join([provinces, *published.words, *units])


def _build(store: Store, generation: tuple[int, int]) -> Snapshot:
    agencies = {a.slug: a for a in catalog.agencies(store.conn)}
    datasets = []
    for summary in catalog.datasets(store.conn):
        version = catalog.version(store.conn, summary.agency, summary.dataset)
        if version is None:
            continue
        numbers = tuple(
            v.number for v in catalog.versions(store.conn, version.agency, version.dataset)
        )
        published = Published(
            agency=agencies[summary.agency],
            version=version,
            descriptor=json.loads(store.objects.read_bytes(version.descriptor_sha256)),
            report=json.loads(store.objects.read_bytes(version.report_sha256)),
            created_at=summary.created_at,
            log_hash=catalog.log_hash(store.conn, version.log_seq) or "",
            numbers=numbers,
            facets={},
        )
        facets, words = _data_facets(store, published)
        datasets.append(replace(published, facets=facets, words=words))
    return Snapshot(generation, agencies, tuple(datasets))


class SnapshotCache:
    """The current snapshot of one store home, rebuilt when its log changes."""

    def __init__(self) -> None:
        self._snapshots: dict[Path, Snapshot] = {}
        self._lock = threading.Lock()

    def fresh(self, home: Path) -> Snapshot | None:
        """The cached snapshot when it is still current (one stat, no rebuild), else None."""
        snapshot = self._snapshots.get(home)
        if snapshot is not None and snapshot.generation == public_log.generation(
            home / "log.jsonl"
        ):
            return snapshot
        return None

    def current(self, home: Path) -> Snapshot:
        generation = public_log.generation(home / "log.jsonl")
        snapshot = self._snapshots.get(home)
        if snapshot is not None and snapshot.generation == generation:
            return snapshot
        with self._lock:
            snapshot = self._snapshots.get(home)
            if snapshot is None or snapshot.generation != generation:
                with reading(home) as store:
                    snapshot = _build(store, generation)
                self._snapshots[home] = snapshot
        return snapshot


SNAPSHOTS = SnapshotCache()
