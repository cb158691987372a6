"""From workbook to package: which sheet, which cells, what is written and what is flagged."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from portal.config import Settings
from portal.intake.sheets.build import SheetOptions, build_package


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _rows(folder: Path, resource: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{resource}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_indicator_workbook_two_sheets(tmp_path: Path, settings: Settings) -> None:
    book = _book(
        tmp_path / "labour.xlsx",
        {
            "مشاهدات": [
                ["شناسه شاخص", "دوره", "استان", "مقدار"],
                ["insured", "۱۴۰۲/۹", "کل کشور", "۱۲٬۵۰۰"],
                ["insured", "1402-10", "یزد", 300],
            ],
            "شاخص‌ها": [
                ["شناسه شاخص", "نام شاخص (فارسی)", "واحد", "روش تجمیع"],
                ["insured", "بیمه‌شدگان", "نفر", "جمع"],
            ],
        },
    )
    built = build_package(
        book, tmp_path / "pkg", SheetOptions("labour"), fix=True, settings=settings
    )
    assert built.profile == "indicators"
    assert {loc.resource: loc.sheet.name for loc in built.located} == {
        "indicators": "شاخص‌ها",
        "observations": "مشاهدات",
    }
    observations = _rows(tmp_path / "pkg", "observations")
    assert [(r["period"], r["province"], r["value"]) for r in observations] == [
        ("1402-09", "IR", "12500"),
        ("1402-10", "IR-21", "300"),
    ]
    assert _rows(tmp_path / "pkg", "indicators")[0]["aggregation"] == "sum"
    descriptor = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["temporal"] == {"start": "2023-11-22", "end": "2024-01-20"}
    assert "temporal" in built.from_data


def test_merged_cells_dates_hidden_sheet_and_old_codes(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "book.xlsx"
    book = Workbook()
    visible = book.active
    assert visible is not None
    visible.title = "خلاصه"
    visible.append(["جمع کل", 3])
    sheet = book.create_sheet("داده")
    sheet.append(["شناسه طرح", "وضعیت", "استان", "عنوان طرح (فارسی)", "تاریخ شروع"])
    sheet.append(["p-1", "در حال اجرا", "IR-31", "یک", datetime(2023, 8, 8)])
    sheet.append(["p-2", None, "یزد", "دو", 45146])
    sheet.append(["p-3", None, "یزد", "سه", None])
    sheet.merge_cells("B2:B4")  # one status for three projects
    sheet.sheet_state = "hidden"
    book.save(path)
    built = build_package(path, tmp_path / "pkg", SheetOptions("b"), fix=True, settings=settings)
    rows = _rows(tmp_path / "pkg", "projects")
    assert [r["status"] for r in rows] == ["implementation"] * 3
    assert [r["start_date"] for r in rows] == ["2023-08-08", "2023-08-08", ""]
    rules = {(c.address, c.rules) for c in built.corrections}
    assert ("داده!B3", ("merged-cell", "codelist-label")) in rules
    assert ("داده!E3", ("excel-serial",)) in rules
    codes = {f.code: f for f in built.findings}
    assert codes["sheet-hidden"].severity == "warning"
    old = codes["sheet-old-province-codes"]
    assert old.severity == "error" and old.cell == "IR-31"
    missing = [f.field for f in built.findings if f.code == "sheet-missing-column"]
    assert "sector" in missing and all(missing)
    assert all(f.message["en"] and "()" not in f.message["en"] for f in built.findings)


def test_tsv_in_windows_1256(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "projects.tsv"
    text = "شناسه طرح\tوضعیت\tاستان\tعنوان طرح (فارسی)\np-1\tدر حال اجرا\tیزد\tیک\n"
    # Windows-1256 has no Persian ی/ک: such files carry the Arabic letters.
    path.write_bytes(text.replace("ی", "ي").replace("ک", "ك").encode("windows-1256"))
    built = build_package(path, tmp_path / "pkg", SheetOptions("t"), fix=True, settings=settings)
    assert _rows(tmp_path / "pkg", "projects")[0]["title_fa"] == "یک"
    assert [f.code for f in built.findings if f.code == "encoding-not-utf8"]
    assert built.addresses[("projects", 2, "status")] == "B2"


def test_a_cell_holding_a_bare_cr_stays_in_its_row(tmp_path: Path, settings: Settings) -> None:
    """Issue 21: a CR inside a title went out unquoted and readers split its row there."""
    import frictionless
    import pyarrow.csv as pacsv

    from portal.publishing.publish import validate_source

    source = tmp_path / "projects.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")  # Excel's own line ending
        writer.writerow(["شناسه طرح", "وضعیت", "استان", "عنوان طرح (فارسی)", "عنوان طرح (انگلیسی)"])
        writer.writerow(["cr-1", "در حال اجرا", "یزد", "خط اول\rخط دوم", "first\rsecond"])
        writer.writerow(["cr-2", "در حال اجرا", "یزد", "طرح دوم", "second"])
    built = build_package(
        source, tmp_path / "pkg", SheetOptions(dataset="d"), fix=True, settings=settings
    )
    written = built.folder / "data" / "projects.csv"
    assert [r["title_en"] for r in _rows(built.folder, "projects")] == ["first\rsecond", "second"]
    table = frictionless.Resource(path=str(written)).read_rows()
    assert [row["title_fa"] for row in table] == ["خط اول\rخط دوم", "طرح دوم"]
    parse = pacsv.ParseOptions(newlines_in_values=True)
    assert pacsv.read_csv(written, parse_options=parse).num_rows == 2
    report = validate_source(source, settings, sheet=SheetOptions(dataset="d")).report
    assert not [f.code for f in report.findings if f.code in ("extra-cell", "missing-cell")]
    assert report.rows_of("projects") == 2
