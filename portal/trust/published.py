"""Reading what versions published, for histories, feeds and rankings (read-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from portal.store.attachments import attachment
from portal.store.records import Version
from portal.tables.reader import TABLES
from portal.tables.revisions import figures_changed, versions_compared

if TYPE_CHECKING:
    from portal.store import Store


def descriptor(store: Store, version: Version) -> dict[str, Any]:
    data = store.descriptor(version)
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
    """Figures revised from `before` to `after`, counted by the one diff
    (`portal.tables.revisions`) the dataset page shows: over resources in both, rows paired by
    the newer schema's key, a row's bookkeeping date left out."""
    specs = {str(r.get("name")): r for r in descriptor(store, after).get("resources", [])}
    where = {e.sha256: (v, e.name) for v in (before, after) for e in v.resources}

    def frame(sha256: str) -> pd.DataFrame:
        found = table(store, *where[sha256])
        return pd.DataFrame() if found is None else found.to_pandas()

    return figures_changed(versions_compared(before, after, specs, frame))
