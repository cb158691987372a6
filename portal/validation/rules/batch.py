"""What a row rule sees: one batch of one resource, parsed and raw, and the run's context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from portal.validation.rules.packs import RulePacks


@dataclass(frozen=True)
class RuleContext:
    """Facts a rule may need beyond the data: today's date, the rule packs of the run (a
    province's box) and the publishing agency."""

    today: date
    rules: RulePacks
    agency: str | None = None


@dataclass
class BatchView:
    resource: str
    rows: np.ndarray
    parsed: dict[str, Any]  # field -> Arrow array of parsed values (null where empty or invalid)
    raw: dict[str, Any]  # field -> Arrow array of the cells as written
    types: dict[str, str] = field(default_factory=dict)
    enums: set[str] = field(default_factory=set)

    @property
    def length(self) -> int:
        return len(self.rows)

    def cells(self, name: str, at: np.ndarray) -> list[str]:
        column = self.raw.get(name)
        if column is None:
            return [""] * len(at)
        return [str(c) if c is not None else "" for c in column.take(pa.array(at)).to_pylist()]
