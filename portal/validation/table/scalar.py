"""One cell, read exactly as frictionless-py 5 reads it (types, missing values, constraints).

This is the reference the vectorized path falls back to for every cell its fast masks
do not vouch for, so the two can never disagree. Types other than the ones written
here natively (datetime, time, geopoint, ...) and string formats other than `default`
borrow frictionless's own value reader: rare in agency data, and exact by construction.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

NATIVE_TYPES = {"string", "integer", "number", "date", "boolean", "year", "any"}
SUPPORTED_CONSTRAINTS = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "boolean": ("required", "enum"),
    "any": ("required", "enum"),
}
BOUNDED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")
BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}
DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")
_NOT_DIGITS = re.compile(r"((^[^-\d]*)|(\D*$))")

ValueReader = Callable[[Any], Any]


def _integer_reader(field: dict[str, Any]) -> ValueReader:
    bare = field.get("bareNumber", True)

    def read(cell: Any) -> Any:
        if isinstance(cell, bool):
            return None
        if isinstance(cell, int):
            return cell
        if not isinstance(cell, str):
            return None
        cell = cell.strip()
        if not bare:
            cell = _NOT_DIGITS.sub("", cell)
        try:
            return int(cell)
        except (ValueError, TypeError):
            return None

    return read


def _number_reader(field: dict[str, Any]) -> ValueReader:
    bare = field.get("bareNumber", True)
    group = field.get("groupChar", "")
    decimal = field.get("decimalChar", ".")
    processed = any(key in field for key in ("groupChar", "decimalChar", "bareNumber"))
    primary: type = float if field.get("floatNumber", False) else Decimal

    def read(cell: Any) -> Any:
        if isinstance(cell, bool):
            return None
        if isinstance(cell, int | float | Decimal):
            return primary(str(cell)) if primary is Decimal else primary(cell)
        if not isinstance(cell, str):
            return None
        cell = cell.strip()
        if processed:
            if not bare:
                cell = _NOT_DIGITS.sub("", cell)
            cell = cell.replace(group, "")
            if decimal != "." and "." in cell:
                return None
            cell = cell.replace(decimal, ".")
        try:
            return primary(cell)
        except Exception:  # Decimal raises InvalidOperation, float ValueError
            return None

    return read


def _date_reader(field: dict[str, Any]) -> ValueReader:
    fmt = field.get("format", "default")
    pattern = "%Y-%m-%d" if fmt == "default" else fmt

    def read(cell: Any) -> Any:
        if isinstance(cell, datetime):
            return cell.date() if cell.time() == datetime.min.time() else None
        if isinstance(cell, date):
            return cell
        if not isinstance(cell, str):
            return None
        try:
            if fmt == "any":
                return _dateutil_date(cell)
            return datetime.strptime(cell, pattern).date()
        except Exception:
            return None

    return read


def _dateutil_date(cell: str) -> date:
    from dateutil import parser  # lazy: only for the rare format "any"

    parsed: datetime = parser.parse(cell)
    return parsed.date()


def _boolean_reader(field: dict[str, Any]) -> ValueReader:
    mapping = dict.fromkeys(field.get("trueValues", DEFAULT_TRUE), True)
    mapping.update(dict.fromkeys(field.get("falseValues", DEFAULT_FALSE), False))

    def read(cell: Any) -> Any:
        if cell is True or cell is False:
            return cell
        return mapping.get(cell) if isinstance(cell, str) else None

    return read


def _year_reader(field: dict[str, Any]) -> ValueReader:
    def read(cell: Any) -> Any:
        if not isinstance(cell, int):
            if not isinstance(cell, str) or len(cell) != 4:
                return None
            try:
                cell = int(cell)
            except ValueError:
                return None
        return cell if 0 <= cell <= 9999 else None

    return read


def _string_reader(field: dict[str, Any]) -> ValueReader:
    return lambda cell: cell if isinstance(cell, str) else None


def _borrowed_reader(field: dict[str, Any]) -> ValueReader:
    from frictionless import Field  # lazy: the fallback for rare types only

    return Field.from_descriptor(dict(field)).create_value_reader()


READERS: dict[str, Callable[[dict[str, Any]], ValueReader]] = {
    "integer": _integer_reader,
    "number": _number_reader,
    "date": _date_reader,
    "boolean": _boolean_reader,
    "year": _year_reader,
    "any": lambda field: lambda cell: cell,
}


def value_reader(field: dict[str, Any]) -> ValueReader:
    kind = field.get("type", "any")
    if kind == "string":
        if field.get("format", "default") == "default":
            return _string_reader(field)
        return _borrowed_reader(field)
    factory = READERS.get(kind)
    return factory(field) if factory else _borrowed_reader(field)


class ScalarField:
    """Reads and checks one cell of a field the way frictionless does."""

    def __init__(self, field: dict[str, Any], missing_values: list[str]) -> None:
        self.name = str(field.get("name", ""))
        self.type = str(field.get("type", "any"))
        self.format = str(field.get("format", "default"))
        self.missing_values = list(field.get("missingValues", missing_values))
        self.read_value = value_reader(field)
        self.constraints = dict(field.get("constraints") or {})
        supported = SUPPORTED_CONSTRAINTS.get(self.type, BOUNDED)
        self.checks: list[tuple[str, Callable[[Any], bool]]] = []
        for name in supported:
            value = self.constraints.get(name)
            if value is not None:
                self.checks.append((name, self._check(name, value)))

    @property
    def type_note(self) -> str:
        return f'type is "{self.type}/{self.format}"'

    def _check(self, name: str, constraint: Any) -> Callable[[Any], bool]:
        if name == "required":
            return lambda cell: not (constraint and cell is None)
        if name == "minLength":
            return lambda cell: cell is None or len(cell) >= constraint
        if name == "maxLength":
            return lambda cell: cell is None or len(cell) <= constraint
        if name == "pattern":
            compiled = re.compile(f"^{constraint}$")
            return lambda cell: cell is None or bool(compiled.match(cell))
        if name == "enum":
            allowed = [self.read_value(item) for item in constraint]
            return lambda cell: cell is None or cell in allowed
        bound = self.read_value(constraint)
        compare = BOUNDS[name]

        def within(cell: Any) -> bool:
            if cell is None:
                return True
            if cell != cell:  # NaN is outside every bound
                return False
            return bool(compare(cell, bound))

        return within

    def constraint_note(self, name: str) -> str:
        return f'constraint "{name}" is "{self.constraints[name]}"'

    def read(self, cell: str | None) -> tuple[Any, list[tuple[str, str]]]:
        """(value, [(error code, note)]) for one source cell; None for a missing cell."""
        if cell is not None and str(cell) in self.missing_values:
            cell = None
        if cell is not None:
            value = self.read_value(cell)
            if value is None:
                return None, [("type-error", self.type_note)]
        else:
            value = None
        failed = [
            ("constraint-error", self.constraint_note(name))
            for name, check in self.checks
            if not check(value)
        ]
        return value, failed
