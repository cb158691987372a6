"""What package-level rules need to know about the data, gathered while it streams by."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from portal.validation.rules.series_rules import _period_index


@dataclass
class DataSummary:
    """Provinces present, date range, newest period and newest `updated` of all resources."""

    provinces: set[str] = field(default_factory=set)
    first_date: date | None = None
    last_date: date | None = None
    last_updated: date | None = None
    first_step: int | None = None
    last_step: int | None = None
    rows: int = 0
    has_province: bool = False  # some resource has a province column at all

    def observe(self, parsed: dict[str, Any], types: dict[str, str]) -> None:
        if not parsed:
            return
        self.rows += len(next(iter(parsed.values())))
        province = parsed.get("province")
        if province is not None:
            self.has_province = True
            self.provinces |= {p for p in pc.unique(province).to_pylist() if p}
        for name in ("start_date", "actual_end_date", "inauguration_date"):
            self._dates(parsed.get(name))
        updated = parsed.get("updated")
        if updated is not None and pa.types.is_date32(updated.type):
            newest = pc.max(updated).as_py()
            if newest and (self.last_updated is None or newest > self.last_updated):
                self.last_updated = newest
        period = parsed.get("period")
        if period is not None and types.get("period") == "string":
            found = [_period_index(p) for p in pc.unique(period).to_pylist() if p]
            steps = [step for step in found if step is not None]
            if self.first_step is not None and self.last_step is not None:
                steps += [self.first_step, self.last_step]
            if steps:
                self.first_step, self.last_step = min(steps), max(steps)

    def _dates(self, column: Any) -> None:
        if column is None or not pa.types.is_date32(column.type):
            return
        low, high = pc.min(column).as_py(), pc.max(column).as_py()
        if low and (self.first_date is None or low < self.first_date):
            self.first_date = low
        if high and (self.last_date is None or high > self.last_date):
            self.last_date = high
