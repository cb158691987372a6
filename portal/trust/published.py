"""Reading what versions published, for histories, feeds and rankings (read-only)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from portal.store.attachments import attachment
from portal.store.records import Version
from portal.tables.reader import TABLES
from portal.trust.said import is_figure

if TYPE_CHECKING:
    from portal.store import Store


def descriptor(store: Store, version: Version) -> dict[str, Any]:
    data = json.loads(store.objects.read_bytes(version.descriptor_sha256))
    return data if isinstance(data, dict) else {}


def table(store: Store, version: Version, name: str) -> pa.Table | None:
    """A resource of a version as typed Arrow (cached by sha256), or None if it has none."""
    entry = version.resource(name)
    if entry is None:
        return None
    specs = {r.get("name"): r for r in descriptor(store, version).get("resources", [])}
    return TABLES.get(entry.sha256, store.objects.path(entry.sha256), specs.get(name, {})).table


def explained_changes(store: Store, version: Version) -> list[dict[str, Any]]:
    """The explained changes a version carries (empty for a first or unrevised version)."""
    document = attachment(store, version, "explanations") or {}
    changes = document.get("changes", [])
    return changes if isinstance(changes, list) else []


def signals(store: Store, version: Version) -> dict[str, Any] | None:
    document = attachment(store, version, "signals")
    return document if isinstance(document, dict) else None


def changed_figures(store: Store, before: Version, after: Version) -> int:
    """Cells whose typed value differs between two versions, over resources in both,
    rows matched by the schema's primary key (rows added or removed are not counted, nor
    a row's bookkeeping date: see `said.is_figure`)."""
    count = 0
    keys = {
        r.get("name"): r.get("schema", {}).get("primaryKey")
        for r in descriptor(store, after).get("resources", [])
    }
    for entry in after.resources:
        old_entry = before.resource(entry.name)
        if old_entry is None or old_entry.sha256 == entry.sha256:
            continue
        old, new = table(store, before, entry.name), table(store, after, entry.name)
        if old is None or new is None:
            continue
        key = keys.get(entry.name) or []
        key = [key] if isinstance(key, str) else list(key)
        count += _differing_cells(old.to_pandas(), new.to_pandas(), key)
    return count


def _differing_cells(old: Any, new: Any, key: list[str]) -> int:
    if not key or not set(key) <= set(old.columns) & set(new.columns):
        old, new = old.reset_index(drop=True), new.reset_index(drop=True)
        shared = old.index.intersection(new.index)
    else:
        old = old.drop_duplicates(key).set_index(key)
        new = new.drop_duplicates(key).set_index(key)
        shared = old.index.intersection(new.index)
    columns = [c for c in new.columns if c in old.columns and is_figure(c)]
    before, after = old.loc[shared, columns], new.loc[shared, columns]
    differs = before.ne(after) & ~(before.isna() & after.isna())
    return int(differs.to_numpy().sum())
