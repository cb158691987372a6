"""Published CSV resources as typed Arrow tables, for queries (datastore_search, facets).

A published object never changes, so a loaded table is cached by its sha256 until the
cache's byte budget pushes it out. Values are typed from the resource's Table Schema;
a column that does not cast (a type Arrow cannot read) stays text rather than failing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv

from portal.persian import SEARCH_FOLDS

# Table Schema type -> (Arrow type, the type name CKAN's DataStore reports)
_TYPES: dict[str, tuple[pa.DataType | None, str]] = {
    "integer": (pa.int64(), "int"),
    "year": (pa.int64(), "int"),
    "number": (pa.float64(), "numeric"),
    "boolean": (None, "bool"),
    "date": (None, "date"),
    "datetime": (None, "timestamp"),
}
CACHE_BYTES = 1024 * 1024 * 1024


@dataclass
class LoadedTable:
    """One resource's rows with CKAN field types; `search_text` is built on first use."""

    table: pa.Table
    types: dict[str, str]
    _search_text: pa.ChunkedArray | None = field(default=None, repr=False)

    @property
    def nbytes(self) -> int:
        return int(self.table.nbytes)

    def search_text(self) -> pa.ChunkedArray:
        """Every cell of a row joined and normalised like `portal.persian.normalize`."""
        if self._search_text is None:
            texts = [pc.cast(col, pa.string()) for col in self.table.columns]
            texts = [pc.fill_null(col, "") for col in texts]
            joined = pc.binary_join_element_wise(*texts, " ") if texts else pa.array([])
            self._search_text = normalize_column(joined)
        return self._search_text


_REPLACEMENTS = list(SEARCH_FOLDS.items())  # the same folds as `normalize`


def normalize_column(column: Any) -> Any:
    """The vectorised twin of `portal.persian.normalize` (spaces are not folded)."""
    for old, new in _REPLACEMENTS:
        column = pc.replace_substring(column, old, new)
    return pc.utf8_lower(column)


def _cast(column: pa.ChunkedArray, spec: dict[str, Any]) -> tuple[pa.ChunkedArray, str]:
    arrow_type, ckan_type = _TYPES.get(str(spec.get("type", "string")), (None, "text"))
    if spec.get("type") == "boolean":
        trues = pa.array([str(v) for v in spec.get("trueValues", ["true", "True", "TRUE", "1"])])
        falses = pa.array(
            [str(v) for v in spec.get("falseValues", ["false", "False", "FALSE", "0"])]
        )
        is_true, is_false = pc.is_in(column, trues), pc.is_in(column, falses)
        if pc.all(pc.or_kleene(pc.invert(pc.is_valid(column)), pc.or_(is_true, is_false))).as_py():
            return pc.if_else(pc.is_valid(column), is_true, None), ckan_type
        return column, "text"
    if arrow_type is None:
        return column, ckan_type
    try:
        return pc.cast(column, arrow_type), ckan_type
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return column, "text"


def read_table(path: Path, resource: dict[str, Any]) -> LoadedTable:
    """Read a published resource with its own dialect, encoding and missing values."""
    schema = resource.get("schema") or {}
    specs = {str(f["name"]): f for f in schema.get("fields", [])}
    dialect = resource.get("dialect") or {}
    missing = [str(v) for v in schema.get("missingValues", [""])]
    table = csv.read_csv(
        path,
        read_options=csv.ReadOptions(encoding=str(resource.get("encoding") or "utf-8")),
        parse_options=csv.ParseOptions(
            delimiter=str(dialect.get("delimiter", ",")),
            quote_char=str(dialect.get("quoteChar", '"')),
            double_quote=bool(dialect.get("doubleQuote", True)),
        ),
        convert_options=csv.ConvertOptions(
            column_types={name: pa.string() for name in specs},
            null_values=missing,
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    columns, types = [], {}
    for name in table.column_names:
        column, ckan_type = _cast(table[name], specs.get(name, {}))
        columns.append(column)
        types[name] = ckan_type
    return LoadedTable(pa.table(columns, names=table.column_names), types)


class TableCache:
    """Loaded tables by sha256, least recently used out first, within a byte budget."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._tables: OrderedDict[str, LoadedTable] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str, path: Path, resource: dict[str, Any]) -> LoadedTable:
        with self._lock:
            if sha256 in self._tables:
                self._tables.move_to_end(sha256)
                return self._tables[sha256]
        loaded = read_table(path, resource)
        with self._lock:
            self._tables[sha256] = loaded
            while len(self._tables) > 1 and self._size() > self.budget:
                self._tables.popitem(last=False)
        return loaded

    def _size(self) -> int:
        return sum(t.nbytes for t in self._tables.values())


TABLES = TableCache()
