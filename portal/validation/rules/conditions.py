"""Declarative conditions of the rule packs, evaluated on Arrow columns.

    {field: status, op: in, value: [completion, maintenance]}
    {any: [...]} / {all: [...]} / {not: {...}}

Operators: present, absent, ==, !=, <, <=, >, >=, in, not_in. A comparison with an
empty cell is false, so a rule never fires on what is not there.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

_COMPARISONS = {
    "==": pc.equal,
    "!=": pc.not_equal,
    "<": pc.less,
    "<=": pc.less_equal,
    ">": pc.greater,
    ">=": pc.greater_equal,
}


def evaluate(condition: dict[str, Any], columns: dict[str, Any], length: int) -> Any:
    """A boolean Arrow array (no nulls): where `condition` holds."""
    for word, combine in (("any", pc.or_), ("all", pc.and_)):
        if word in condition:
            masks = [evaluate(c, columns, length) for c in condition[word]]
            return reduce(combine, masks)
    if "not" in condition:
        return pc.invert(evaluate(condition["not"], columns, length))
    column = columns.get(condition["field"])
    if column is None:
        return pa.array([False] * length)
    op = condition["op"]
    if op == "present":
        return pc.is_valid(column)
    if op == "absent":
        return pc.is_null(column)
    value = condition.get("value")
    if op in ("in", "not_in"):
        inside = pc.is_in(column, value_set=pa.array(value, column.type))
        inside = pc.and_(inside, pc.is_valid(column))
        return inside if op == "in" else pc.and_(pc.invert(inside), pc.is_valid(column))
    return pc.fill_null(_COMPARISONS[op](column, pa.scalar(value).cast(column.type)), False)
