"""One field over a whole batch column: fast Arrow masks, exact scalar fallback.

A cell is either missing (a missing value), vouched for by a fast mask (a canonical
spelling whose meaning Arrow and Python agree on), or read by `ScalarField` exactly as
frictionless reads it. Constraints on vouched cells are checked on Arrow arrays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.validation.table.errors import TableError
from portal.validation.table.scalar import BOUNDS, ScalarField

FAST_PATTERNS = {
    "integer": r"^-?[0-9]{1,18}$",
    # At most 15 significant digits: float64 then orders them exactly as Decimal does.
    "number": r"^-?(?:[0-9]{1,15}|[0-9]{1,14}\.[0-9]{1,14})$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "year": r"^[0-9]{4}$",
}
ARROW_TYPES = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "year": pa.int64(),
    "boolean": pa.bool_(),
}
_COMPARE = {
    "minimum": pc.greater_equal,
    "maximum": pc.less_equal,
    "exclusiveMinimum": pc.greater,
    "exclusiveMaximum": pc.less,
}


@dataclass
class ColumnResult:
    errors: list[TableError]
    missing: np.ndarray  # cells read as None (no type error): for blank rows
    keys: pa.Array | None  # parsed values (null where None), when integrity needs them


def _key_value(value: Any, kind: str) -> Any:
    """A scalar-path value in the Arrow type of the field's keys."""
    if value is None:
        return None
    if kind == "number":
        return float(value)
    if kind in ("integer", "year"):
        return int(value) if -(2**63) <= int(value) < 2**63 else None
    if kind in ("date", "boolean", "string", "any"):
        return value
    return repr(value)


