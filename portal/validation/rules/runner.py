"""Runs the rule packs over a package while the structural pass streams its tables."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.progress import RowMeter
from portal.validation.report import Finding
from portal.validation.rules.batch import BatchView, RuleContext
from portal.validation.rules.encoding_rules import encoding_findings
from portal.validation.rules.input_rules import INPUT_RULES
from portal.validation.rules.key_rules import KEY_RULES, KeyCells
from portal.validation.rules.metadata_rules import METADATA_RULES
from portal.validation.rules.packs import Pack, Rule
from portal.validation.rules.row_rules import ROW_RULES
from portal.validation.rules.series_rules import SERIES_RULES, prepare
from portal.validation.rules.summary import DataSummary
from portal.validation.table.text_scan import utf8_bytes
from portal.validation.table.validate import BatchObserver

if TYPE_CHECKING:
    import pandas as pd

OBSERVATION_COLUMNS = ["indicator_id", "period", "province", "county", "value", "unit"]


@dataclass
class RuleRun:
    """State of one package's rule run: findings, fill counts, data summary, series."""

    descriptor: dict[str, Any]
    profiles: dict[str, str]
    context: RuleContext
    off_profile: set[str] = field(default_factory=set)  # resources whose schema breaks the profile
    findings: list[Finding] = field(default_factory=list)
    summary: DataSummary = field(default_factory=DataSummary)
    filled: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    frames: dict[str, list[pd.DataFrame]] = field(default_factory=lambda: defaultdict(list))
    # (resource, field) -> rows and cells as written, for the key rules run at the end
    keys: dict[tuple[str, str], KeyCells] = field(default_factory=dict)
    meter: RowMeter | None = None  # told the rows (and their bytes) of every batch

    def observer(self, resource: dict[str, Any]) -> BatchObserver:
        name = str(resource.get("name"))
        before = _Before(len(self.findings), copy.deepcopy(self.summary), self.meter)
        fields = (resource.get("schema") or {}).get("fields", [])
        types = {str(f.get("name")): str(f.get("type", "any")) for f in fields}
        enums = {str(f.get("name")) for f in fields if (f.get("constraints") or {}).get("enum")}
        profile = None if name in self.off_profile else self.profiles.get(name)
        row_rules = self._row_rules(profile, name)
        key_rules = self._key_rules(profile, name)
        key_fields = {str(r.params["field"]) for r in key_rules}
        # every cell where ids are compared; elsewhere only the ones that may hide something
        compared = {str(r.params["field"]) for r in key_rules if r.type == "key_repeated_visibly"}
        input_rules = [r for r in self.context.rules.pack("input").rules if r.type in INPUT_RULES]
        missing_values = [str(v) for v in (resource.get("schema") or {}).get("missingValues", [""])]
        missing = pa.array(missing_values, pa.string())
        only_empty = missing_values == [""]  # the usual case: a cell is missing when empty

        def observe(rows: np.ndarray, parsed: dict[str, Any], raw: dict[str, Any]) -> None:
            view = BatchView(name, rows, parsed, raw, types, enums)
            for rule in row_rules:
                self.findings += ROW_RULES[rule.type](rule, view, self.context)
            for rule in input_rules:
                self.findings += INPUT_RULES[rule.type](rule, view, self.context)
            self.summary.observe(parsed, types)
            self.rows[name] += len(rows)
            # A cell is filled when something was written in it, valid or not: a Jalali
            # date in a date column is a type error, not an empty cell.
            for column_name, values in raw.items():
                if only_empty:  # lengths, not a hash look-up of every cell (0.27 s a 1M rows)
                    written = pc.fill_null(pc.greater(pc.binary_length(values), 0), True)
                else:
                    written = pc.invert(pc.fill_null(pc.is_in(values, value_set=missing), True))
                self.filled[name][column_name] += pc.sum(written).as_py() or 0
            if profile == "indicators":
                self._keep_frame(name, rows, parsed)
            for key in key_fields & set(raw):
                self.keys.setdefault((name, key), KeyCells(key in compared)).add(rows, raw[key])
            if self.meter is not None:  # a CSV row's bytes: its cells, separators, line end
                size = sum(len(utf8_bytes(column)) for column in raw.values())
                self.meter.advance(len(rows), size + len(rows) * len(raw))

        return _Observer(observe, lambda: self._forget(name, before))

    def _forget(self, name: str, before: _Before) -> None:
        """Take back what `name`'s batches left: its read starts over from the first row."""
        del self.findings[before.findings :]
        self.summary = copy.deepcopy(before.summary)
        for kept in (self.rows, self.filled, self.frames):
            kept.pop(name, None)
        for key in [key for key in self.keys if key[0] == name]:
            del self.keys[key]
        if self.meter is not None:
            self.meter.rows, self.meter.bytes = before.meter_rows, before.meter_bytes

    def _row_rules(self, profile: str | None, resource: str) -> list[Rule]:
        if profile is None:
            return []
        pack = self.context.rules.pack(profile)
        if pack.resource not in (None, resource):
            return []
        return [r for r in pack.rules if r.type in ROW_RULES]

    def _key_rules(self, profile: str | None, resource: str) -> list[Rule]:
        """Key rules name their resources themselves: a pack may check several tables."""
        if profile is None:
            return []
        rules = self.context.rules.pack(profile).of_type(*KEY_RULES)
        return [r for r in rules if resource in r.params["resources"]]

    def _key_findings(self) -> list[Finding]:
        found: list[Finding] = []
        candidates: dict[tuple[str, str], tuple[list[int], list[str | None]]] = {}
        for resource, profile in self.profiles.items():
            for rule in self._key_rules(
                None if resource in self.off_profile else profile, resource
            ):
                field_name = str(rule.params["field"])
                kept = self.keys.get((resource, field_name))
                if (resource, field_name) not in candidates:
                    candidates[(resource, field_name)] = kept.candidates() if kept else ([], [])
                rows, cells = candidates[(resource, field_name)]
                found += KEY_RULES[rule.type](rule, resource, field_name, rows, cells)
        return found

    def _keep_frame(self, name: str, rows: np.ndarray, parsed: dict[str, Any]) -> None:
        wanted = (
            OBSERVATION_COLUMNS
            if name == "observations"
            else ["indicator_id", "unit", "aggregation"]
        )
        import pandas as pd  # for indicator series only: a projects table does not pay for it

        columns = {c: parsed[c] for c in wanted if c in parsed}
        frame = pa.table(columns).to_pandas() if columns else pd.DataFrame()
        frame["row"] = rows
        self.frames[name].append(frame)

    def completeness(self) -> dict[str, dict[str, float]]:
        return {
            resource: {
                name: round(count / self.rows[resource], 4) if self.rows[resource] else 0.0
                for name, count in counts.items()
            }
            for resource, counts in self.filled.items()
        }

    def finish(self, encoding_errors: dict[str, Path]) -> list[Finding]:
        """Rules that need everything read: fill shares, series, metadata, encodings."""
        found = list(self.findings) + self._key_findings()
        shares = self.completeness()
        for resource, profile in self.profiles.items():
            if resource in self.off_profile:
                continue
            pack = self.context.rules.pack(profile)
            if pack.resource in (None, resource):
                found += _fill_share(pack, resource, shares.get(resource, {}), self.rows[resource])
        if "observations" in self.frames and "indicators" in self.frames and not self.off_profile:
            found += self._series()
        metadata = self.context.rules.pack("metadata")
        for rule in metadata.rules:
            found += METADATA_RULES[rule.type](rule, self.descriptor, self.summary, self.context)
        for resource, path in encoding_errors.items():
            found += encoding_findings(self.context.rules.pack("input"), resource, path)
        return found

    def _series(self) -> list[Finding]:
        import pandas as pd  # see _keep_frame

        observations = prepare(pd.concat(self.frames["observations"], ignore_index=True))
        dictionary = pd.concat(self.frames["indicators"], ignore_index=True)
        observations = observations.dropna(subset=["value"])
        found: list[Finding] = []
        for rule in self.context.rules.pack("indicators").rules:
            if rule.type in SERIES_RULES:
                found += SERIES_RULES[rule.type](rule, observations, dictionary, "observations")
        return found


