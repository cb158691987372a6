"""Unique fields, primary keys and foreign keys of one table, once every row is read.

Each error names the row that repeats a value and the row where it came first, as
frictionless's row-by-row memory reports it; the keys and their fingerprints come from
the reading pass (`portal.validation.table.validate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.validation.table import integrity
from portal.validation.table.errors import TableError

if TYPE_CHECKING:
    from portal.validation.table.validate import TableOutcome

# (resource name, referenced fields) -> tagged composite keys of that resource
LookupProvider = Callable[[str, tuple[str, ...]], pa.Array]
ALL_NONE = 'cells composing the primary keys are all "None"'


def names(value: Any) -> list[str]:
    if not value:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


# Per unique field: each row repeating a value, with its cell and the value's first row.
Repeated = dict[str, dict[int, tuple[str, int]]]


def unique_errors(
    schema: dict[str, Any], outcome: TableOutcome, rows: np.ndarray
) -> tuple[list[TableError], Repeated]:
    numbers = {name: i for i, name in enumerate(outcome.expected_names, start=1)}
    errors: list[TableError] = []
    repeated: Repeated = {}
    for f in schema.get("fields", []):
        name = f.get("name")
        if (f.get("constraints") or {}).get("unique") and name in numbers:
            column, kept, prints = integrity.without_nulls(
                outcome.keys.column(name), rows, outcome.keys.fingerprints(name)
            )
            found = _repeats(column, kept, integrity.repeats(column, prints))
            repeated[name] = found
            for r, (cell, first) in found.items():
                note = f"the same as in the row at position {first}"
                errors.append(TableError(r, name, numbers[name], "unique-error", note, cell))
    return errors, repeated


def _repeats(
    column: pa.ChunkedArray, rows: np.ndarray, found: integrity.Repeats
) -> dict[int, tuple[str, int]]:
    """For each repeating row: its value as written and the row where the value came first
    (a reader must see which)."""
    if len(found.later) == 0:
        return {}
    values = column.take(pa.array(found.later, pa.int64())).to_pylist()
    return {
        int(r): ("" if value is None else str(value), int(first))
        for r, value, first in zip(rows[found.later], values, rows[found.first], strict=True)
    }


def primary_key_errors(
    primary: list[str], outcome: TableOutcome, rows: np.ndarray, repeated: Repeated
) -> list[TableError]:
    if not primary or not set(primary) <= set(outcome.expected_names):
        return []
    columns = [outcome.keys.column(name) for name in primary]
    empty = integrity.all_null(columns)
    label = ", ".join(primary)  # the key's fields, as a foreign-key error names them
    errors = [TableError(int(r), label, None, "primary-key", ALL_NONE, "") for r in rows[empty]]
    if len(primary) == 1 and primary[0] in repeated:
        found = repeated[primary[0]]  # the unique check found exactly these rows
    else:
        kept = pa.array(~empty)
        keys = integrity.composite(columns).filter(kept)
        shown = (
            pc.binary_join_element_wise(
                *[pc.fill_null(pc.cast(c, pa.string()), "") for c in columns], ", "
            )
            if len(columns) > 1
            else columns[0]
        )
        found = _repeats(shown.filter(kept), rows[~empty], integrity.repeats(keys))
    for r, (cell, first) in found.items():
        note = f"the same as in the row at position {first}"
        errors.append(TableError(r, label, None, "primary-key", note, cell))
    return errors


def foreign_key_errors(
    schema: dict[str, Any],
    outcome: TableOutcome,
    rows: np.ndarray,
    lookup: LookupProvider | None,
    own_name: str,
) -> list[TableError]:
    errors: list[TableError] = []
    for foreign in schema.get("foreignKeys") or []:
        fields = names(foreign.get("fields"))
        reference = foreign.get("reference") or {}
        target = str(reference.get("resource") or own_name)
        if lookup is None or not fields or not set(fields) <= set(outcome.expected_names):
            continue
        columns = [outcome.keys.column(name) for name in fields]
        skip = integrity.all_null(columns)
        allowed = lookup(target, tuple(names(reference.get("fields"))))
        inside = pc.is_in(integrity.composite(columns), value_set=allowed)
        missing = ~mask_indices_bool(inside) & ~skip
        note = f'for "{", ".join(fields)}": not found in the lookup table "{target}"'
        label = ", ".join(fields)
        errors.extend(
            TableError(int(r), label, None, "foreign-key", note, "") for r in rows[missing]
        )
    return errors


def mask_indices_bool(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
