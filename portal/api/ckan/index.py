"""The catalog as CKAN sees it: package dicts and a search document per dataset.

Built once per publication (snapshot generation) and base URL, so `package_show` and
`package_search` answer from memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from portal.metadata.ckan_dicts import package_dict, package_id, package_name, resource_id
from portal.metadata.snapshot import SNAPSHOTS, Published, Snapshot, search_words
from portal.store.files import StoreFiles
from portal.store.public_log import generation
from portal.store.records import ResourceEntry
from portal.tables.search import haystacks


@dataclass(frozen=True)
class Entry:
    """One dataset: its CKAN dict and the values search and facets look at."""

    published: Published
    package: dict[str, Any]
    fields: dict[str, tuple[str, ...]]
    text: str  # folded for the one matcher (`portal.tables.search`)
    title_text: str


@dataclass(frozen=True)
class CatalogIndex:
    snapshot: Snapshot
    entries: tuple[Entry, ...]
    by_key: dict[str, Entry]  # id, name and AGENCY/DATASET
    resources: dict[str, tuple[Entry, ResourceEntry]]  # id and AGENCY/DATASET/RESOURCE

    def package(self, key: str) -> Entry | None:
        return self.by_key.get(key)


def _entry(base_url: str, published: Published) -> tuple[Entry, str, str]:
    """A dataset's entry, with its words and titles to fold (all entries at once)."""
    package = package_dict(base_url, published)
    org = package["organization"]
    fields: dict[str, tuple[str, ...]] = {
        "id": (package["id"],),
        "name": (package["name"],),
        "organization": (org["name"],),
        "owner_org": (org["id"],),
        "tags": tuple(t["name"] for t in package["tags"]),
        "res_format": ("CSV",) if package["resources"] else (),
        "license_id": (package["license_id"],),
        **published.facets,
    }
    titles = [package["title"], *package["title_translated"].values()]
    words = [
        package["name"],
        *titles,
        *package["notes_translated"].values(),
        *fields["tags"],
        *org["title_translated"].values(),
        search_words(published),  # places by name, indicators, units, counties (issue 22)
    ]
    return Entry(published, package, fields, "", ""), " ".join(words), " ".join(titles)


def _build(snapshot: Snapshot, base_url: str) -> CatalogIndex:
    unfolded = [_entry(base_url, p) for p in snapshot.datasets]
    texts = haystacks(text for _, text, _ in unfolded).to_pylist()
    titles = haystacks(title for _, _, title in unfolded).to_pylist()
    entries = tuple(
        replace(entry, text=text, title_text=title)
        for (entry, _, _), text, title in zip(unfolded, texts, titles, strict=True)
    )
    by_key: dict[str, Entry] = {}
    resources: dict[str, tuple[Entry, ResourceEntry]] = {}
    for entry in entries:
        v = entry.published.version
        for key in (
            package_id(v.agency, v.dataset),
            package_name(v.agency, v.dataset),
            f"{v.agency}/{v.dataset}",
        ):
            by_key.setdefault(key, entry)
        for resource in v.resources:
            resources[resource_id(v.agency, v.dataset, resource.name)] = (entry, resource)
            resources[f"{v.agency}/{v.dataset}/{resource.name}"] = (entry, resource)
    return CatalogIndex(snapshot, entries, by_key, resources)


class IndexCache:
    def __init__(self) -> None:
        self._indexes: dict[tuple[Path, str], CatalogIndex] = {}
        self._lock = threading.Lock()

    def fresh(self, home: Path, base_url: str) -> CatalogIndex | None:
        """The index if it is up to date, without building one (safe on the event loop)."""
        index = self._indexes.get((home, base_url))
        if index is None or index.snapshot.generation != generation(StoreFiles(home).log):
            return None
        return index

    def current(self, home: Path, base_url: str) -> CatalogIndex:
        snapshot = SNAPSHOTS.current(home)
        index = self._indexes.get((home, base_url))
        if index is not None and index.snapshot is snapshot:
            return index
        with self._lock:
            index = _build(snapshot, base_url)
            if len(self._indexes) > 16:  # many Host headers must not grow memory
                self._indexes.clear()
            self._indexes[(home, base_url)] = index
        return index


INDEXES = IndexCache()