class ColumnChecker:
    """Checks one expected field's column in every batch."""

    def __init__(self, field: dict[str, Any], number: int, missing_values: list[str]) -> None:
        self.scalar = ScalarField(field, missing_values)
        self.field = field
        self.name = self.scalar.name
        self.number = number
        self.kind = self.scalar.type
        native = {"integer", "number", "date", "year", "boolean", "string", "any"}
        self.vectorized = (
            self.kind in native
            and (self.kind != "string" or self.scalar.format == "default")
            and not (self.kind == "date" and self.scalar.format != "default")
            and not (
                self.kind in ("integer", "number")
                and any(
                    k in field for k in ("bareNumber", "groupChar", "decimalChar", "floatNumber")
                )
            )
        )
        self.key_type = ARROW_TYPES.get(self.kind, pa.string()) if self.vectorized else pa.string()
        self.missing_set = pa.array(self.scalar.missing_values, pa.string())
        self._pattern_cache: dict[str, bool] = {}
        constraints = self.scalar.constraints
        self.bounds = self._vector_bounds(constraints)
        self.enum = self._vector_enum(constraints.get("enum"))

    # -- constraint values in Arrow form ---------------------------------------------
    def _vector_bounds(self, constraints: dict[str, Any]) -> list[tuple[str, pa.Scalar]]:
        bounds = []
        if self.kind not in ("integer", "number", "date", "year"):
            return bounds
        for name in BOUNDS:
            if constraints.get(name) is None:
                continue
            value = self.scalar.read_value(constraints[name])
            if value is None:
                continue
            if isinstance(value, Decimal):
                value = float(value)
            bounds.append((name, pa.scalar(value, self.key_type)))
        return bounds

    def _vector_enum(self, items: Any) -> pa.Array | None:
        if items is None:
            return None
        values = [self.scalar.read_value(item) for item in items]
        converted = [_key_value(v, self.kind) for v in values if v is not None]
        return pa.array(converted, self.key_type)

    # -- per batch ------------------------------------------------------------------------
    def _missing(self, column: pa.Array) -> pa.Array:
        if self.scalar.missing_values == [""]:
            return pc.equal(pc.binary_length(column), 0)
        return pc.is_in(column, value_set=self.missing_set)

    def _fast(self, column: pa.Array, missing: pa.Array) -> pa.Array:
        """Cells whose canonical spelling Arrow parses exactly like frictionless."""
        if not self.vectorized:
            return pa.array(np.zeros(len(column), dtype=bool))
        if self.kind in ("string", "any"):
            return pc.invert(missing)
        if self.kind == "boolean":
            truthy = self.field.get("trueValues", ["true", "True", "TRUE", "1"])
            falsy = self.field.get("falseValues", ["false", "False", "FALSE", "0"])
            return pc.is_in(column, value_set=pa.array(list(truthy) + list(falsy), pa.string()))
        return pc.match_substring_regex(column, FAST_PATTERNS[self.kind])

    def _parse_fast(self, column: pa.Array, fast: pa.Array) -> tuple[pa.Array, pa.Array]:
        """Parsed values for fast cells (null elsewhere) and the fast mask after parsing."""
        if self.kind in ("string", "any"):
            return pc.if_else(fast, column, pa.scalar(None, pa.string())), fast
        if self.kind == "boolean":
            truthy = pa.array(self.field.get("trueValues", ["true", "True", "TRUE", "1"]))
            values = pc.is_in(column, value_set=truthy)
            return pc.if_else(fast, values, pa.scalar(None, pa.bool_())), fast
        filler = {"date": "1970-01-01", "year": "1970"}.get(self.kind, "0")
        source = pc.if_else(fast, column, filler)
        if self.kind == "date":
            try:
                parsed = pc.cast(source, pa.date32())
            except pa.ArrowInvalid:
                # Some canonical-looking dates are not calendar dates (2021-02-30):
                # parse leniently, then keep only the ones that print back unchanged.
                stamps = pc.strptime(source, format="%Y-%m-%d", unit="s", error_is_null=True)
                back = pc.strftime(stamps, format="%Y-%m-%d")
                fast = pc.and_kleene(fast, pc.fill_null(pc.equal(back, source), False))
                parsed = pc.cast(pc.if_else(fast, source, filler), pa.date32())
        else:
            parsed = pc.cast(source, self.key_type)
        return pc.if_else(fast, parsed, pa.scalar(None, self.key_type)), fast

    def _constraint_errors(
        self, column: pa.Array, parsed: pa.Array, fast: pa.Array, rows: np.ndarray
    ) -> list[TableError]:
        errors: list[TableError] = []
        failures: list[tuple[str, pa.Array]] = []
        constraints = self.scalar.constraints
        for name, bound in self.bounds:
            failures.append((name, pc.invert(pc.fill_null(_COMPARE[name](parsed, bound), True))))
        if self.kind == "string":
            lengths = None
            for name in ("minLength", "maxLength"):
                if constraints.get(name) is None:
                    continue
                lengths = lengths if lengths is not None else pc.utf8_length(parsed)
                compare = pc.greater_equal if name == "minLength" else pc.less_equal
                failures.append(
                    (name, pc.invert(pc.fill_null(compare(lengths, constraints[name]), True)))
                )
            if constraints.get("pattern") is not None:
                failures.append(("pattern", self._pattern_failures(parsed)))
        if self.enum is not None:
            inside = pc.is_in(parsed, value_set=self.enum)
            failures.append(("enum", pc.and_(pc.invert(inside), pc.is_valid(parsed))))
        order = [name for name, _ in self.scalar.checks]
        failures.sort(key=lambda item: order.index(item[0]) if item[0] in order else 99)
        for name, failed in failures:
            hits = np.flatnonzero(
                np.asarray(pc.and_(failed, fast).to_numpy(zero_copy_only=False), dtype=bool)
            )
            if len(hits):
                note = self.scalar.constraint_note(name)
                cells = column.take(pa.array(hits)).to_pylist()
                errors.extend(
                    TableError(int(rows[i]), self.name, self.number, "constraint-error", note, cell)
                    for i, cell in zip(hits, cells, strict=True)
                )
        return errors

    def _pattern_failures(self, parsed: pa.Array) -> pa.Array:
        compiled = re.compile("^{}$".format(self.scalar.constraints["pattern"]))
        cache = self._pattern_cache
        unknown = [v for v in pc.unique(parsed.drop_null()).to_pylist() if v not in cache]
        for value in unknown:
            cache[value] = bool(compiled.match(value))
        bad = [value for value, ok in cache.items() if not ok]
        return pc.is_in(parsed, value_set=pa.array(bad, pa.string()))

    def check(self, column: pa.Array, rows: np.ndarray, want_keys: bool) -> ColumnResult:
        missing = self._missing(column)
        fast = pc.and_(self._fast(column, missing), pc.invert(missing))
        parsed, fast = self._parse_fast(column, fast)
        errors: list[TableError] = []
        if self.scalar.constraints.get("required"):
            holes = np.flatnonzero(np.asarray(missing.to_numpy(zero_copy_only=False), dtype=bool))
            note = self.scalar.constraint_note("required")
            cells = column.take(pa.array(holes)).to_pylist() if len(holes) else []
            errors.extend(
                TableError(int(rows[i]), self.name, self.number, "constraint-error", note, cell)
                for i, cell in zip(holes, cells, strict=True)
            )
        errors.extend(self._constraint_errors(column, parsed, fast, rows))
        slow = pc.invert(pc.or_(fast, missing))
        slow_at = np.flatnonzero(np.asarray(slow.to_numpy(zero_copy_only=False), dtype=bool))
        missing_np = np.asarray(missing.to_numpy(zero_copy_only=False), dtype=bool)
        replacements: list[Any] = []
        if len(slow_at):
            for index, cell in zip(
                slow_at, column.take(pa.array(slow_at)).to_pylist(), strict=True
            ):
                value, problems = self.scalar.read(cell)
                replacements.append(_key_value(value, self.kind))
                errors.extend(
                    TableError(int(rows[index]), self.name, self.number, code, note, cell)
                    for code, note in problems
                )
        keys = None
        if want_keys:
            keys = parsed if self.vectorized else pa.nulls(len(column), pa.string())
            if len(slow_at):
                mask = np.zeros(len(column), dtype=bool)
                mask[slow_at] = True
                keys = pc.replace_with_mask(
                    keys, pa.array(mask), pa.array(replacements, self.key_type)
                )
        return ColumnResult(errors, missing_np, keys)

    def read_cell(self, cell: str | None) -> tuple[Any, list[tuple[str, str]], bool]:
        """Scalar path for irregular rows: (key value, problems, is blank)."""
        value, problems = self.scalar.read(cell)
        blank = value is None and not any(code == "type-error" for code, _ in problems)
        return _key_value(value, self.kind), problems, blank


def python_date(value: Any) -> date | None:
    return value if isinstance(value, date) else None
