"""Every download form: exact bytes, Range, conditional GET, Excel BOM, formula
neutralisation, JSON records, XLSX, column filters and package.zip."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from portal.config import Settings
from portal.persian import iso_to_jalali, to_persian_digits
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.store.records import Version
from tests.packages import copy_sample, set_cell

BASE = "/download/mrud-yazd/infrastructure-projects"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def risky(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> Version:
    """A published package whose cells would run as formulas in a spreadsheet."""
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "title_en", FORMULA_TITLE)
    set_cell(folder, 1, "title_en", "@SUM(1+1)")
    set_cell(folder, 2, "contractor", "+98 21 1234")
    set_cell(folder, 3, "contractor", "\tindented")
    publish(store, folder, settings, token=yazd_token)
    version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    return version


def test_raw_csv_is_the_published_object_with_range_and_conditional_get(
    client: TestClient, store: Store, risky: Version
) -> None:
    entry = risky.resources[0]
    raw = store.objects.path(entry.sha256).read_bytes()
    full = client.get(f"{BASE}/1/projects.csv")
    assert full.content == raw and hashlib.sha256(full.content).hexdigest() == entry.sha256
    assert FORMULA_TITLE.replace('"', '""') in full.text  # the raw file keeps what was published
    assert full.headers["accept-ranges"] == "bytes"
    part = client.get(f"{BASE}/1/projects.csv", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == raw[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(raw)}"
    tail = client.get(f"{BASE}/1/projects.csv", headers={"Range": "bytes=-10"})
    assert tail.content == raw[-10:]
    beyond = client.get(f"{BASE}/1/projects.csv", headers={"Range": f"bytes={len(raw)}-"})
    assert beyond.status_code == 416
    again = client.get(f"{BASE}/1/projects.csv", headers={"If-None-Match": f'"{entry.sha256}"'})
    assert again.status_code == 304 and again.content == b""
    latest = client.get(f"{BASE}/latest/projects.csv")
    assert latest.content == raw and latest.headers["cache-control"] == "no-cache"
    assert "immutable" in full.headers["cache-control"]


def test_bom_csv_is_excel_ready_and_formula_safe(client: TestClient, risky: Version) -> None:
    response = client.get(f"{BASE}/1/projects.csv?bom=1")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["etag"].startswith('W/"')
    rows = list(csv_rows(response.content))
    titles = [r["title_en"] for r in rows]
    assert titles[0] == "'" + FORMULA_TITLE and titles[1] == "'@SUM(1+1)"
    assert rows[2]["contractor"] == "'+98 21 1234" and rows[3]["contractor"] == "'\tindented"
    # Plain numbers are numbers, not formulas: they stay as published.
    assert all(not r["budget_irr"].startswith("'") for r in rows)
    assert rows[5]["title_fa"] == read_rows_published(client)[5]["title_fa"]


def csv_rows(content: bytes) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_rows_published(client: TestClient) -> list[dict[str, str]]:
    return csv_rows(client.get(f"{BASE}/1/projects.csv").content)


def test_xlsx_has_typed_numbers_and_neutralised_text(client: TestClient, risky: Version) -> None:
    response = client.get(f"{BASE}/1/projects.xlsx?form=raw")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    # Text is a text cell, shown exactly as published: never a formula (issue 21).
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    published = read_rows_published(client)
    assert len(rows) == len(published) + 1
    title, budget = header.index("title_en"), header.index("budget_irr")
    assert rows[1][title] == FORMULA_TITLE
    assert sheet.cell(2, title + 1).data_type == "s" and sheet.cell(2, title + 1).quotePrefix
    assert rows[1][budget] == int(published[0]["budget_irr"])
    assert isinstance(rows[1][header.index("physical_progress_pct")], int | float)
    assert all(isinstance(r[budget], int) for r in rows[1:])


def test_json_records_are_typed(client: TestClient, risky: Version) -> None:
    records = client.get(f"{BASE}/1/projects.json").json()
    published = read_rows_published(client)
    assert len(records) == len(published)
    assert records[0]["title_en"] == FORMULA_TITLE  # JSON is data, not a spreadsheet
    assert records[0]["budget_irr"] == int(published[0]["budget_irr"])
    missing = [r for r in records if r["actual_end_date"] is None]
    assert len(missing) == sum(1 for r in published if r["actual_end_date"] == "")


def test_filtered_exports_keep_only_matching_rows(client: TestClient, risky: Version) -> None:
    published = read_rows_published(client)
    response = client.get(f"{BASE}/1/projects.csv?status=completion,implementation&province=IR-21")
    rows = csv_rows(response.content)
    expected = [r for r in published if r["status"] in ("completion", "implementation")]
    assert [r["id"] for r in rows] == [r["id"] for r in expected] and rows
    assert not response.content.startswith(b"\xef\xbb\xbf")
    none = csv_rows(client.get(f"{BASE}/1/projects.csv?status=no-such-status").content)
    assert none == []
    assert client.get(f"{BASE}/1/projects.csv?status=no-such").text.startswith("id,")
    county = published[0]["county"]
    arabic = county.replace("ی", "ي").replace("ک", "ك")
    by_county = client.get(f"{BASE}/1/projects.json", params={"county": arabic}).json()
    assert {r["county"] for r in by_county} == {county}
    refused = client.get(f"{BASE}/1/projects.csv?colour=red")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "download.unknown_filter"
    assert "colour" in refused.json()["error"]["message"]["fa"]


def test_package_zip_holds_descriptor_data_report_and_manifest(
    client: TestClient, store: Store, risky: Version
) -> None:
    response = client.get(f"{BASE}/1/package.zip")
    assert response.status_code == 200 and response.headers["etag"] == f'"{risky.manifest_sha256}"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "data/projects.csv",
        "datapackage.json",
        "manifest.json",
        "validation-report.json",
    ]
    data = archive.read("data/projects.csv")
    assert hashlib.sha256(data).hexdigest() == risky.resources[0].sha256
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["resources"][0]["sha256"] == risky.resources[0].sha256
    assert json.loads(archive.read("validation-report.json"))["valid"] is True
    assert json.loads(archive.read("datapackage.json"))["name"] == "infrastructure-projects"


def test_the_package_zip_publishes_again_unchanged(
    client: TestClient,
    store: Store,
    settings: Settings,
    yazd_token: str,
    tmp_path: Path,
    risky: Version,
) -> None:
    archive = tmp_path / "again.zip"
    archive.write_bytes(client.get(f"{BASE}/1/package.zip").content)
    assert publish(store, archive, settings, token=yazd_token).unchanged


@pytest.mark.parametrize(
    "path",
    [
        "/download/mrud-yazd/..%2F..%2Fcatalog.sqlite/1/projects.csv",
        "/download/mrud-yazd/infrastructure-projects/1/..%2F..%2F..%2Fcatalog.sqlite",
        "/download/mrud-yazd/infrastructure-projects/1/%2Fetc%2Fpasswd",
        "/download/%2E%2E/infrastructure-projects/1/projects.csv",
        "/download/mrud-yazd/infrastructure-projects/1/projects.exe",
        "/download/mrud-yazd/infrastructure-projects/1/projects.zip",
        "/download/mrud-yazd/infrastructure-projects/1/.hidden.csv",
        "/download/mrud-yazd/infrastructure-projects/-1/projects.csv",
        "/objects/%2E%2E%2Fcatalog.sqlite",
        "/objects/%2E%2E",
        "/objects/" + "0" * 64,
        "/api/3/nothing",
    ],
)
def test_paths_cannot_escape_the_store(client: TestClient, risky: Version, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["__type"] == "Not Found Error"


def test_read_only_cors(client: TestClient, risky: Version) -> None:
    origin = {"Origin": "https://newsroom.example"}
    read = client.get(f"{BASE}/1/projects.csv", headers=origin)
    assert read.headers["access-control-allow-origin"] == "*"
    assert "etag" in read.headers["access-control-expose-headers"].lower()
    preflight = client.options(
        "/api/3/action/package_search",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    publish_preflight = client.options(
        "/api/publish",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "access-control-allow-origin" not in publish_preflight.headers


@pytest.mark.parametrize("form", ["csv", "csv?bom=1", "json", "xlsx"])
def test_a_jalali_date_filter_is_answered_with_its_gregorian_day(
    client: TestClient, risky: Version, form: str
) -> None:
    """Dates are published Gregorian; `?start_date=1399/03/02` (the Jalali day the pages
    show) silently gave an empty file, as if no project had started that day."""
    published = read_rows_published(client)
    started = published[0]["start_date"]
    jalali = iso_to_jalali(date.fromisoformat(started))
    path, _, more = form.partition("?")
    for typed in (jalali, to_persian_digits(jalali.replace("/", "-"))):
        query = {"start_date": typed, **dict([more.split("=")] if more else [])}
        refused = client.get(f"{BASE}/1/projects.{path}", params=query)
        assert refused.status_code == 400, refused.text
        error = refused.json()["error"]
        assert error["code"] == "journo.download.jalali_filter"
        assert started in error["message"]["en"] and started in error["message"]["fa"]
    kept = client.get(f"{BASE}/1/projects.json", params={"start_date": started}).json()
    assert published[0]["id"] in {r["id"] for r in kept}
