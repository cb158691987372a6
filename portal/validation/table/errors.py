"""The structural layer's raw error record: cheap to make by the hundred thousand."""

from __future__ import annotations

from typing import NamedTuple


class TableError(NamedTuple):
    """One frictionless-style error: row and field number as frictionless numbers them."""

    row: int | None
    field: str | None
    field_number: int | None
    code: str
    note: str
    cell: str
