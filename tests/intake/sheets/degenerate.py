"""Uploads that are not tables a clerk meant to send, each written for real."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from portal.intake.sheets.workbook import OLE_MAGIC


def _zero_csv(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def _zero_xlsx(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def _header_only(folder: Path) -> Path:
    path = folder / "header.csv"
    path.write_text("شناسه طرح,وضعیت,استان\n", encoding="utf-8")
    return path


def _header_only_book(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["شناسه طرح", "وضعیت", "استان", "عنوان طرح (فارسی)"])
    path = folder / "header.xlsx"
    book.save(path)
    return path


def _one_column(folder: Path) -> Path:
    path = folder / "one.csv"
    path.write_text("شناسه طرح\nyazd-1\nyazd-2\n", encoding="utf-8")
    return path


def _no_data_sheet(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "بودجه"
    sheet.append(["سال", "مبلغ", "توضیح"])
    sheet.append([1402, 1000, "نمونه"])
    path = folder / "other.xlsx"
    book.save(path)
    return path


def _encrypted(folder: Path) -> Path:
    # What Excel writes for a password: an OLE container holding an EncryptedPackage stream.
    path = folder / "locked.xlsx"
    body = bytearray(4096)
    name = "EncryptedPackage".encode("utf-16-le")
    body[1024 : 1024 + len(name)] = name
    path.write_bytes(OLE_MAGIC + bytes(body))
    return path


def _corrupt(folder: Path) -> Path:
    book = Workbook()
    book.save(folder / "whole.xlsx")
    data = (folder / "whole.xlsx").read_bytes()
    path = folder / "broken.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _not_a_zip(folder: Path) -> Path:
    path = folder / "text.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    return path


def _full_sheet(folder: Path) -> Path:
    """Data at the top and a stray value in Excel's last row: 1,048,576 rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["شناسه طرح", "وضعیت", "استان"])
    sheet.append(["yazd-1", "در حال اجرا", "یزد"])
    sheet.cell(row=1_048_576, column=1, value="x")
    path = folder / "full.xlsx"
    book.save(path)
    return path


# name -> (writer, refusal key)
DEGENERATE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zero-byte csv": (_zero_csv, "sheets.empty_file"),
    "zero-byte xlsx": (_zero_xlsx, "sheets.empty_file"),
    "header only csv": (_header_only, "sheets.header_only"),
    "header only xlsx": (_header_only_book, "sheets.header_only"),
    "one column": (_one_column, "sheets.one_column"),
    "no data sheet": (_no_data_sheet, "sheets.no_data_sheet"),
    "password": (_encrypted, "sheets.encrypted"),
    "corrupt xlsx": (_corrupt, "sheets.corrupt"),
    "not a zip": (_not_a_zip, "sheets.corrupt"),
    "1048576 rows": (_full_sheet, "sheets.too_many_rows"),
}


# Hostile workbooks, written from raw XML in a zip as an attacker would (openpyxl would not
# write most of them). On a reader without bounds the first ones abort the process.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>شناسه طرح</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>وضعیت</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>استان</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>yazd-1</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>در حال اجرا</t></is></c>'
    '<c r="C2" t="inlineStr"><is><t>یزد</t></is></c></row>'
)


def sheet_xml(rows: str, after: str = "", dimension: str = "") -> str:
    """A worksheet part: `rows` inside sheetData, `after` (merged cells) behind it."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
        f"{head}<sheetData>{rows}</sheetData>{after}</worksheet>"
    )


def raw_workbook(path: Path, sheets: list[str], extra: dict[str, bytes] | None = None) -> Path:
    """An .xlsx holding exactly these worksheet parts (and `extra` members), nothing else."""
    count = range(1, len(sheets) + 1)
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
        for i in count
    )
    book = "".join(f'<sheet name="s{i}" sheetId="{i}" r:id="rId{i}"/>' for i in count)
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in count
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'{_XML_HEAD}<Types xmlns="{_CONTENT_TYPES}">'
            f'<Default Extension="rels" ContentType="{_RELS_TYPE}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_BOOK_TYPE}"/>{types}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
            f"<sheets>{book}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">{links}</Relationships>',
        )
        for i, sheet in zip(count, sheets, strict=True):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _far_cell(folder: Path) -> Path:
    """Issue 21: one cell at XFD90000 made calamine ask for 47,185,920,000 bytes."""
    far = '<row r="90000"><c r="XFD90000"><v>1</v></c></row>'
    return raw_workbook(folder / "far.xlsx", [sheet_xml(HEADER_ROW + far)])


def _far_corner(folder: Path) -> Path:
    """Within the row and column limits, but 99,999 x 500 cells as one rectangle."""
    far = '<row r="99999"><c r="SF99999"><v>1</v></c></row>'
    return raw_workbook(folder / "corner.xlsx", [sheet_xml(HEADER_ROW + far)])


def _far_positional(folder: Path) -> Path:
    """The same reach with no cell reference: calamine counts cells along the row."""
    far = '<row r="90000">' + "".join(f"<c><v>{i}</v></c>" for i in range(16384)) + "</row>"
    return raw_workbook(folder / "positional.xlsx", [sheet_xml(HEADER_ROW + far)])


def _far_prefixed(folder: Path) -> Path:
    """Elements under a namespace prefix: calamine reads local names."""
    far = f'<x:row xmlns:x="{_MAIN}" r="90000"><x:c r="XFD90000"><x:v>1</x:v></x:c></x:row>'
    return raw_workbook(folder / "prefixed.xlsx", [sheet_xml(HEADER_ROW + far)])


def _far_single_quoted(folder: Path) -> Path:
    far = "<row r='90000'><c r='XFD90000'><v>1</v></c></row>"
    return raw_workbook(folder / "quoted.xlsx", [sheet_xml(HEADER_ROW + far)])


def _second_reference(folder: Path) -> Path:
    """A second `r` on one cell: not XML, but calamine takes the far one."""
    far = '<row r="3"><c r="A3" r="XFD90000"><v>1</v></c></row>'
    return raw_workbook(folder / "twice.xlsx", [sheet_xml(HEADER_ROW + far)])


def _unbalanced(folder: Path) -> Path:
    """End tags that do not match: calamine's reader does not check them."""
    far = '<row r="90000"><c r="XFD90000"><v>1</v></cell></row>'
    return raw_workbook(folder / "unbalanced.xlsx", [sheet_xml(HEADER_ROW + far)])


