"""`POST /api/publish` with a workbook or CSV: built, corrected on request, refused cleanly."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from portal.config import Settings
from portal.store import Store, catalog
from portal.store.agencies import create_token
from portal.store.agency_profiles import AgencyProfile, save_profile
from portal.store.attachments import attachment
from tests.intake.sheets.books import LONG_EN, LONG_FA, clerk_workbook
from tests.intake.sheets.degenerate import DEGENERATE, HOSTILE

ABOUT = {
    "dataset": "yazd-projects",
    "title_fa": "طرح‌های یزد (نمونه)",
    "title_en": "Yazd projects (sample)",
    "description_fa": LONG_FA,
    "description_en": LONG_EN,
}


def post(client: TestClient, path: Path, token: str, **fields: str) -> tuple[int, dict]:
    response = client.post(
        "/api/publish",
        headers={"Authorization": f"Bearer {token}"},
        files={"package": (path.name, path.read_bytes(), "application/octet-stream")},
        data=fields,
    )
    return response.status_code, response.json()


def test_workbook_published_over_http(
    tmp_path: Path, client: TestClient, store: Store, yazd_token: str
) -> None:
    save_profile(
        store.conn,
        "mrud-yazd",
        AgencyProfile("روابط عمومی", "opendata@mrud-yazd.example.ir", frequency="quarterly"),
    )
    book = clerk_workbook(tmp_path / "book.xlsx")
    status, body = post(client, book, yazd_token, **ABOUT)
    assert status == 422
    assert "Traceback" not in str(body) and "/tmp" not in str(body)
    assert body["clerk"]["corrections"] == 32 and not body["clerk"]["applied"]
    groups = [g["headline"]["en"] for g in body["clerk"]["groups"]]
    assert "start_date: 3 × Jalali dates, rows 3-5" in groups
    status, body = post(client, book, yazd_token, **ABOUT, fix="1")
    assert status == 201, body
    assert body["clerk"]["applied"] and len(body["clerk"]["changes"]) == 32
    version = catalog.version(store.conn, "mrud-yazd", "yazd-projects", None)
    assert version is not None
    document = attachment(store, version, "normalisation")
    assert document is not None and len(document["corrections"]) == 32
    assert document["source"] == "book.xlsx"


@pytest.mark.parametrize("case", list(DEGENERATE))
def test_degenerate_upload_is_4xx(
    case: str, tmp_path: Path, client: TestClient, store: Store, yazd_token: str
) -> None:
    write, key = DEGENERATE[case]
    status, body = post(client, write(tmp_path), yazd_token, dataset="d")
    assert 400 <= status < 500, body
    assert body["error"]["code"] == key
    assert body["error"]["message"]["fa"] and body["error"]["message"]["en"]
    assert catalog.datasets(store.conn) == []


@pytest.mark.slow
def test_hostile_workbooks_leave_the_server_serving(
    served: str, settings: Settings, tmp_path: Path
) -> None:
    """Issue 21: a 2 KB workbook with one cell at XFD90000 killed the server's process."""
    writer = Store(settings.home)
    token = create_token(writer.conn, "mrud-yazd")
    writer.close()
    for case in ("cell at XFD90000", "positional cells to XFD90000", "merged A3:XFD99999"):
        write, key = HOSTILE[case]
        path = write(tmp_path)
        response = httpx.post(
            f"{served}/api/publish",
            headers={"Authorization": f"Bearer {token}"},
            files={"package": (path.name, path.read_bytes(), "application/octet-stream")},
            data={"dataset": "d"},
            timeout=60,
        )
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["error"]["code"] == key
        assert httpx.get(f"{served}/health", timeout=10).status_code == 200
