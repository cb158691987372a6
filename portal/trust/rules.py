"""Cross-version rule types: each compares the previous and the new table and yields findings.

A rule type is one small function `(rule, before, after) -> findings`, registered in
`CROSS_RULES` under the `type` a rule pack names (`validators/revisions.yaml`). Tables
arrive as pandas frames typed from their Table Schema; rows are matched by their key.
Every finding carries `key` (project id or series), `old` and `new`, and the names an
explanation can match on (`project`, or `indicator`, `period`, `province`, `county`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from portal.validation.report import Finding
from portal.validation.rules.packs import Rule

CrossRule = Callable[[Rule, pd.DataFrame, pd.DataFrame], list[Finding]]


def shown(value: Any) -> str:
    """A cell as the public file has it: empty for missing, integers without `.0`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _paired(rule: Rule, before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Rows present in both versions, side by side (`_old`/`_new`), with the new file row."""
    key = rule.params["key"]
    old = before.drop_duplicates(key).set_index(key)
    new = after.assign(_row=range(2, len(after) + 2)).drop_duplicates(key).set_index(key)
    return old.join(new, how="inner", lsuffix="_old", rsuffix="_new")


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


def row_removed(rule: Rule, before: pd.DataFrame, after: pd.DataFrame) -> list[Finding]:
    key = rule.params["key"]
    gone = before[~before[key].isin(set(after[key]))]
    return [_project_finding(rule, str(project), key, project, "", None) for project in gone[key]]


def order_regressed(rule: Rule, before: pd.DataFrame, after: pd.DataFrame) -> list[Finding]:
    field = rule.params["field"]
    rank = {value: position for position, value in enumerate(rule.params["order"])}
    terminal = set(rule.params.get("terminal", []))
    found = []
    for project, row in _paired(rule, before, after).iterrows():
        old, new = row.get(f"{field}_old"), row.get(f"{field}_new")
        if old == new or _missing(old) or _missing(new):
            continue
        left_terminal = old in terminal and new not in terminal
        backwards = old in rank and new in rank and rank[new] < rank[old]
        if left_terminal or backwards:
            found.append(_project_finding(rule, str(project), field, old, new, row["_row"]))
    return found


def value_decreased(rule: Rule, before: pd.DataFrame, after: pd.DataFrame) -> list[Finding]:
    field = rule.params["field"]
    found = []
    for project, row in _paired(rule, before, after).iterrows():
        old, new = row.get(f"{field}_old"), row.get(f"{field}_new")
        if _missing(old):
            continue
        if _missing(new) or float(new) < float(old):
            found.append(_project_finding(rule, str(project), field, old, new, row["_row"]))
    return found


def value_changed(rule: Rule, before: pd.DataFrame, after: pd.DataFrame) -> list[Finding]:
    """A field changed; `when_previous` limits it to rows whose previous value of a field
    is in a list (e.g. dates of projects that were already completed)."""
    condition = rule.params.get("when_previous")
    found = []
    for project, row in _paired(rule, before, after).iterrows():
        if condition and row.get(f"{condition['field']}_old") not in condition["in"]:
            continue
        for field in rule.params["fields"]:
            old, new = row.get(f"{field}_old"), row.get(f"{field}_new")
            if _missing(old) and _missing(new):
                continue
            if _missing(old) != _missing(new) or shown(old) != shown(new):
                if _missing(old) and not condition:
                    continue  # a first value is news, not a change
                found.append(_project_finding(rule, str(project), field, old, new, row["_row"]))
    return found


def _series_key(values: tuple[Any, ...]) -> str:
    return "/".join(shown(v) for v in values)


def observation_revised(rule: Rule, before: pd.DataFrame, after: pd.DataFrame) -> list[Finding]:
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
    for rule in (row_removed, order_regressed, value_decreased, value_changed, observation_revised)
}
