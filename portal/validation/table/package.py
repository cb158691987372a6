"""Every tabular resource of a package, with foreign keys resolved between them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from portal.validation.table.validate import TableOutcome, lookup_keys, validate_table


def validate_tables(descriptor: dict[str, Any], root: Path) -> dict[str, TableOutcome]:
    """Structural outcome per resource name (frictionless's `package.validate()`)."""
    resources = {str(r.get("name")): r for r in descriptor.get("resources", [])}
    cache: dict[tuple[str, tuple[str, ...]], pa.Array] = {}

    def lookup(name: str, fields: tuple[str, ...]) -> pa.Array:
        if (name, fields) not in cache:
            target = resources.get(name)
            if target is None:
                cache[(name, fields)] = pa.array([], pa.string())
            else:
                cache[(name, fields)] = lookup_keys(_without_foreign_keys(target), root, fields)
        return cache[(name, fields)]

    return {name: validate_table(resource, root, lookup) for name, resource in resources.items()}


def _without_foreign_keys(resource: dict[str, Any]) -> dict[str, Any]:
    """frictionless reads a referenced resource for its keys without its own references."""
    schema = dict(resource.get("schema") or {})
    schema.pop("foreignKeys", None)
    return {**resource, "schema": schema}
