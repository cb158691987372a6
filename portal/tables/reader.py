"""The one reader of published tables: pages, the Action API, DataStore and exports ask it.

Values are typed by the resource's stored Table Schema with the validator's own readers
(`portal.validation.table.typed`), so `groupChar`, `decimalChar`, `bareNumber`,
`trueValues` and custom missing values mean here what they meant when the table was
validated. A published object never changes: a typed table is kept in memory by its
sha256 (and schema) within a byte budget, and on disk as an Arrow IPC file under
`$GLASSWALL_HOME/cache/tables/` so the first page run after a restart or a publication
does not parse the CSV again.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc

from portal.errors import GlassWallError
from portal.store import Store
from portal.store.client_keys import keyed_hash
from portal.store.objects import sha256_file
from portal.store.records import Version
from portal.tables.search import row_text
from portal.validation.table.scalar import ScalarField
from portal.validation.table.typed import read_typed
from portal.validation.table.vector import ARROW_TYPES, key_value

# Table Schema type -> the type name CKAN's DataStore reports
_TYPES = {
    "integer": "int",
    "year": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
}
CACHE_BYTES = 1024 * 1024 * 1024


@dataclass
class LoadedTable:
    """One resource's rows with CKAN field types; `search_text` is built on first use."""

    table: pa.Table
    types: dict[str, str]
    _search_text: pa.ChunkedArray | None = field(default=None, repr=False)
    _nbytes: int = field(default=-1, repr=False)

    @property
    def nbytes(self) -> int:
        """Measured once: Arrow walks every buffer of every column to answer."""
        if self._nbytes < 0:
            self._nbytes = int(self.table.nbytes)
        return self._nbytes

    def search_text(self) -> pa.ChunkedArray:
        """Every cell of a row, place codes with their names, folded (`search_text`)."""
        if self._search_text is None:
            self._search_text = row_text(self.table)
        return self._search_text


def cell_readers(header: list[str], resource: Mapping[str, Any]) -> list[Callable[[str], Any]]:
    """One reader per column: a single cell's value as `read_table` holds it.

    For exports that stream a file row by row instead of loading it: the validator's
    scalar reader, the reference its vectorised path agrees with cell for cell.
    """
    schema = resource.get("schema") or {}
    fields = {str(f.get("name")): f for f in schema.get("fields", []) if isinstance(f, dict)}
    missing = [str(v) for v in schema.get("missingValues", [""])]
    return [
        _cell_reader(ScalarField(fields.get(name, {"name": name, "type": "string"}), missing))
        for name in header
    ]


def _cell_reader(field: ScalarField) -> Callable[[str], Any]:
    typed = field.type in ARROW_TYPES

    def read(cell: str) -> Any:
        if cell in field.missing_values:
            return None
        if not typed:
            return cell
        value = key_value(field.read(cell)[0], field.type)
        return value.isoformat() if isinstance(value, date) else value

    return read


def cache_dir(home: Path) -> Path:
    """Where a store keeps its typed tables (derived data: safe to delete)."""
    return home / "cache" / "tables"


def _ckan_types(table: pa.Table, resource: Mapping[str, Any]) -> dict[str, str]:
    schema = resource.get("schema") or {}
    kinds = {str(f.get("name")): str(f.get("type", "string")) for f in schema.get("fields", [])}
    return {name: _TYPES.get(kinds.get(name, "string"), "text") for name in table.column_names}