def _merged_far(folder: Path) -> Path:
    """Issue 21: `<mergeCell ref="A3:XFD99999"/>` grew without bound."""
    merged = '<mergeCells count="1"><mergeCell ref="A3:XFD99999"/></mergeCells>'
    return raw_workbook(folder / "merged.xlsx", [sheet_xml(HEADER_ROW, merged)])


def _merged_many(folder: Path) -> Path:
    """Merged ranges inside the limits that still cover 300,000 cells."""
    merged = '<mergeCells count="1"><mergeCell ref="A3:J30002"/></mergeCells>'
    return raw_workbook(folder / "merged-many.xlsx", [sheet_xml(HEADER_ROW, merged)])


def _eighty_sheets(folder: Path) -> Path:
    """Issue 21: 80 sheets of ~1 MB of XML without <dimension>, a ~350 KB upload."""
    filler = "<row><c><v>0</v></c></row>" * 40_000
    sheets = [sheet_xml(HEADER_ROW + filler)] * 80
    return raw_workbook(folder / "eighty.xlsx", sheets)


def honest_sheets(folder: Path, count: int = 80) -> Path:
    """80 sheets of ~1 MB of varied XML without <dimension> (6 MB, no zip-bomb ratio): openpyxl
    parsed each one whole just to learn its size."""
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{c}{r}"><v>{r * 7 + i}</v></c>' for i, c in enumerate("ABCDEFGHIJ"))
        + "</row>"
        for r in range(3, 4000)
    )
    return raw_workbook(folder / "honest-sheets.xlsx", [sheet_xml(HEADER_ROW + rows)] * count)


def _many_sheets(folder: Path) -> Path:
    return raw_workbook(folder / "sheets.xlsx", [sheet_xml(HEADER_ROW)] * 80)


def _small_bomb(folder: Path) -> Path:
    """A member under 1 MB that inflates 900 times (such members skipped the ratio check)."""
    strings = f'<sst xmlns="{_MAIN}">' + " " * 900_000 + "</sst>"
    extra = {"xl/sharedStrings.xml": strings.encode()}
    return raw_workbook(folder / "small-bomb.xlsx", [sheet_xml(HEADER_ROW)], extra)


# name -> (writer, refusal key); each is refused before calamine or openpyxl reads a cell.
HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "cell at XFD90000": (_far_cell, "sheets.too_many_columns"),
    "cell at SF99999": (_far_corner, "sheets.too_many_cells"),
    "positional cells to XFD90000": (_far_positional, "sheets.too_many_columns"),
    "prefixed cell at XFD90000": (_far_prefixed, "sheets.too_many_columns"),
    "single-quoted XFD90000": (_far_single_quoted, "sheets.too_many_columns"),
    "second r attribute": (_second_reference, "sheets.too_many_columns"),
    "unbalanced end tags": (_unbalanced, "sheets.too_many_columns"),
    "merged A3:XFD99999": (_merged_far, "sheets.merged_too_far"),
    "merged 300,000 cells": (_merged_many, "sheets.too_many_merged"),
    "80 sheets of 1 MB": (_eighty_sheets, "intake.zip_bomb"),
    "80 small sheets": (_many_sheets, "sheets.too_many_sheets"),
    "80 sheets of 1 MB, honest ratio": (honest_sheets, "sheets.too_many_sheets"),
    "small zip bomb member": (_small_bomb, "intake.zip_bomb"),
}
