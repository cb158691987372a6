"""Cross-version rule types: each compares the previous and the new table and yields findings.

A rule type is one small function `(rule, pair) -> findings`, registered in
`CROSS_RULES` under the `type` a rule pack names (`validators/revisions.yaml`). Tables
arrive as pandas frames typed from their Table Schema; rows are matched by their key.
Every finding carries `key` (project id or series), `old` and `new`, and the names an
explanation can match on (`project`, or `indicator`, `period`, `province`, `county`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from portal.tables.revisions import cell_text, paired, shown
from portal.validation.report import Finding
from portal.validation.rules.packs import Rule


@dataclass
class Pair:
    """One table in the previous and the new version; rows paired by key once per run."""

    before: pd.DataFrame
    after: pd.DataFrame
    removed: bool = False  # the new version has no such table at all
    _paired: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)

    def paired(self, key: str) -> pd.DataFrame:
        """Rows in both versions, side by side (`_old`/`_new`), with the new file's row:
        paired as the one diff pairs them (`portal.tables.revisions.paired`)."""
        if key not in self._paired:
            self._paired[key] = paired(self.before, self.after, key)
        return self._paired[key]


CrossRule = Callable[[Rule, Pair], list[Finding]]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _texts(paired: pd.DataFrame, column: str) -> pd.Series:
    """A column as the published cells read (`portal.tables.revisions.cell_text`, the one diff's
    text), empty where it is missing or absent."""
    if column not in paired:
        return pd.Series("", index=paired.index, dtype=object)
    return cell_text(paired[column])


def _project_finding(rule: Rule, project: str, field: str, old: Any, new: Any, row: Any) -> Finding:
    return Finding.make(
        rule.code,
        rule.severity,
        resource=rule.params["resource"],
        row=int(row) if row is not None and not _missing(row) else None,
        field=field,
        cell=shown(new),
        key=str(project),
        project=str(project),
        old=shown(old),
        new=shown(new),
    )


def _flagged(rule: Rule, paired: pd.DataFrame, field: str, mask: pd.Series) -> list[Finding]:
    """One finding per project where `mask` holds (only those rows are visited)."""
    chosen = paired[mask.fillna(False).astype(bool)]
    old, new = _texts(chosen, f"{field}_old"), _texts(chosen, f"{field}_new")
    rows = chosen["_row_new"] if "_row_new" in chosen else pd.Series(None, index=chosen.index)
    return [
        _project_finding(rule, str(project), field, old[project], new[project], rows[project])
        for project in chosen.index
    ]


def table_removed(rule: Rule, pair: Pair) -> list[Finding]:
    """The new version drops a profiled table the previous one published."""
    if not pair.removed:
        return []
    resource = rule.params["resource"]
    return [Finding.make(rule.code, rule.severity, resource=resource, key=resource)]


def row_removed(rule: Rule, pair: Pair) -> list[Finding]:
    key = rule.params["key"]
    kept = pc.is_in(pa.array(pair.before[key].astype(str)), pa.array(pair.after[key].astype(str)))
    gone = pair.before[~kept.to_numpy(zero_copy_only=False)]
    return [_project_finding(rule, str(project), key, project, "", None) for project in gone[key]]


def order_regressed(rule: Rule, pair: Pair) -> list[Finding]:
    field = rule.params["field"]
    paired = pair.paired(rule.params["key"])
    old, new = _texts(paired, f"{field}_old"), _texts(paired, f"{field}_new")
    rank = {value: position for position, value in enumerate(rule.params["order"])}
    terminal = list(rule.params.get("terminal", []))
    backwards = new.map(rank) < old.map(rank)  # NaN (not in the order) compares false
    left_terminal = old.isin(terminal) & ~new.isin(terminal) & (new != "")
    return _flagged(rule, paired, field, backwards | left_terminal)


def value_decreased(rule: Rule, pair: Pair) -> list[Finding]:
    field = rule.params["field"]
    paired = pair.paired(rule.params["key"])
    if f"{field}_old" not in paired:
        return []
    old = pd.to_numeric(paired[f"{field}_old"], errors="coerce")
    new = pd.to_numeric(paired.get(f"{field}_new"), errors="coerce")
    return _flagged(rule, paired, field, old.notna() & (new.isna() | (new < old)))


def value_changed(rule: Rule, pair: Pair) -> list[Finding]:
    """A published value changed or was removed (a first value is news, not a change);
    `when_previous` limits the rule to rows whose previous value of a field is in a list
    (e.g. the dates of projects that were already completed)."""
    paired = pair.paired(rule.params["key"])
    condition = rule.params.get("when_previous")
    scope = pd.Series(True, index=paired.index)
    if condition:
        scope = _texts(paired, f"{condition['field']}_old").isin(condition["in"])
    found = []
    for field in rule.params["fields"]:
        old, new = _texts(paired, f"{field}_old"), _texts(paired, f"{field}_new")
        found += _flagged(rule, paired, field, scope & (old != "") & (old != new))
    return found


def _series_key(values: tuple[Any, ...]) -> str:
    return "/".join(shown(v) for v in values)


def observation_revised(rule: Rule, pair: Pair) -> list[Finding]:
    before, after = pair.before, pair.after
    keys = [k for k in rule.params["keys"] if k in before.columns and k in after.columns]
    field, tolerance = rule.params["field"], float(rule.params.get("relative_tolerance", 0))
    old = before.assign(**{k: before[k].map(shown) for k in keys}).drop_duplicates(keys)
    new = after.assign(**{k: after[k].map(shown) for k in keys}, _row=range(2, len(after) + 2))
    merged = old.merge(new.drop_duplicates(keys), on=keys, how="left", suffixes=("_old", "_new"))
    found = []
    for record in merged.to_dict("records"):
        was, now = record[f"{field}_old"], record[f"{field}_new"]
        if _missing(was):
            continue
        if not _missing(now):
            scale = max(abs(float(was)), abs(float(now)), 1e-12)
            if abs(float(now) - float(was)) <= tolerance * scale:
                continue
        parts = {k: record[k] for k in keys}
        found.append(
            Finding.make(
                rule.code,
                rule.severity,
                resource=rule.params["resource"],
                row=None if _missing(record["_row"]) else int(record["_row"]),
                field=field,
                cell=shown(now),
                key=_series_key(tuple(parts.values())),
                indicator=parts.get("indicator_id", ""),
                period=parts.get("period", ""),
                province=parts.get("province", ""),
                county=parts.get("county", ""),
                old=shown(was),
                new=shown(now),
            )
        )
    return found


CROSS_RULES: dict[str, CrossRule] = {
    rule.__name__: rule
    for rule in (
        table_removed,
        row_removed,
        order_regressed,
        value_decreased,
        value_changed,
        observation_revised,
    )
}
