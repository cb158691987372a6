"""A sheet as the rest of `portal.intake.sheets` sees it: cell values, formulas, merged ranges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

# Workbooks are read whole into memory; past this many rows a CSV is the way in.
MAX_SHEET_ROWS = 100_000


@dataclass
class Sheet:
    """One table of cells; rows and columns are 0-based here, 1-based in addresses."""

    name: str
    rows: list[list[Any]]
    formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    in_workbook: bool = True

    def address(self, row: int, col: int) -> str:
        cell = f"{get_column_letter(col + 1)}{row + 1}"
        return f"{self.name}!{cell}" if self.in_workbook else cell

    def column_letter(self, col: int) -> str:
        return str(get_column_letter(col + 1))

    def cell(self, row: int, col: int) -> Any:
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[col] if col < len(cells) else None


@dataclass
class Source:
    """What was read from an upload: its sheets and how its text was decoded."""

    file: str
    kind: str  # "xlsx" or "csv"
    sheets: list[Sheet]
    encoding: str = "utf-8"