class _Before:
    """The run as it was before a resource's first batch."""

    def __init__(self, findings: int, summary: DataSummary, meter: RowMeter | None) -> None:
        self.findings = findings
        self.summary = summary
        self.meter_rows = meter.rows if meter else 0
        self.meter_bytes = meter.bytes if meter else 0


@dataclass(frozen=True)
class _Observer:
    """A resource's batch observer (`BatchObserver`): sees batches, forgets them on restart."""

    see: Callable[[np.ndarray, dict[str, Any], dict[str, Any]], None]
    forget: Callable[[], None]

    def __call__(self, rows: np.ndarray, parsed: dict[str, Any], raw: dict[str, Any]) -> None:
        self.see(rows, parsed, raw)

    def restart(self) -> None:
        self.forget()


def _fill_share(pack: Pack, resource: str, shares: dict[str, float], rows: int) -> list[Finding]:
    found = []
    for rule in pack.of_type("fill_share"):
        for name in rule.params["fields"]:
            share = shares.get(name)
            if share is None or not rows or share >= rule.params["min_share"]:
                continue
            if rule.code == "indicator-fill-sparse" and share == 0:
                continue  # a series without counties at all is a choice, not a gap
            found.append(
                Finding.make(
                    rule.code,
                    rule.severity,
                    resource=resource,
                    field=name,
                    cell=f"{100 * share:.0f}%",
                    share=round(100 * share, 1),
                    minimum=round(100 * rule.params["min_share"]),
                )
            )
    return found
