"""Uploads that are not tables a clerk meant to send, each written for real."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from portal.sheets.workbook import OLE_MAGIC


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
