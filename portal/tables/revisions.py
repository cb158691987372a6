"""What changed between two versions of a table: the one diff of the portal.

The dataset page's revision view, the feeds' and the server pages' count of revised
figures, a project's history and the cross-version rules that ask for explanations all
pair rows and compare cells here, so they count the same changes. Rows are paired by the
schema's primary key (the newer version's; by position when there is none; a repeated key
counts its first row), and a cell is compared as the public file shows it (`cell_text`):
empty for missing, a whole number without `.0`, so a column that became decimal because
one cell was emptied revises one figure, not all of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from portal.store.records import Version

NOT_FIGURES = frozenset({"updated"})  # bookkeeping, not something a citizen checks
POSITION = "#"  # the pairing column when a table has no key: the row in the file


def is_figure(name: str) -> bool:
    """Whether a changed column counts as a revised figure."""
    return name not in NOT_FIGURES


def shown(value: Any) -> str:
    """One cell as the public file has it: empty for missing, integers without `.0`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cell_text(values: pd.Series) -> pd.Series:
    """`shown` for a whole column, as plain Python strings (object dtype)."""
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0)
        texts = values.astype(str).where(~whole, values.where(whole, 0).astype("int64").astype(str))
        return texts.where(values.notna(), "").astype(object)
    if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.astype(str).astype(object)
    return values.map(shown).astype(object)


def key_of(spec: Mapping[str, Any]) -> list[str]:
    """A resource's primary key (a Table Schema allows one name or a list)."""
    key = (spec.get("schema") or {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else [str(k) for k in key]


def paired(before: pd.DataFrame, after: pd.DataFrame, key: str | list[str]) -> pd.DataFrame:
    """Rows in both versions side by side (`<column>_old`, `<column>_new`), indexed by the
    key, with the newer file's row number (`_row_new`)."""
    names = [key] if isinstance(key, str) else list(key)
    old = before.drop_duplicates(names).set_index(names).add_suffix("_old")
    new = after.assign(_row=range(2, len(after) + 2))
    new = new.drop_duplicates(names).set_index(names).add_suffix("_new")
    return old.join(new, how="inner")


def kind_of(old: str, new: str) -> str:
    """`added` when a value fills an empty cell, `removed` when it empties, else `changed`."""
    return "added" if old == "" else "removed" if new == "" else "changed"


@dataclass
class Revision:
    key: list[str]
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: list[dict[str, str]] = field(default_factory=list)  # key, field, old, new, kind

    @property
    def empty(self) -> bool:
        return self.added.empty and self.removed.empty and not self.changed

    @property
    def figures(self) -> list[dict[str, str]]:
        """The changed cells that are figures (not a row's bookkeeping date)."""
        return [c for c in self.changed if is_figure(c["field"])]


def _by_position(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{POSITION: [str(i + 2) for i in range(len(frame))]})


def _label(label: Any) -> str:
    return " / ".join(shown(v) for v in label) if isinstance(label, tuple) else shown(label)


def compare(old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> Revision:
    """Rows added, removed and cells changed from `old` to `new`. Empty to empty is no
    change; every listed cell is one real change, so a count of `changed` is the cells shown."""
    if not key or not set(key) <= set(old.columns) & set(new.columns):
        key, old, new = [POSITION], _by_position(old), _by_position(new)
    old_keys = old[key].apply(lambda c: cell_text(c)).drop_duplicates()
    new_keys = new[key].apply(lambda c: cell_text(c)).drop_duplicates()
    old_index, new_index = pd.MultiIndex.from_frame(old_keys), pd.MultiIndex.from_frame(new_keys)
    added = new.loc[new_keys.index[~new_index.isin(old_index)]]
    removed = old.loc[old_keys.index[~old_index.isin(new_index)]]
    texts = {
        side: frame.assign(**{k: cell_text(frame[k]) for k in key})
        for side, frame in (("old", old), ("new", new))
    }
    both = paired(texts["old"], texts["new"], key)
    columns = [c for c in new.columns if c in old.columns and c not in key]
    was = {c: cell_text(both[f"{c}_old"]).to_numpy() for c in columns}
    now = {c: cell_text(both[f"{c}_new"]).to_numpy() for c in columns}
    cells = sorted(  # row by row, then in the table's column order
        (row, column)
        for column, name in enumerate(columns)
        for row in np.flatnonzero(was[name] != now[name])
    )
    changed = [
        {
            "key": _label(both.index[row]),
            "field": columns[column],
            "old": str(was[columns[column]][row]),
            "new": str(now[columns[column]][row]),
            "kind": kind_of(str(was[columns[column]][row]), str(now[columns[column]][row])),
        }
        for row, column in cells
    ]
    return Revision(key, added.reset_index(drop=True), removed.reset_index(drop=True), changed)


def versions_compared(
    before: Version,
    after: Version,
    specs: Mapping[str, Mapping[str, Any]],
    frame: Callable[[str], pd.DataFrame],
) -> dict[str, Revision]:
    """Each resource both versions publish and whose bytes differ, compared; `specs` are
    the newer version's resource descriptors (their keys pair the rows) and `frame` reads
    a published table by its sha256 (each caller through its own cache)."""
    found = {}
    for entry in after.resources:
        previous = before.resource(entry.name)
        if previous is None or previous.sha256 == entry.sha256:
            continue
        key = key_of(specs.get(entry.name, {}))
        found[entry.name] = compare(frame(previous.sha256), frame(entry.sha256), key)
    return found


def figures_changed(revisions: Mapping[str, Revision]) -> int:
    """The count every page and feed says: revised figures over all resources."""
    return sum(len(r.figures) for r in revisions.values())
