"""Every workbook and CSV the portal writes is written through here, so none runs a formula
and no row splits in a reader.

Workbooks (the marked report, templates, .xlsx exports): a text cell is always a text cell.
openpyxl turns any string starting with `=` into a formula, so text cells are written with
an explicit string type and, when Excel would take them for a formula once edited (`=`,
`+`, `-`, `@`, tab, CR), with Excel's quote-prefix style: the text shows exactly as
published and stays text. Numbers stay numbers.

CSV for spreadsheets (`?bom=1`, the pages' downloads): no cell type exists, so a cell a
spreadsheet would run as a formula gets a leading `'` (OWASP CSV injection); a plain
number (`-12`, `+3.5`) cannot be a formula and is left alone.

Every CSV: Python's csv module quotes a field holding a line end only if that character is
part of its `lineterminator`; with `\\n` a bare CR went out unquoted and a reader split the
row there. `csv_writer` quotes such rows whatever the line ending.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl when a workbook is written: a CSV writer needs none (0.2 s)
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
# XML 1.0 cannot hold these: the C0 controls (openpyxl refuses a cell holding one), lone
# surrogates and the non-characters U+FFFE/U+FFFF (lxml refuses them when the file is saved).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text.startswith(TRIGGERS) and not _NUMBER.match(text)


def neutralise(cell: str) -> str:
    """A CSV cell for spreadsheets: `'` in front of what would run as a formula."""
    return "'" + cell if runs_as_formula(cell) else cell


def sheet_text(cell: str) -> str:
    """Text a workbook can hold: XML-safe, and isolated when it holds bidi controls.

    An isolate (FSI…PDI) keeps an uploaded U+202E from reversing what the reader sees
    around it; the characters themselves stay, as published.
    """
    text = _ILLEGAL_XML.sub("\ufffd", cell)
    return f"{FSI}{text}{PDI}" if _BIDI.search(text) else text


def safe_cell(sheet: Worksheet | WriteOnlyWorksheet, value: Any) -> Cell:
    """A cell for `sheet` holding `value`, never a formula."""
    from openpyxl.cell.cell import Cell  # see the imports above

    cell = Cell(sheet, row=1, column=1)
    if isinstance(value, str):
        text = sheet_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl bound a leading `=` as a formula
        if runs_as_formula(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def append_row(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, every value in a cell that is never a formula."""
    sheet.append([safe_cell(sheet, value) for value in values])


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """`sheet.cell(row, column, value)`, never a formula."""
    cell = sheet.cell(row, column)
    written = safe_cell(sheet, value)
    cell.value, cell.data_type = written.value, written.data_type
    if written.quotePrefix:
        cell.quotePrefix = True
    return cell


class CsvWriter:
    """`csv.writer` that quotes a row holding a CR or LF its line ending would not quote."""

    def __init__(self, handle: Any, **options: Any) -> None:
        self._plain = csv.writer(handle, **options)
        self._quoted = csv.writer(handle, **{**options, "quoting": csv.QUOTE_ALL})
        ending = str(options.get("lineterminator", "\r\n"))
        self._unsafe = tuple(end for end in ("\r", "\n") if end not in ending)

    def writerow(self, row: Iterable[Any]) -> None:
        cells = list(row)
        if self._unsafe and any(
            isinstance(c, str) and any(end in c for end in self._unsafe) for c in cells
        ):
            self._quoted.writerow(cells)
        else:
            self._plain.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: Any, **options: Any) -> CsvWriter:
    """The one way the portal writes CSV (options as for `csv.writer`)."""
    return CsvWriter(handle, **options)
