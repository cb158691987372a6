"""Issue 21: every workbook and CSV the portal writes runs no formula and splits no row."""

from __future__ import annotations

import csv
import io
import re
from importlib.resources import files
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv
import pytest
from openpyxl import Workbook, load_workbook

from portal.api.exports.formats import write_xlsx
from portal.intake.sheets.columns import PROFILE_RESOURCES
from portal.intake.sheets.template import template_workbook
from portal.spreadsheet_safe import append_row, csv_writer, neutralise, put
from portal.web.page_export import xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


def formula_cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_text_cells_are_never_formulas_and_show_as_written() -> None:
    for write_only in (True, False):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("t")
        append_row(sheet, [*HOSTILE, 12, -3.5, "-12", "plain"])
        buffer = io.BytesIO()
        book.save(buffer)
        assert formula_cells(buffer.getvalue()) == []
        row = next(load_workbook(buffer)["t"].iter_rows())
        assert [c.value for c in row] == [*HOSTILE, 12, -3.5, "-12", "plain"]
        assert [c.data_type for c in row[: len(HOSTILE)]] == ["s"] * len(HOSTILE)
        assert all(c.quotePrefix for c in row[: len(HOSTILE)])  # stays text when edited
        assert not any(c.quotePrefix for c in row[len(HOSTILE) :])


def test_put_writes_text_as_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    assert put(sheet, 2, 3, "=1+1").data_type == "s" and sheet["C2"].value == "=1+1"


@pytest.mark.parametrize(
    ("profile", "lang"), [(p, lang) for p in PROFILE_RESOURCES for lang in ("fa", "en")]
)
def test_templates_hold_no_formula(profile: str, lang: str) -> None:
    assert formula_cells(template_workbook(profile, lang)) == []


def test_exports_of_hostile_rows_hold_no_formula(tmp_path: Path) -> None:
    target = tmp_path / "p.xlsx"
    rows = iter([["title_en", "budget_irr"], *[[cell, "5"] for cell in HOSTILE]])
    write_xlsx(
        rows,
        {"name": "p", "schema": {"fields": [{"name": "budget_irr", "type": "integer"}]}},
        target,
        "p.xlsx",
    )
    assert formula_cells(target.read_bytes()) == []
    frame = pd.DataFrame({"id": ["a"] * len(HOSTILE), "title_fa": HOSTILE})
    page = xlsx(frame, "projects")
    assert formula_cells(page) == []
    shown = [
        row[1]
        for row in load_workbook(io.BytesIO(page)).active.iter_rows(min_row=2, values_only=True)
    ]  # type: ignore[union-attr]
    assert shown == HOSTILE


def test_csv_cells_for_spreadsheets_are_neutralised() -> None:
    assert [neutralise(c) for c in HOSTILE] == ["'" + c for c in HOSTILE]
    assert [neutralise(c) for c in ("-12", "+3.5", "1e5", "text")] == ["-12", "+3.5", "1e5", "text"]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_cell_holding_a_line_end_stays_in_its_row(ending: str) -> None:
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator=ending)
    writer.writerows([["id", "title"], ["1", "first\rsecond"], ["2", "a\nb"], ["3", "plain"]])
    text = buffer.getvalue()
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [["id", "title"], ["1", "first\rsecond"], ["2", "a\nb"], ["3", "plain"]]
    parse = pacsv.ParseOptions(newlines_in_values=True)
    table = pacsv.read_csv(io.BytesIO(text.encode()), parse_options=parse)
    assert table.column("title").to_pylist() == ["first\rsecond", "a\nb", "plain"]


def test_no_module_writes_csv_but_through_the_helper() -> None:
    """One way to write CSV: a `csv.writer` elsewhere would bring the bare-CR split back."""
    root = Path(str(files("portal")))
    direct = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "spreadsheet_safe.py" and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_character_xml_cannot_hold_becomes_a_replacement_mark() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("t")
    append_row(sheet, ["a\ufffeb", "c\uffffd", "e\x01f", "g\ud800h"])
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(load_workbook(buffer)["t"].iter_rows(values_only=True))
    assert row == ("a\ufffdb", "c\ufffdd", "e\ufffdf", "g\ufffdh")
