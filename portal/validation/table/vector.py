"""One field over a whole batch column: fast Arrow masks, exact scalar fallback.

A cell is either missing (a missing value), vouched for by a fast path (a spelling
whose meaning Arrow and Python agree on), or read by `ScalarField` exactly as
frictionless reads it. Constraints on vouched cells are checked on Arrow arrays.
Work is skipped wherever a field cannot fail: a free-text column without constraints
costs one comparison per batch.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.validation.table.errors import TableError
from portal.validation.table.scalar import BOUNDS, DEFAULT_FALSE, DEFAULT_TRUE, ScalarField
from portal.validation.table.text_scan import longest_bytes, may_hold

Column: TypeAlias = Any  # a pyarrow Array or ChunkedArray (pyarrow ships no types)

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
FILLERS = {"date": "1970-01-01", "year": "1970"}
_COMPARE = {
    "minimum": pc.greater_equal,
    "maximum": pc.less_equal,
    "exclusiveMinimum": pc.greater,
    "exclusiveMaximum": pc.less,
}
SCALAR_CACHE = 4096  # distinct slow-path cells remembered per field
ASCII_LETTERS = string.ascii_letters
_NUMBER_OPTIONS = ("bareNumber", "groupChar", "decimalChar", "floatNumber")


@dataclass
class ColumnResult:
    errors: list[TableError]
    missing: Column | None  # cells read as None, or None when the batch has none
    keys: pa.Array | None  # parsed values (null where None), when integrity needs them


def true_indices(mask: Column) -> np.ndarray:
    """Positions where a boolean Arrow mask is true (nulls count as false)."""
    return np.asarray(pc.indices_nonzero(mask), dtype=np.int64)


def key_value(value: Any, kind: str) -> Any:
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
        self.vectorized = self._is_vectorized(field)
        # Scalar-path values (`key_value`) have this type whether or not the field is vectorised.
        self.key_type = ARROW_TYPES.get(self.kind, pa.string())
        self.missing_set = pa.array(self.scalar.missing_values, pa.string())
        self.truthy = pa.array(list(field.get("trueValues", DEFAULT_TRUE)), pa.string())
        self.booleans = pa.array(
            list(field.get("trueValues", DEFAULT_TRUE))
            + list(field.get("falseValues", DEFAULT_FALSE)),
            pa.string(),
        )
        self._pattern_cache: dict[str, bool] = {}
        self._scalar_cache: dict[str, tuple[Any, list[tuple[str, str]]]] = {}
        self.bounds = self._vector_bounds()
        self.enum = self._vector_enum(self.scalar.constraints.get("enum"))
        checked = {name for name, _ in self.scalar.checks}
        self.free_text = (
            self.kind in ("string", "any") and self.vectorized and not (checked - {"required"})
        )

    def _is_vectorized(self, field: dict[str, Any]) -> bool:
        if self.kind == "string":
            return self.scalar.format == "default"
        if self.kind == "date":
            return self.scalar.format == "default"
        if self.kind in ("integer", "number"):
            return not any(option in field for option in _NUMBER_OPTIONS)
        return self.kind in ("year", "boolean", "any")

    # -- constraint values in Arrow form ---------------------------------------------
    def _vector_bounds(self) -> list[tuple[str, pa.Scalar]]:
        bounds: list[tuple[str, pa.Scalar]] = []
        if not self.vectorized or self.kind not in ("integer", "number", "date", "year"):
            return bounds
        for name in BOUNDS:
            if self.scalar.constraints.get(name) is None:
                continue
            value = self.scalar.read_value(self.scalar.constraints[name])
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
        converted = [key_value(v, self.kind) for v in values if v is not None]
        return pa.array(converted, self.key_type)

    # -- per batch ------------------------------------------------------------------------
    def _missing(self, column: Column) -> Column:
        if self.scalar.missing_values == [""]:
            return pc.equal(pc.binary_length(column), 0)
        return pc.is_in(column, value_set=self.missing_set)

    def _parse(self, column: Column, missing: Column | None) -> tuple[Column, Column]:
        """(parsed values with nulls where not vouched for, vouched-for mask)."""
        present = (
            pc.invert(missing)
            if missing is not None
            else pc.not_equal(pc.binary_length(column), -1)
        )
        if self.kind in ("string", "any"):
            if missing is None:
                return column, present
            return pc.if_else(missing, pa.scalar(None, pa.string()), column), present
        if self.kind == "boolean":
            fast = pc.is_in(column, value_set=self.booleans)
            values = pc.is_in(column, value_set=self.truthy)
            return pc.if_else(fast, values, pa.scalar(None, pa.bool_())), fast
        filler = FILLERS.get(self.kind, "0")
        source = column if missing is None else pc.if_else(missing, filler, column)
        whole = self._cast_whole(column, source) if self.kind != "year" else None
        if whole is not None:  # every present cell parsed: the common, clean case
            if missing is None:
                return whole, present
            return pc.if_else(missing, pa.scalar(None, self.key_type), whole), present
        fast = pc.and_(self._canonical(column), present)
        source = pc.if_else(fast, column, filler)
        if self.kind == "date":
            try:
                parsed = pc.cast(source, pa.date32())
            except pa.ArrowInvalid:
                # Canonical-looking but not a calendar date (2021-02-30): keep the dates
                # that print back unchanged; the others go to the scalar reader.
                stamps = pc.strptime(source, format="%Y-%m-%d", unit="s", error_is_null=True)
                same = pc.fill_null(pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), source), False)
                fast = pc.and_(fast, same)
                parsed = pc.cast(pc.if_else(fast, source, filler), pa.date32())
        else:
            parsed = pc.cast(source, self.key_type)
        return pc.if_else(fast, parsed, pa.scalar(None, self.key_type)), fast

    def _canonical(self, column: Column) -> Column:
        """Spellings Arrow casts exactly as Python reads them (ASCII digits, ISO dates)."""
        if self.kind == "integer":  # -?[0-9]{1,18} without a regex: cheaper kernels
            unsigned = pc.ascii_is_decimal(column)
            negative = pc.and_(
                pc.starts_with(column, "-"),
                pc.ascii_is_decimal(pc.utf8_slice_codeunits(column, 1)),
            )
            short = pc.less_equal(pc.binary_length(column), 18)  # always inside int64
            return pc.and_(pc.or_(unsigned, negative), short)
        return pc.match_substring_regex(column, FAST_PATTERNS[self.kind])

    def _cast_whole(self, column: Column, source: Column) -> Column | None:
        """The whole column cast at once, when Arrow parses every cell.

        Arrow's integer, float and date parsers accept a subset of what int(), Decimal()
        and strptime accept, with the same value; numbers longer than 16 characters
        could order differently in float64 than in Decimal, so they take the slow road.
        """
        if self.kind in ("integer", "year") and may_hold(column, ASCII_LETTERS):
            return None  # Arrow reads 0x10 as 16; Python's int(), like frictionless, refuses it
        try:
            parsed = pc.cast(source, self.key_type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        if self.kind == "number" and longest_bytes(column) > 16:  # bytes >= characters
            longest = pc.max(pc.utf8_length(column)).as_py()
            if longest is not None and longest > 16:
                return None
        return parsed

    def _failures(self, parsed: Column) -> list[tuple[str, Column]]:
        """(constraint, mask of vouched cells failing it), in frictionless's order."""
        constraints = self.scalar.constraints
        failures: list[tuple[str, Column]] = []
        for name, bound in self.bounds:
            failures.append((name, pc.invert(pc.fill_null(_COMPARE[name](parsed, bound), True))))
        if self.kind == "string":
            lengths = None
            for name in ("minLength", "maxLength"):
                limit = constraints.get(name)
                if limit is None:
                    continue
                lengths = lengths if lengths is not None else pc.utf8_length(parsed)
                compare = pc.greater_equal if name == "minLength" else pc.less_equal
                failures.append((name, pc.invert(pc.fill_null(compare(lengths, limit), True))))
            if constraints.get("pattern") is not None:
                failures.append(("pattern", self._pattern_failures(parsed)))
        if self.enum is not None:
            inside = pc.is_in(parsed, value_set=self.enum)
            failures.append(("enum", pc.and_(pc.invert(inside), pc.is_valid(parsed))))
        order = [name for name, _ in self.scalar.checks]
        return sorted(failures, key=lambda item: order.index(item[0]))

    def _pattern_failures(self, parsed: Column) -> Column:
        compiled = re.compile("^{}$".format(self.scalar.constraints["pattern"]))
        cache = self._pattern_cache
        for value in pc.unique(parsed).to_pylist():
            if value is not None and value not in cache:
                cache[value] = bool(compiled.match(value))
        bad = [value for value, ok in cache.items() if not ok]
        return pc.is_in(parsed, value_set=pa.array(bad, pa.string()))

    def _errors_at(
        self, hits: np.ndarray, column: Column, rows: np.ndarray, note: str
    ) -> list[TableError]:
        cells = column.take(pa.array(hits)).to_pylist()
        return [
            TableError(int(rows[i]), self.name, self.number, "constraint-error", note, cell)
            for i, cell in zip(hits, cells, strict=True)
        ]

    def check(self, column: Column, rows: np.ndarray, want_keys: bool) -> ColumnResult:
        missing_mask = self._missing(column)
        missing = missing_mask if pc.any(missing_mask).as_py() else None
        errors: list[TableError] = []
        if missing is not None and self.scalar.constraints.get("required"):
            note = self.scalar.constraint_note("required")
            errors.extend(self._errors_at(true_indices(missing), column, rows, note))
        if self.free_text and not want_keys:
            return ColumnResult(errors, missing, None)
        if not self.vectorized:
            parsed: Column = pa.nulls(len(column), self.key_type)
            fast: Column = pa.array(np.zeros(len(column), dtype=bool))
        else:
            parsed, fast = self._parse(column, missing)
        for name, failed in self._failures(parsed):
            hits = true_indices(pc.and_(failed, fast))
            if len(hits):
                errors.extend(
                    self._errors_at(hits, column, rows, self.scalar.constraint_note(name))
                )
        slow = pc.invert(fast) if missing is None else pc.invert(pc.or_(fast, missing))
        slow_at = true_indices(slow)
        replacements: list[Any] = []
        if len(slow_at):
            cells = column.take(pa.array(slow_at)).to_pylist()
            for index, cell in zip(slow_at, cells, strict=True):
                value, problems = self._read_cached(cell)
                replacements.append(key_value(value, self.kind))
                errors.extend(
                    TableError(int(rows[index]), self.name, self.number, code, note, cell)
                    for code, note in problems
                )
        keys = None
        if want_keys:
            keys = parsed.combine_chunks() if isinstance(parsed, pa.ChunkedArray) else parsed
            if len(slow_at):
                mask = np.zeros(len(column), dtype=bool)
                mask[slow_at] = True
                patch = pa.array(replacements, self.key_type)
                keys = pc.replace_with_mask(keys, pa.array(mask), patch)
        return ColumnResult(errors, missing, keys)

    def values(self, column: Column) -> Column:
        """The column's values as `check` reads them, in the field's Arrow type.

        Missing cells, and cells that do not read (none in a published table), are null.
        Types without an Arrow twin (string formats, datetime, ...) keep the source text.
        """
        target = ARROW_TYPES.get(self.kind)
        missing_mask = self._missing(column)
        if target is None:
            return pc.if_else(missing_mask, pa.scalar(None, pa.string()), column)
        missing = missing_mask if pc.any(missing_mask).as_py() else None
        if self.vectorized:
            parsed, fast = self._parse(column, missing)
            done = fast if missing is None else pc.or_(fast, missing)
        else:
            parsed, done = pa.nulls(len(column), target), missing_mask
        parsed = parsed.combine_chunks() if isinstance(parsed, pa.ChunkedArray) else parsed
        slow_at = true_indices(pc.invert(done))
        if len(slow_at):
            cells = column.take(pa.array(slow_at)).to_pylist()
            patch = pa.array(
                [key_value(self._read_cached(cell)[0], self.kind) for cell in cells], target
            )
            mask = np.zeros(len(column), dtype=bool)
            mask[slow_at] = True
            parsed = pc.replace_with_mask(parsed, pa.array(mask), patch)
        return parsed

    def _read_cached(self, cell: str) -> tuple[Any, list[tuple[str, str]]]:
        """Scalar read, remembered: wrong values repeat ("n/a", a Jalali date, ...)."""
        known = self._scalar_cache.get(cell)
        if known is None:
            known = self.scalar.read(cell)
            if len(self._scalar_cache) < SCALAR_CACHE:
                self._scalar_cache[cell] = known
        return known

    def read_cell(self, cell: str | None) -> tuple[Any, list[tuple[str, str]], bool]:
        """Scalar path for irregular rows: (key value, problems, is blank)."""
        value, problems = self.scalar.read(cell)
        blank = value is None and not any(code == "type-error" for code, _ in problems)
        return key_value(value, self.kind), problems, blank
