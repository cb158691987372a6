"""What changed between two versions of a table: rows added, removed, and figures revised.

Rows are matched by the schema's primary key (or by position when there is none), so a
revised figure shows as old -> new and is never changed silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Revision:
    key: list[str]
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: list[dict[str, str]] = field(default_factory=list)  # key, field, old, new, kind

    @property
    def empty(self) -> bool:
        return self.added.empty and self.removed.empty and not self.changed


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as text, an empty or missing cell as "" (a NaN is not the text "nan")."""
    return frame.astype(object).where(frame.notna(), "").astype(str)


def kind_of(old: str, new: str) -> str:
    """`added` when a value fills an empty cell, `removed` when it empties, else `changed`."""
    return "added" if old == "" else "removed" if new == "" else "changed"


def compare(old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> Revision:
    """Rows added, removed and cells changed from `old` to `new` (both as text).

    Empty to empty is no change; every listed cell is one real change, so a count of
    `changed` equals the cells shown.
    """
    old, new = _text(old), _text(new)
    if not key or not set(key) <= set(old.columns) & set(new.columns):
        key = ["#"]
        old = old.assign(**{"#": [str(i + 2) for i in range(len(old))]})
        new = new.assign(**{"#": [str(i + 2) for i in range(len(new))]})
    old_index = old.set_index(key, drop=False)
    new_index = new.set_index(key, drop=False)
    added = new_index.loc[new_index.index.difference(old_index.index)]
    removed = old_index.loc[old_index.index.difference(new_index.index)]
    changed: list[dict[str, str]] = []
    common = [c for c in new.columns if c in old.columns and c not in key]
    shared = new_index.index.intersection(old_index.index)
    before, after = old_index.loc[shared, common], new_index.loc[shared, common]
    differs = before.ne(after)
    for position, column in zip(*differs.to_numpy().nonzero(), strict=True):
        label = shared[position]
        was, now = str(before.iat[position, column]), str(after.iat[position, column])
        changed.append(
            {
                "key": " / ".join(label) if isinstance(label, tuple) else str(label),
                "field": common[column],
                "old": was,
                "new": now,
                "kind": kind_of(was, now),
            }
        )
    return Revision(key, added.reset_index(drop=True), removed.reset_index(drop=True), changed)
