"""What is published now: every dataset's latest version with its descriptor and report.

The API answers most requests from this snapshot. It is rebuilt only when the public
log changes (every publication appends to it), so a request costs one `stat`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import pyarrow.compute as pc

from portal.i18n import catalog as catalog_of
from portal.i18n import text
from portal.metadata.descriptor import Descriptor, ResourceSpec
from portal.profiles import profile_of
from portal.store import Store, public_log, reading, resource_spec
from portal.store.files import StoreFiles
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
        return cast(ResourceSpec, resource_spec(dict(self.descriptor), name))


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
    agencies = {a.slug: a for a in store.agencies()}
    history: dict[tuple[str, str], list[Version]] = {}
    for each in store.all_versions():
        history.setdefault((each.agency, each.dataset), []).append(each)
    datasets = []
    for version in store.latest_versions():  # a few queries, not three per dataset
        versions = sorted(history[(version.agency, version.dataset)], key=lambda v: v.number)
        published = Published(
            agency=agencies[version.agency],
            version=version,
            descriptor=cast(Descriptor, store.descriptor(version)),
            report=store.report(version),
            created_at=next((v.created_at for v in versions if v.number == 1), ""),
            log_hash=store.log_hash(version.log_seq) or "",
            numbers=tuple(v.number for v in versions),
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
            StoreFiles(home).log
        ):
            return snapshot
        return None

    def current(self, home: Path) -> Snapshot:
        generation = public_log.generation(StoreFiles(home).log)
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
