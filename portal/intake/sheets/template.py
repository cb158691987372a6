"""Blank workbooks a clerk fills: the profile's columns, dropdowns, a guide and a metadata sheet.

Row 1 of a data sheet holds the column labels in the chosen language, row 2 the machine
names (also kept as defined names), so a filled template matches column by column.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from portal.errors import IntakeRefused
from portal.i18n import text
from portal.intake.sheets.columns import PROFILE_RESOURCES, columns
from portal.intake.sheets.spans import METADATA_KEYS
from portal.profiles import codelist
from portal.spreadsheet_safe import append_row, csv_writer, put

TEMPLATE_ROWS = 1000  # formats and dropdowns reach this far down the data sheet
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NAME_FONT = Font(color="808080", size=8, italic=True)
FORMATS = {"integer": "#,##0", "number": "0.0##", "date": "yyyy-mm-dd"}


def _choices(listname: str, lang: str) -> list[str]:
    return [e.name_fa if lang == "fa" else e.name_en for e in codelist(listname)]


def _lists_sheet(book: Workbook, profile: str, lang: str) -> dict[str, str]:
    """A hidden sheet of codelist labels; returns resource.field -> its range."""
    sheet = book.create_sheet(text("sheet.lists", lang))
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    position = 1
    for resource in PROFILE_RESOURCES[profile]:
        for col in columns(resource):
            if not col.codelist:
                continue
            values = _choices(col.codelist, lang)
            letter = get_column_letter(position)
            put(sheet, 1, position, f"{resource}.{col.name}")
            for row, value in enumerate(values, start=2):
                put(sheet, row, position, value)
            ranges[f"{resource}.{col.name}"] = (
                f"'{sheet.title}'!${letter}$2:${letter}${len(values) + 1}"
            )
            position += 1
    return ranges


def _data_sheet(book: Workbook, resource: str, lang: str, ranges: dict[str, str]) -> None:
    sheet = book.create_sheet(text(f"sheet.data.{resource}", lang))
    sheet.sheet_view.rightToLeft = lang == "fa"
    sheet.freeze_panes = "A3"
    last = TEMPLATE_ROWS + 2
    for index, col in enumerate(columns(resource), start=1):
        letter = get_column_letter(index)
        header = put(sheet, 1, index, col.label(lang))
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        put(sheet, 2, index, col.name).font = NAME_FONT
        sheet.column_dimensions[letter].width = max(14, len(col.label(lang)) + 4)
        book.defined_names[f"{resource}.{col.name}"] = DefinedName(
            f"{resource}.{col.name}", attr_text=f"'{sheet.title}'!${letter}$3:${letter}${last}"
        )
        number_format = FORMATS.get(col.type)
        if number_format:
            for row in range(3, last + 1):
                sheet.cell(row, index).number_format = number_format
        listed = ranges.get(f"{resource}.{col.name}")
        if listed:
            # A warning, not a stop: a code or another spelling is still accepted on upload.
            check = DataValidation(
                type="list", formula1=f"={listed}", allow_blank=True, errorStyle="warning"
            )
            check.add(f"{letter}3:{letter}{last}")
            sheet.add_data_validation(check)


def _guide_sheet(book: Workbook, profile: str, lang: str) -> None:
    sheet = book.create_sheet(text("sheet.guide", lang))
    sheet.sheet_view.rightToLeft = lang == "fa"
    append_row(sheet, [text("guide.intro", lang)])
    keys = ("column", "name", "explain", "example", "required")
    append_row(sheet, [text(f"guide.head.{key}", lang) for key in keys])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for resource in PROFILE_RESOURCES[profile]:
        for col in columns(resource):
            choices = "، ".join(_choices(col.codelist, lang)) if col.codelist else ""
            explain = col.guide(lang) + (f" ({choices})" if choices and len(choices) < 300 else "")
            required = text("guide.yes", lang) if col.required else ""
            append_row(sheet, [col.label(lang), col.name, explain, col.example, required])
    for letter, width in zip("ABCDE", (28, 24, 80, 28, 10), strict=True):
        sheet.column_dimensions[letter].width = width


def _metadata_sheet(book: Workbook, lang: str) -> Worksheet:
    sheet = book.create_sheet(text("sheet.metadata", lang))
    sheet.sheet_view.rightToLeft = lang == "fa"
    append_row(sheet, [text("meta.head.item", lang), text("meta.head.value", lang), ""])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for key in METADATA_KEYS:
        append_row(sheet, [text(f"meta.{key}", lang), "", key])
        sheet.cell(sheet.max_row, 3).font = NAME_FONT
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 90
    return sheet


def template_workbook(profile: str, lang: str) -> bytes:
    if profile not in PROFILE_RESOURCES or lang not in ("fa", "en"):
        raise IntakeRefused("template.unknown", profile=profile, lang=lang)
    book = Workbook()
    first = book.active
    ranges = _lists_sheet(book, profile, lang)
    for resource in PROFILE_RESOURCES[profile]:
        _data_sheet(book, resource, lang, ranges)
    _guide_sheet(book, profile, lang)
    _metadata_sheet(book, lang)
    if first is not None:
        book.remove(first)
    book.move_sheet(text("sheet.lists", lang), offset=len(book.sheetnames))
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_csv(profile: str, lang: str) -> bytes:
    """The first table's header (a CSV holds one table), UTF-8 with a BOM for Excel."""
    if profile not in PROFILE_RESOURCES or lang not in ("fa", "en"):
        raise IntakeRefused("template.unknown", profile=profile, lang=lang)
    resource = PROFILE_RESOURCES[profile][0]
    buffer = io.StringIO()
    csv_writer(buffer, lineterminator="\n").writerow([c.label(lang) for c in columns(resource)])
    return buffer.getvalue().encode("utf-8-sig")


def write_template(profile: str, lang: str, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".csv":
        out.write_bytes(template_csv(profile, lang))
    elif suffix == ".xlsx":
        out.write_bytes(template_workbook(profile, lang))
    else:
        raise IntakeRefused("template.file_kind", file=out.name)
