"""What a workbook or CSV upload is, before any spreadsheet reader is imported.

Validating a data package must not import openpyxl and the sheet readers (0.2 s a
command): callers ask here whether a source is a sheet, and import `portal.intake.sheets.build`
only for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SHEET_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES | {".xls"}


@dataclass
class SheetOptions:
    """What a clerk gives beside the file when no metadata sheet does."""

    dataset: str | None = None
    title_fa: str | None = None
    title_en: str | None = None
    description_fa: str | None = None
    description_en: str | None = None


def is_sheet_source(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SHEET_SUFFIXES
