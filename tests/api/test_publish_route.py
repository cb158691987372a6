"""`POST /api/publish`: 401 / 403 / 413 / 422 / 201, through the same pipeline as the CLI."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.remote import zip_source
from portal.store import Store, catalog
from portal.store.tokens import add_agency
from tests.packages import copy_sample, set_cell
from tests.sheets.degenerate import DEGENERATE


def post(client: TestClient, folder: Path, token: str | None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        "/api/publish",
        headers=headers,
        files={"package": ("pkg.zip", zip_source(folder), "application/zip")},
    )
    return response.status_code, response.json()


def test_publish_statuses(
    tmp_path: Path, client: TestClient, store: Store, yazd_token: str
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    assert post(client, folder, None)[0] == 401
    assert post(client, folder, "gw_wrong")[0] == 401
    other = add_agency(store.conn, "mcls-yazd", "تعاون یزد", "Labour Yazd")
    status, body = post(client, folder, other)
    assert status == 403 and body["error"]["code"] == "publish.other_agency"
    status, body = post(client, folder, yazd_token)
    assert status == 201 and body["published"]["version"] == 1
    status, body = post(client, folder, yazd_token)
    assert status == 200 and body["unchanged"] is True
    set_cell(folder, 0, "budget_irr", "-5")
    status, body = post(client, folder, yazd_token)
    assert status == 422
    errors = [f for f in body["report"]["findings"] if f["severity"] == "error"]
    assert [f["field"] for f in errors] == ["budget_irr"]
    assert len(catalog.versions(store.conn, "mrud-yazd", "infrastructure-projects")) == 1


def test_oversize_upload_is_413(
    tmp_path: Path,
    client: TestClient,
    yazd_token: str,
    settings: Settings,
) -> None:
    client = TestClient(open_data_app(replace(settings, max_upload_bytes=1000)))
    status, body = post(client, copy_sample(tmp_path / "pkg"), yazd_token)
    assert status == 413 and body["error"]["code"] == "intake.too_large"


def test_an_upload_without_a_length_is_cut_off_at_the_limit(
    tmp_path: Path,
    client: TestClient,
    yazd_token: str,
    settings: Settings,
) -> None:
    client = TestClient(open_data_app(replace(settings, max_upload_bytes=1000)))
    body = zip_source(copy_sample(tmp_path / "pkg"))

    def chunks():  # a generator body is sent chunked, with no Content-Length
        yield b"--b\r\nContent-Disposition: form-data; name=package; filename=p.zip\r\n\r\n"
        yield body
        yield b"\r\n--b--\r\n"

    response = client.post(
        "/api/publish",
        headers={
            "Authorization": f"Bearer {yazd_token}",
            "Content-Type": "multipart/form-data; boundary=b",
        },
        content=chunks(),
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "intake.too_large"
    assert not list((settings.home / "staging").glob("*"))


def test_publishing_is_rate_limited_per_agency(
    tmp_path: Path,
    client: TestClient,
    store: Store,
    yazd_token: str,
    settings: Settings,
) -> None:
    client = TestClient(open_data_app(replace(settings, publish_per_hour=2)))
    folder = copy_sample(tmp_path / "pkg")
    assert post(client, folder, yazd_token)[0] == 201
    assert post(client, folder, yazd_token)[0] == 200
    response = client.post(
        "/api/publish",
        headers={"Authorization": f"Bearer {yazd_token}"},
        files={"package": ("pkg.zip", zip_source(folder), "application/zip")},
    )
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["code"] == "api.publish_rate_limited"
    other = add_agency(store.conn, "mcls-yazd", "تعاون یزد", "Labour Yazd")
    assert post(client, folder, other)[0] == 403  # another token has its own allowance


def test_a_token_at_its_limit_has_no_workbook_parsed(
    tmp_path: Path, store: Store, yazd_token: str, settings: Settings
) -> None:
    """Issue 21: the limit is settled before the upload is parsed (a corrupt book says 429)."""
    client = TestClient(open_data_app(replace(settings, publish_per_hour=1)))
    write, _ = DEGENERATE["corrupt xlsx"]
    book = write(tmp_path)
    codes = []
    for _ in range(2):
        response = client.post(
            "/api/publish",
            headers={"Authorization": f"Bearer {yazd_token}"},
            files={"package": (book.name, book.read_bytes(), "application/octet-stream")},
            data={"dataset": "d"},
        )
        codes.append(response.json()["error"]["code"])
    assert codes == ["sheets.corrupt", "api.publish_rate_limited"]
    assert response.status_code == 429
