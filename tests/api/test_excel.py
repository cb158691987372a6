"""Excel-ready workbooks (issue 23): `…/{resource}.xlsx[?lang=fa|en]`, and `?form=raw`."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import jdatetime
import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from starlette.testclient import TestClient

from portal.api.exports.excel import _published
from portal.config import Settings
from portal.persian import to_persian_digits
from portal.profiles import codelist_names
from portal.publishing.publish import publish
from portal.store import Store, catalog
from tests.packages import copy_sample, set_cell

BASE = "/download/mrud-yazd/infrastructure-projects/1/projects"
FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def published(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> Store:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "contractor", FORMULA)
    publish(store, folder, settings, token=yazd_token)
    return store


def book(client: TestClient, query: str) -> Workbook:
    answer = client.get(f"{BASE}.xlsx?{query}")
    assert answer.status_code == 200, answer.text
    return load_workbook(io.BytesIO(answer.content))


def published_rows(client: TestClient) -> list[dict[str, str]]:
    import csv

    text = client.get(f"{BASE}.csv").content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_persian_workbook_reads_right_to_left_with_names_dates_and_amounts(
    client: TestClient, published: Store
) -> None:
    workbook = book(client, "lang=fa")
    data, source = workbook.worksheets
    assert workbook.sheetnames == ["داده‌ها", "منبع"]
    assert data.sheet_view.rightToLeft and data.freeze_panes == "A2"
    header = [c.value for c in data[1]]
    assert header[:2] == ["شناسه طرح", "عنوان طرح (فارسی)"]
    assert "وضعیت (نام)" in header and "تاریخ شروع (شمسی)" in header
    rows = published_rows(client)
    first = {h: c for h, c in zip(header, data[2], strict=True)}
    assert first["وضعیت"].value == rows[0]["status"]  # the code, as published
    status = codelist_names("project_statuses")[rows[0]["status"]]
    assert first["وضعیت (نام)"].value == status.name_fa
    assert first["استان (نام)"].value == "یزد"
    budget = first["اعتبار (ریال)"]
    assert budget.value == int(rows[0]["budget_irr"]) and budget.number_format == "#,##0"
    start = first["تاریخ شروع"]
    assert isinstance(start.value, datetime) and start.number_format == "yyyy-mm-dd"
    assert start.value.date().isoformat() == rows[0]["start_date"]
    jalali = jdatetime.date.fromgregorian(date=start.value.date()).strftime("%Y/%m/%d")
    assert first["تاریخ شروع (شمسی)"].value == to_persian_digits(jalali)
    contractor = first["پیمانکار"]  # formula-safe: the text as published, in a text cell
    assert contractor.value == FORMULA and contractor.data_type == "s" and contractor.quotePrefix
    assert data.column_dimensions["B"].width > 20  # titles get room
    said = {row[0]: row[1] for row in source.iter_rows(values_only=True) if row[0]}
    version = catalog.version(published.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    assert said["sha256 پروندهٔ منتشرشده"] == version.resources[0].sha256
    assert said["نسخه"] == 1 and "Creative Commons" in said["پروانه"]
    assert said["نشانی پروندهٔ منتشرشده"].endswith(f"{BASE}.csv")
    assert "آمار رسمی نیستند" in said["توجه"]
    assert said["وضعیت (نام)"] == "status"  # which column is which published field


def test_english_workbook_and_filters(client: TestClient, published: Store) -> None:
    workbook = book(client, "lang=en&status=completion")
    data, source = workbook.worksheets
    assert workbook.sheetnames == ["data", "source"] and not data.sheet_view.rightToLeft
    header = [c.value for c in data[1]]
    assert header[:2] == ["Project ID", "Title (Persian)"]
    values = list(data.iter_rows(min_row=2, values_only=True))
    expected = [r for r in published_rows(client) if r["status"] == "completion"]
    assert len(values) == len(expected) > 0
    assert {row[header.index("Status (name)")] for row in values} == {"Completion"}
    said = {row[0]: row[1] for row in source.iter_rows(values_only=True) if row[0]}
    assert said["Rows chosen by"] == "status=completion"


def test_other_languages_are_refused_in_both(client: TestClient, published: Store) -> None:
    answer = client.get(f"{BASE}.xlsx?lang=de")
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert "lang=fa" in message["en"] and "de" in message["fa"]


def test_plain_xlsx_is_the_persian_excel_ready_workbook(
    client: TestClient, published: Store
) -> None:
    """The issue: `.xlsx` with `?lang=fa|en`, default fa."""
    plain, persian = book(client, ""), book(client, "lang=fa")
    assert plain.sheetnames == persian.sheetnames == ["داده‌ها", "منبع"]
    assert plain.worksheets[0].sheet_view.rightToLeft
    values = [[list(sheet.values) for sheet in b.worksheets] for b in (plain, persian)]
    assert values[0] == values[1]


def test_raw_form_stays_the_machine_readable_sheet(client: TestClient, published: Store) -> None:
    workbook = book(client, "form=raw&status=completion")
    assert len(workbook.worksheets) == 1
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["id", "title_fa"]
    expected = [r for r in published_rows(client) if r["status"] == "completion"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        r["id"] for r in expected
    ]


def test_other_forms_are_refused_in_both(client: TestClient, published: Store) -> None:
    answer = client.get(f"{BASE}.xlsx?form=pretty")
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert "form=raw" in message["en"] and "pretty" in message["fa"]


def test_a_cached_old_plain_workbook_is_not_revalidated(
    client: TestClient, published: Store
) -> None:
    """Before, plain `.xlsx` was the machine-readable sheet under a tag made of the file's
    sha256 and the address: a cache holding it must get the new workbook, not a 304."""
    version = catalog.version(published.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    sha = version.resources[0].sha256
    old_variant = hashlib.sha256(repr((f"{BASE}.xlsx", [])).encode()).hexdigest()[:16]
    old_tag = f'W/"{sha}-{old_variant}"'
    answer = client.get(f"{BASE}.xlsx", headers={"If-None-Match": old_tag})
    assert answer.status_code == 200 and answer.headers["etag"] != old_tag
    raw = client.get(f"{BASE}.xlsx?form=raw")
    assert raw.headers["etag"] not in (old_tag, answer.headers["etag"])
    again = client.get(f"{BASE}.xlsx", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("query", ["lang=fa", "lang=en", "form=raw"])
def test_a_cell_xml_cannot_hold_still_downloads(
    client: TestClient,
    tmp_path: Path,
    store: Store,
    settings: Settings,
    yazd_token: str,
    query: str,
) -> None:
    """A published cell holding U+FFFE (a byte-order mark read backwards, as some exports
    leave it) made every workbook of the version a 500: XML 1.0 cannot hold U+FFFE/U+FFFF.
    The workbook shows U+FFFD there, as it does for the C0 controls."""
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "contractor", "Contractor\ufffe Ltd\uffff")
    publish(store, folder, settings, token=yazd_token)
    sheet = book(client, query).worksheets[0]
    cells = [c.value for row in sheet.iter_rows(max_row=2) for c in row]
    assert "Contractor\ufffd Ltd\ufffd" in cells


def test_the_source_sheet_dates_a_late_evening_publication_by_tehrans_day() -> None:
    """21:30 UTC on 4 December is 5 December in Tehran: the source sheet's Jalali date said
    ۱۴۰۵/۰۹/۱۳ beside it while the citation and the pages say ۱۴۰۵/۰۹/۱۴."""
    assert _published("2026-12-04T21:30:00+00:00", "fa").endswith("(۱۴۰۵/۰۹/۱۴)")
    assert _published("2026-12-04T21:30:00+00:00", "en").endswith("(1405/09/14)")
    assert _published("2026-12-04T06:00:00+00:00", "en").endswith("(1405/09/13)")
