"""Real workbooks and CSVs, written with openpyxl, as clerks make them (sample data)."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from portal.intake.sheets.columns import columns

LONG_FA = (
    "فهرست طرح‌های عمرانی نمونهٔ استان یزد با اعتبار، هزینه‌کرد، پیشرفت فیزیکی و تاریخ‌های هر طرح؛"
    " دادهٔ نمونه برای آزمون درگاه است و آمار رسمی نیست."
)
LONG_EN = (
    "Sample list of development projects in Yazd Province with the budget, spending, physical"
    " progress and dates of each project; sample data for testing the portal, not official figures."
)
TITLE_ROW = "فهرست طرح‌های عمرانی (دادهٔ نمونه)"
# Persian headers in an order of the clerk's own, two typed with Arabic ي/ك.
CLERK_HEADERS = [
    ("status", "وضعيت"),
    ("id", "شناسه طرح"),
    ("title_fa", "عنوان طرح (فارسی)"),
    ("province", "استان"),
    ("county", "شهرستان"),
    ("sector", "بخش"),
    ("type", "نوع طرح"),
    ("budget_irr", "اعتبار (ریال)"),
    ("spent_irr", "هزینه‌کرد (ریال)"),
    ("physical_progress_pct", "پیشرفت فیزیکی (درصد)"),
    ("start_date", "تاریخ شروع"),
    ("planned_end_date", "تاریخ پایان برنامه‌ریزی‌شده"),
    ("title_en", "عنوان طرح (انگلیسی)"),
    ("actual_end_date", "تاریخ پایان واقعی"),
    ("inauguration_date", "تاریخ افتتاح"),
    ("beneficiaries", "تعداد بهره‌برداران"),
    ("jobs_created", "اشتغال ایجادشده"),
    ("contractor", "پیمانکار"),
    ("latitude", "عرض جغرافیایی"),
    ("longitude", "طول جغرافیایی"),
    ("updated", "تاریخ به‌روزرسانی"),
]
CLERK_ROWS: list[dict[str, Any]] = [
    {
        "status": "در حال اجرا",
        "id": "yazd-sample-001",
        "title_fa": "بهسازي محور ميبد",
        "province": "يزد",
        "county": "ميبد",
        "sector": "حمل‌ونقل جاده‌ای",
        "type": "بازسازی",
        "budget_irr": "۱۲۰٬۰۰۰٬۰۰۰٬۰۰۰",
        "spent_irr": "۴۵٬۰۰۰٬۰۰۰٬۰۰۰",
        "physical_progress_pct": "۳۵٫۵",
        "start_date": "۱۴۰۲/۰۵/۱۷",
        "planned_end_date": "۱۴۰۴/۰۶/۳۰",
        "title_en": "Meybod road upgrade",
        "beneficiaries": 25000,
        "jobs_created": 120,
        "contractor": "شرکت نمونه",
        "latitude": 32.25,
        "longitude": 54.02,
        "updated": "۱۴۰۵/۰۷/۳۰",
    },
    {
        "status": "تکمیل‌شده",
        "id": "yazd-sample-002",
        "title_fa": "احداث پل اردکان",
        "province": "استان یزد",
        "county": "اردکان",
        "sector": "Road transport",
        "type": "احداث",
        "budget_irr": "۸۰٬۰۰۰٬۰۰۰٬۰۰۰",
        "spent_irr": None,  # a formula: =H4*0.9, cached 72000000000
        "physical_progress_pct": 100,
        "start_date": "۱۴۰۱/۰۲/۰۱",
        "planned_end_date": "۱۴۰۳/۰۱/۱۵",
        "title_en": "Ardakan bridge",
        "actual_end_date": "۱۴۰۳/۰۲/۲۰",
        "inauguration_date": "۱۴۰۳/۰۳/۰۱",
        "beneficiaries": 40000,
        "jobs_created": 80,
        "contractor": "شرکت نمونه",
        "latitude": 32.31,
        "longitude": 54.02,
        "updated": "۱۴۰۵/۰۷/۳۰",
    },
    {
        "status": "در حال اجرا",
        "id": "yazd-sample-003",
        "title_fa": "مسکن اجتماعی تفت",
        "province": "یزد",
        "county": "تفت",
        "sector": "مسکن اجتماعی",
        "type": "احداث",
        "budget_irr": "1,500,000,000,000",
        "spent_irr": "۳۰۰٬۰۰۰٬۰۰۰٬۰۰۰",
        "physical_progress_pct": "۲۰",
        "start_date": "1403-01-15",
        "planned_end_date": "۱۴۰۶/۱۲/۲۹",
        "title_en": "Taft social housing",
        "beneficiaries": 3000,
        "jobs_created": 200,
        "contractor": "شرکت نمونه",
        "latitude": 31.74,
        "longitude": 54.2,
        "updated": "۱۴۰۵/۰۷/۳۰",
    },
]
FORMULA_CELL = ("I", 4, "H4*0.9", 72000000000)  # column, row, formula, cached value


def _cached_formula(path: Path, sheet_index: int, cell: str, formula: str, value: Any) -> None:
    """openpyxl writes a formula without its last value; Excel keeps both. Add it, as Excel."""
    member = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    xml = parts[member].decode("utf-8")
    pattern = re.compile(rf'<c r="{cell}"[^>]*>.*?</c>', re.S)
    xml, count = pattern.subn(f'<c r="{cell}"><f>{formula}</f><v>{value}</v></c>', xml)
    assert count == 1, xml[:500]
    parts[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def clerk_workbook(path: Path) -> Path:
    """A notes sheet first, then `طرح‌ها`: a merged title row, Persian headers, Persian input."""
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "یادداشت"
    notes.append(["این کارپوشه را واحد آمار پر کرده است (دادهٔ نمونه)."])
    sheet = book.create_sheet("طرح‌ها")
    sheet.sheet_view.rightToLeft = True
    sheet.append([TITLE_ROW])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CLERK_HEADERS))
    sheet.append([label for _, label in CLERK_HEADERS])
    for row in CLERK_ROWS:
        sheet.append([row.get(name) for name, _ in CLERK_HEADERS])
    column, row_number, formula, _ = FORMULA_CELL
    sheet[f"{column}{row_number}"] = f"={formula}"
    book.save(path)
    _cached_formula(path, 2, f"{column}{row_number}", formula, FORMULA_CELL[3])
    return path


def valid_rows() -> list[dict[str, str]]:
    """The clerk's rows as canonical values (what the published CSV must hold)."""
    return [
        {
            "id": "yazd-sample-001",
            "status": "implementation",
            "province": "IR-21",
            "sector": "transport.road",
            "type": "rehabilitation",
            "title_fa": "بهسازی محور میبد",
            "county": "میبد",
            "budget_irr": "120000000000",
            "start_date": "2023-08-08",
        },
        {
            "id": "yazd-sample-002",
            "status": "completion",
            "province": "IR-21",
            "sector": "transport.road",
            "spent_irr": "72000000000",
        },
        {"id": "yazd-sample-003", "sector": "socialHousing", "budget_irr": "1500000000000"},
    ]


