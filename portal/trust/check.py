"""Run the cross-version pack: the new package's tables against the latest published ones."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from portal.profiles import profile_of, resembled
from portal.store.records import Version
from portal.tables.reader import read_table
from portal.trust.rules import CROSS_RULES, Pair
from portal.validation.report import Finding
from portal.validation.rules.packs import RulePacks

if TYPE_CHECKING:
    from portal.store import Store

PACK = "revisions"


def _resource_specs(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(r.get("name")): r for r in descriptor.get("resources", [])}


def _frame(path: Path, spec: dict[str, Any]) -> pd.DataFrame:
    return read_table(path, spec).table.to_pandas()


def published_tables(store: Store, version: Version, names: set[str]) -> dict[str, pd.DataFrame]:
    """The tables `names` of a published version, typed by its own descriptor; a profiled
    table found by its columns where it was published under another name."""
    descriptor = store.descriptor(version)
    specs = _resource_specs(descriptor)
    tables = {
        entry.name: _frame(store.objects.path(entry.sha256), specs.get(entry.name, {}))
        for entry in version.resources
        if entry.name in names
    }
    for entry in version.resources:
        if names <= set(tables):
            break
        if entry.name in names or profile_of(entry.name) is not None:
            continue
        frame = _frame(store.objects.path(entry.sha256), specs.get(entry.name, {}))
        role = resembled([str(column) for column in frame.columns])
        if role in names and role not in tables:
            tables[role] = frame
    return tables


def staged_tables(root: Path, descriptor: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The tables `names` of a validated package, typed by its effective descriptor."""
    tables = {}
    for name, spec in _resource_specs(descriptor).items():
        if name in names and isinstance(spec.get("path"), str):
            tables[name] = _frame(root / spec["path"], spec)
    return tables


def resources_compared(rules: RulePacks) -> set[str]:
    return {str(rule.params["resource"]) for rule in rules.pack(PACK).rules}


def cross_version(
    before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame], rules: RulePacks
) -> list[Finding]:
    """Every finding of the revisions pack. A profiled table that the new version drops is
    compared as empty: the table's removal and every row it held need an explanation."""
    found: list[Finding] = []
    pairs = {
        name: Pair(frame, after[name]) if name in after else Pair(frame, frame.iloc[0:0], True)
        for name, frame in before.items()
    }
    for rule in rules.pack(PACK).rules:
        pair = pairs.get(str(rule.params["resource"]))
        if pair is not None:
            found += CROSS_RULES[rule.type](rule, pair)
    return found