def for_display(table: pa.Table) -> pa.Table:
    """Dates as their ISO text (what JSON, CKAN and the pages show); other values as typed."""
    columns = [
        pc.cast(column, pa.string()) if pa.types.is_date(column.type) else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


def read_table(path: Path, resource: Mapping[str, Any]) -> LoadedTable:
    """A published resource typed by its Table Schema with the validator's own readers."""
    table = for_display(read_typed(path, resource))
    return LoadedTable(table, _ckan_types(table, resource))


def spec_key(sha256: str, resource: Mapping[str, Any]) -> str:
    """The cache name of a resource's typed table: its bytes and the schema that types them."""
    typing = {k: resource.get(k) for k in ("schema", "dialect", "encoding")}
    digest = hashlib.sha256(json.dumps(typing, sort_keys=True, default=str).encode()).hexdigest()
    return f"{sha256}-{digest[:16]}"


def cache_file(folder: Path, sha256: str, resource: Mapping[str, Any]) -> Path:
    # "-shown": the table as `for_display` gives it (dates as ISO text), so a read is a map
    # and nothing else; older cache files (typed dates) are simply not read.
    return folder / f"{spec_key(sha256, resource)}-shown.arrow"


def _sidecar(target: Path) -> Path:
    """Beside each cache file: its sha256 and what it was derived from, written with it."""
    return target.with_suffix(".json")


# The record's own seal: a keyed hash under a secret of the store's (0600), so whoever can
# rewrite a cache file and its record, but not read the secret, cannot make a changed
# file pass as written (verify still types every cached table again to catch the rest).
CACHE_SECRET = "cache-key.secret"


def _seal(target: Path, arrow_sha256: str, source: str) -> str:
    home = target.parent.parent.parent  # $GLASSWALL_HOME/cache/tables/<file>
    return keyed_hash(home / CACHE_SECRET, f"{target.name}:{arrow_sha256}:{source}")


def recorded_hash(target: Path) -> str | None:
    """The sha256 recorded for a cache file when it was written, if its record is sealed
    by this store; None for a missing, damaged, foreign or forged record."""
    try:
        record = json.loads(_sidecar(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    found, source, seal = record.get("arrow_sha256"), record.get("object"), record.get("seal")
    if not (isinstance(found, str) and isinstance(source, str) and isinstance(seal, str)):
        return None
    return found if hmac.compare_digest(seal, _seal(target, found, source)) else None


def _read_checked(target: Path) -> pa.Table | None:
    """The cache file's table if its bytes still hash to what was recorded when it was
    written; None (the file and its record dropped) when they do not or it is unreadable.

    Read into memory, not mapped: a mapped file rewritten in place would change the
    figures of a table already checked and held (and one cut short would kill the
    worker with SIGBUS). The bytes hashed are the bytes served."""
    try:
        data = target.read_bytes()
        if hashlib.sha256(data).hexdigest() == recorded_hash(target):
            return pa.ipc.open_file(pa.py_buffer(data)).read_all()
    except (OSError, pa.ArrowInvalid):
        pass
    for path in (target, _sidecar(target)):  # never served: rebuilt from the object
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    return None


def _write_cache(table: pa.Table, target: Path, sha256: str) -> None:
    """The Arrow file and its record, each written to a temporary name and renamed into
    place (record first, so every cache file in place has one)."""
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".arrow")
    record_temp = Path(temp).with_suffix(".json")
    try:
        with os.fdopen(handle, "wb") as out, pa.ipc.new_file(out, table.schema) as writer:
            writer.write_table(table)
        digest = sha256_file(Path(temp))
        record = {
            "arrow_sha256": digest[0],
            "bytes": digest[1],
            "object": sha256,
            "seal": _seal(target, digest[0], sha256),
        }
        record_temp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(record_temp, _sidecar(target))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        record_temp.unlink(missing_ok=True)
        raise


def cached_display(path: Path, resource: Mapping[str, Any], sha256: str, folder: Path) -> pa.Table:
    """The display table from the columnar cache (Arrow IPC, read whole), written at
    publish time (`warm`) or else on first read.

    Written to a temporary name and renamed into place, so concurrent readers and writers
    (pages, API, several workers) see a whole file or none. Its sha256 is recorded when it
    is written and checked when it is read: a cache file changed since is dropped and the
    table typed again from the published object, never served (issue 21).
    """
    target = cache_file(folder, sha256, resource)
    if target.exists():
        table = _read_checked(target)
        if table is not None:
            return table
    table = for_display(read_typed(path, resource))
    try:
        _write_cache(table, target, sha256)
    except OSError:  # a read-only home still serves, from memory
        return table
    return table


def warm(path: Path, resource: Mapping[str, Any], sha256: str, folder: Path) -> None:
    """Write a table's columnar cache now (at publish time), so the first page run after
    a publication maps Arrow instead of parsing the CSV. Derived data: a failure to write
    leaves the first read to do it."""
    if not cache_file(folder, sha256, resource).exists():
        cached_display(path, resource, sha256, folder)


def warm_tables(store: Store, version: Version) -> None:
    """A new version's tables typed once, as the pages and the API will read them (the
    stored descriptor's schemas), into the columnar cache: after a publication and when a
    replica applies one."""
    descriptor = store.descriptor(version)
    specs = {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}
    for entry in version.resources:
        spec = specs.get(entry.name)
        if spec is None or not str(spec.get("path", "")).endswith(".csv"):
            continue
        try:
            warm(store.objects.path(entry.sha256), spec, entry.sha256, cache_dir(store.home))
        except (OSError, GlassWallError):
            continue  # derived data: the first reader types it instead


def load_table(
    path: Path, resource: Mapping[str, Any], sha256: str, folder: Path | None
) -> LoadedTable:
    """`read_table` through the columnar cache in `folder` when there is one."""
    if folder is None:
        return read_table(path, resource)
    table = cached_display(path, resource, sha256, folder)
    return LoadedTable(table, _ckan_types(table, resource))


class TableCache:
    """Loaded tables by sha256, least recently used out first, within a byte budget."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._tables: OrderedDict[str, LoadedTable] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every loaded table (the next read goes to the columnar cache)."""
        with self._lock:
            self._tables.clear()
            self._bytes = 0

    def get(
        self, sha256: str, path: Path, resource: Mapping[str, Any], folder: Path | None = None
    ) -> LoadedTable:
        key = spec_key(sha256, resource)
        with self._lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        loaded = load_table(path, resource, sha256, folder)
        size = loaded.nbytes
        with self._lock:
            if key in self._tables:  # loaded twice at once: keep the first
                return self._tables[key]
            self._tables[key] = loaded
            self._bytes += size
            while len(self._tables) > 1 and self._bytes > self.budget:
                _, dropped = self._tables.popitem(last=False)
                self._bytes -= dropped.nbytes
        return loaded


TABLES = TableCache()