def filled_template(template: Path, out: Path) -> Path:
    """The downloaded template with valid canonical values and its metadata sheet filled in."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    names = [c.name for c in columns("projects")]
    assert [cell.value for cell in sheet[2]] == names
    row = {
        "id": "tpl-001",
        "title_fa": "بهسازی محور میبد",
        "title_en": "Meybod road upgrade",
        "sector": "حمل‌ونقل جاده‌ای" if sheet.sheet_view.rightToLeft else "Road transport",
        "type": "rehabilitation",
        "status": "implementation",
        "province": "IR-21",
        "county": "میبد",
        "budget_irr": 120000000000,
        "spent_irr": 45000000000,
        "physical_progress_pct": 35.5,
        "start_date": date(2023, 8, 8),
        "planned_end_date": date(2027, 9, 21),
        "beneficiaries": 25000,
        "jobs_created": 120,
        "contractor": "شرکت نمونه",
        "latitude": 32.25,
        "longitude": 54.02,
        "updated": date(2026, 10, 21),
    }
    for position, name in enumerate(names, start=1):
        sheet.cell(3, position, row.get(name))
    meta = book.worksheets[2]
    values = {
        "name": "template-round-trip",
        "title_fa": "طرح‌های نمونه از الگو",
        "title_en": "Sample projects from the template",
        "description_fa": LONG_FA,
        "description_en": LONG_EN,
        "temporal_start": "2023-08-08",
        "temporal_end": "2026-10-21",
    }
    for cells in meta.iter_rows(min_row=2):
        key = cells[2].value
        if key in values:
            cells[1].value = values[key]
    book.save(out)
    return out


def clerk_filled_template(template: Path, out: Path) -> Path:
    """The downloaded template filled as a clerk does: Persian digits, Jalali dates, names."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    names = [cell.value for cell in sheet[2]]
    for offset, row in enumerate(CLERK_ROWS):
        values = {**row, "spent_irr": row["spent_irr"] or "۷۲٬۰۰۰٬۰۰۰٬۰۰۰"}
        for position, name in enumerate(names, start=1):
            sheet.cell(3 + offset, position, values.get(str(name)))
    meta = book.worksheets[2]
    answers = {
        "name": "yazd-sheet-projects",
        "title_fa": "طرح‌های عمرانی یزد از کارپوشه (نمونه)",
        "title_en": "Yazd development projects from a workbook (sample)",
        "description_fa": LONG_FA,
        "description_en": LONG_EN,
    }
    for cells in meta.iter_rows(min_row=2):
        if cells[2].value in answers:
            cells[1].value = answers[str(cells[2].value)]
    book.save(out)
    return out
