"""Which published table a name in a query means, and that table as the engine reads it.

Names, always in double quotes:
- a resource id (`"3f2c…"`), as CKAN's `datastore_search_sql` names tables: the latest;
- `"agency/dataset"`: the latest version's main table (`projects` or `observations`, or
  the only one); `"agency/dataset/resource"` for another table of the dataset;
- either with `@N` (`"agency/dataset@3"`): that version, which never changes.

Each table comes from the one reader (`portal.tables.reader`, the columnar cache written
at publish time) with dates typed as dates, so `start_date < DATE '2024-03-20'` and
`year(start_date)` mean what they say.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc

from portal.api.ckan.index import CatalogIndex
from portal.errors import BadParameter
from portal.metadata.descriptor import Descriptor
from portal.store import Store
from portal.store.records import ResourceEntry, Version
from portal.tables.reader import TABLES, LoadedTable, cache_dir, spec_key

MAIN_TABLES = ("projects", "observations")
_TYPED = {"date": pa.date32(), "timestamp": pa.timestamp("s")}
_SQL_TABLES_KEPT = 16


@dataclass(frozen=True)
class Source:
    """One published table a query reads: where it comes from (for citing) and how to
    load it (plain data, so a query worker process can load it itself)."""

    name: str
    agency: str
    dataset: str
    version: int
    resource: str
    sha256: str
    rows: int | None
    path: Path
    spec: Mapping[str, Any]
    folder: Path
    sample: bool = False  # the descriptor says `sample`: illustrative, not official

    def provenance(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "dataset": self.dataset,
            "version": self.version,
            "resource": self.resource,
            "sha256": self.sha256,
            "rows": self.rows,
        }

    def load(self) -> pa.Table:
        """The table through the columnar cache, dates typed (kept while it is asked for)."""
        loaded = TABLES.get(self.sha256, self.path, self.spec, self.folder)
        return SQL_TABLES.get(spec_key(self.sha256, self.spec), loaded)


class _SqlTables:
    """Tables with their dates typed, kept by cache key (a published object never changes)."""

    def __init__(self) -> None:
        self._tables: OrderedDict[str, pa.Table] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, loaded: LoadedTable) -> pa.Table:
        with self._lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        table = _typed(loaded)
        with self._lock:
            self._tables[key] = table
            while len(self._tables) > _SQL_TABLES_KEPT:
                self._tables.popitem(last=False)
        return table


def _typed(loaded: LoadedTable) -> pa.Table:
    """The display table (dates as ISO text) with date and time columns typed again."""
    table = loaded.table
    for index, name in enumerate(table.column_names):
        target = _TYPED.get(loaded.types.get(name, ""))
        column = table.column(index)
        if target is None or not pa.types.is_string(column.type):
            continue
        try:
            table = table.set_column(index, name, pc.cast(column, target))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue  # a value Arrow cannot read as a date stays text, as published
    return table


SQL_TABLES = _SqlTables()


def _unknown(name: str) -> BadParameter:
    return BadParameter("sql.unknown_table", field="sql", name=name)


def _main_resource(version: Version, name: str) -> ResourceEntry:
    names = [r.name for r in version.resources]
    for wanted in MAIN_TABLES:
        if wanted in names:
            return version.resources[names.index(wanted)]
    if len(names) == 1:
        return version.resources[0]
    choices = ", ".join(f'"{version.agency}/{version.dataset}/{n}"' for n in names)
    raise BadParameter("sql.which_table", field="sql", name=name, choices=choices)


def _version(
    store: Store, index: CatalogIndex, agency: str, dataset: str, number: int | None
) -> tuple[Version, Descriptor] | None:
    """The latest version from the snapshot (no query), or version `number` from the store."""
    if number is None:
        published = index.snapshot.find(agency, dataset)
        return None if published is None else (published.version, published.descriptor)
    version = store.version(agency, dataset, number)
    if version is None:
        return None
    return version, cast(Descriptor, store.descriptor(version))


def _split(name: str) -> tuple[list[str], int | None]:
    base, at, number = name.partition("@")
    if at and not (number.isascii() and number.isdigit() and len(number) <= 9):
        raise _unknown(name)
    return base.split("/"), int(number) if at else None


def resolve(store: Store, index: CatalogIndex, name: str) -> Source:
    """The table `name` means; a 409 naming it when nothing is published so."""
    found = index.resources.get(name)
    if found is not None:
        entry, resource = found
        version, descriptor = entry.published.version, entry.published.descriptor
    else:
        parts, number = _split(name)
        if len(parts) not in (2, 3) or not all(parts):
            raise _unknown(name)
        located = _version(store, index, parts[0], parts[1], number)
        if located is None:
            raise _unknown(name)
        version, descriptor = located
        if len(parts) == 3:
            chosen = version.resource(parts[2])
            if chosen is None:
                raise _unknown(name)
            resource = chosen
        else:
            resource = _main_resource(version, name)
    specs = {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}
    return Source(
        name=name,
        agency=version.agency,
        dataset=version.dataset,
        version=version.number,
        resource=resource.name,
        sha256=resource.sha256,
        rows=resource.rows,
        path=store.objects.path(resource.sha256),
        spec=specs.get(resource.name, {}),
        folder=cache_dir(store.home),
        sample=bool(descriptor.get("sample")),
    )


def friendly_names(index: CatalogIndex) -> list[str]:
    """Every published dataset's main table by its friendly name (for pages and examples)."""
    names = []
    for entry in index.entries:
        v = entry.published.version
        try:
            _main_resource(v, v.dataset)
        except BadParameter:
            names += [f"{v.agency}/{v.dataset}/{r.name}" for r in v.resources]
            continue
        names.append(f"{v.agency}/{v.dataset}")
    return sorted(names)
