"""Labels against schema fields, as frictionless does with `fieldsMatch: exact` (the default).

Each label pairs with the field at its position; a label beyond the schema gets an
`any` field named after it, and fields beyond the labels are dropped from the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.validation.table.errors import TableError


@dataclass(frozen=True)
class HeaderResult:
    expected: list[dict[str, Any]]
    errors: list[TableError]


def check_header(labels: list[str], fields: list[dict[str, Any]]) -> HeaderResult:
    if not labels:
        return HeaderResult([], [TableError(None, None, None, "blank-header", "", "")])
    expected: list[dict[str, Any]] = []
    used: set[str] = set()
    for position, label in enumerate(labels):
        if position < len(fields):
            expected.append(fields[position])
            used.add(str(fields[position].get("name", "")))
            continue
        name, suffix = label, 2  # a label with no field gets an `any` field, renamed if taken
        while name in used:
            name, suffix = f"{label}{suffix}", suffix + 1
        used.add(name)
        expected.append({"name": name, "type": "any"})
    errors: list[TableError] = []
    for number, label in enumerate(labels[len(fields) :], start=len(fields) + 1):
        errors.append(TableError(None, label, number, "extra-label", "", label))
    for offset, field in enumerate(fields[len(labels) :]):
        name = str(field.get("name", ""))
        errors.append(TableError(None, name, len(labels) + offset + 1, "missing-label", "", ""))
    for number, (field, label) in enumerate(zip(fields, labels, strict=False), start=1):
        name = str(field.get("name", ""))
        if not label:
            errors.append(TableError(None, name, number, "blank-label", "", ""))
            continue
        earlier = [str(n) for n, seen in enumerate(labels[: number - 1], start=1) if seen == label]
        if earlier:
            note = 'at position "{}"'.format(", ".join(earlier))
            errors.append(TableError(None, name, number, "duplicate-label", note, label))
        elif label != name:
            errors.append(TableError(None, name, number, "incorrect-label", "", label))
    return HeaderResult(expected, errors)
