"""Every tabular resource of a package, with foreign keys resolved between them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from portal.validation.table.validate import (
    BatchObserver,
    TableOutcome,
    lookup_keys,
    validate_table,
)

ObserverFactory = Callable[[dict[str, Any]], BatchObserver | None]


def validate_tables(
    descriptor: dict[str, Any], root: Path, observers: ObserverFactory | None = None
) -> dict[str, TableOutcome]:
    """Structural outcome per resource name (frictionless's `package.validate()`).

    `observers` gives, per resource, a callback that sees every batch's parsed values
    (the rule packs use it, so data is read once).
    """
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

    return {
        name: validate_table(resource, root, lookup, observers(resource) if observers else None)
        for name, resource in resources.items()
    }


def _without_foreign_keys(resource: Mapping[str, Any]) -> dict[str, Any]:
    """frictionless reads a referenced resource for its keys without its own references."""
    schema = dict(resource.get("schema") or {})
    schema.pop("foreignKeys", None)
    return {**resource, "schema": schema}
