"""Reading an .xlsx with openpyxl: cached values of formulas, merged ranges, hidden sheets.

Every way a workbook can be unreadable (empty, password-protected, an old .xls, damaged,
a sheet that runs to Excel's last row) ends in its own bilingual refusal.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import openpyxl

from portal.errors import IntakeRefused, UploadTooLarge
from portal.sheets.grid import MAX_SHEET_ROWS, Sheet, Source

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_BOMB_MIN_BYTES = 1024 * 1024


def _check_zip(path: Path, max_ratio: float) -> None:
    """An .xlsx is a zip that openpyxl inflates whole: refuse a bomb before it does."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise IntakeRefused("sheets.corrupt", file=path.name) from None
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _BOMB_MIN_BYTES and ratio > max_ratio:
            raise UploadTooLarge(
                "intake.zip_bomb",
                file=f"{path.name}:{member.filename}",
                ratio=round(ratio),
                limit=round(max_ratio),
            )


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


def _load(path: Path, **options: bool) -> openpyxl.Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            return openpyxl.load_workbook(path, **options)
    except Exception:  # openpyxl fails on damaged files in many ways, none of them ours
        raise IntakeRefused("sheets.corrupt", file=path.name) from None


def _check_sizes(path: Path) -> None:
    book = _load(path, read_only=True)
    try:
        for sheet in book.worksheets:
            rows = sheet.max_row or 0
            if rows > MAX_SHEET_ROWS:
                raise IntakeRefused(
                    "sheets.too_many_rows",
                    file=path.name,
                    sheet=sheet.title,
                    rows=rows,
                    limit=MAX_SHEET_ROWS,
                )
    finally:
        book.close()


def read_workbook(path: Path, max_ratio: float) -> Source:
    _sniff(path)
    _check_zip(path, max_ratio)
    _check_sizes(path)
    values = _load(path, data_only=True)
    formulas = _load(path, data_only=False)
    sheets = []
    for sheet in values.worksheets:
        raw = formulas[sheet.title]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        found = {
            (cell.row - 1, cell.column - 1)
            for row in raw.iter_rows()
            for cell in row
            if cell.data_type == "f"
        }
        merged = [
            (r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
            for r in raw.merged_cells.ranges
        ]
        hidden = sheet.sheet_state != "visible"
        sheets.append(Sheet(sheet.title, rows, found, merged, hidden))
    return Source(path.name, "xlsx", sheets)
