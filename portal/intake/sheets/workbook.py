"""Reading an .xlsx: values with python-calamine (fast, Rust), formulas flagged from the
sheet's own XML, merged ranges and hidden sheets from the workbook.

A formula cell is read as the value Excel last calculated and flagged. Every way a
workbook can be unreadable (empty, password-protected, an old .xls, damaged, a bomb, a
sheet that reaches too far: `portal.intake.sheets.extent`, checked before calamine allocates)
ends in its own bilingual refusal.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from portal.errors import IntakeRefused
from portal.intake.sheets.extent import WorkbookLimits, check_workbook
from portal.intake.sheets.grid import Sheet, Source

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _sniff(path: Path) -> None:
    head = path.read_bytes()[:8] if path.stat().st_size else b""
    if not head:
        raise IntakeRefused("sheets.empty_file", file=path.name)
    if head == OLE_MAGIC:
        # Excel wraps a password-protected .xlsx in an OLE container, as it does an .xls.
        key = "sheets.encrypted" if ENCRYPTED_STREAM in path.read_bytes() else "sheets.old_xls"
        raise IntakeRefused(key, file=path.name)
    if not zipfile.is_zipfile(path):
        raise IntakeRefused("sheets.corrupt", file=path.name)


def _formulas(archive: zipfile.ZipFile, part: str) -> set[tuple[int, int]]:
    """Cells holding a formula (`<c r="I4"><f>…</f><v>…</v></c>`), 0-based."""
    try:
        data = archive.read(part.lstrip("/"))
    except KeyError:
        return set()
    if b"<f" not in data and b":f" not in data:
        return set()
    found = set()
    with archive.open(part.lstrip("/")) as handle:
        for _, element in iterparse(handle):
            if element.tag == f"{_MAIN}c":
                if element.find(f"{_MAIN}f") is not None and element.get("r"):
                    letters, row = coordinate_from_string(str(element.get("r")))
                    found.add((row - 1, column_index_from_string(letters) - 1))
                element.clear()
    return found


def read_workbook(path: Path, limits: WorkbookLimits) -> Source:
    """The workbook's sheets, once its zip and its sheets' reach are known to be bounded."""
    _sniff(path)
    parts = check_workbook(path, limits)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        with zipfile.ZipFile(path) as archive:
            for meta in book.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                grid = book.get_sheet_by_name(meta.name)
                rows = [list(row) for row in grid.to_python(skip_empty_area=False)]
                merged = [(a[0], a[1], b[0], b[1]) for a, b in grid.merged_cell_ranges or []]
                formulas = _formulas(archive, parts.get(meta.name, ""))
                hidden = meta.visible != SheetVisibleEnum.Visible
                sheets.append(Sheet(meta.name, rows, formulas, merged, hidden))
        book.close()
    except IntakeRefused:
        raise
    except (ParseError, zipfile.BadZipFile, OSError, ValueError) as error:
        raise IntakeRefused("sheets.corrupt", file=path.name) from error
    except Exception:  # calamine's own errors on a damaged part all mean "corrupt"
        raise IntakeRefused("sheets.corrupt", file=path.name) from None
    return Source(path.name, "xlsx", sheets)
