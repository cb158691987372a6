"""`POST /api/publish`: 401 / 403 / 413 / 422 / 201, through the same pipeline as the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.replication.remote import zip_source
from portal.store import Store, catalog
from portal.store.agencies import add_agency
from tests.intake.sheets.degenerate import DEGENERATE
from tests.packages import DATASETS, copy_sample, read_rows, set_cell
from tests.trust import changes


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
    # The limit in the units a clerk reads, not "1000 bytes" (a kilobyte is 1,024 bytes)
    assert "larger than 1,000 bytes" in body["error"]["message"]["en"]
    client = TestClient(open_data_app(replace(settings, max_upload_bytes=3 * 1024)))
    status, body = post(client, copy_sample(tmp_path / "pkg2"), yazd_token)
    assert status == 413 and "larger than 3 KB" in body["error"]["message"]["en"]
    assert "۳ کیلوبایت" in body["error"]["message"]["fa"]


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


# Issue 21, item 2: four silent revisions (each was published 201 with no explanation),
# and a package that drops its projects table. Each hostile v2 is refused with 422,
# naming resource, row and field, and nothing is written.
Where = tuple[str, str | None, int | None, str | None]  # code, resource, row, field
KEY = "indicator_id, period, province, county"
HOSTILE: dict[str, tuple[Callable[[Path], None], str, list[Where]]] = {
    "renamed": (
        changes.rename_projects,
        "publish.invalid",
        [("profile-table-misnamed", "projects-archive", None, None)],
    ),
    "shadow-row": (
        changes.shadow_row,
        "publish.invalid",
        [("unique-error", "projects", 34, "id"), ("primary-key", "projects", 34, "id")],
    ),
    "status-back": (
        changes.status_back,
        "publish.invalid",
        [("constraint-error", "projects", row, "status") for row in (4, 6, 11)],
    ),
    "invisible-twin": (
        changes.invisible_twin,
        "publish.invalid",
        [("id-invisible", "projects", 34, "id"), ("id-repeated-invisibly", "projects", 34, "id")],
    ),
    "dropped": (
        changes.drop_projects,
        "revisions.unexplained",
        [("projects-table-removed", "projects", None, None)]
        + [("project-removed", "projects", None, "id")] * 32,
    ),
}


def _refused(body: dict) -> list[Where]:
    return [
        (f["code"], f["resource"], f["row"], f["field"])
        for f in body["report"]["findings"]
        if f["severity"] == "error" or body["error"]["code"] == "revisions.unexplained"
    ]


def _nothing_written(store: Store, agency: str, dataset: str) -> None:
    assert [v.number for v in catalog.versions(store.conn, agency, dataset)] == [1]
    lines = store.log.read()[0]
    assert [line.entry["type"] for line in lines if line.entry].count("publish") == 1


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_a_silent_revision_is_refused(
    attack: str, tmp_path: Path, client: TestClient, store: Store, yazd_token: str
) -> None:
    change, error, expected = HOSTILE[attack]
    folder = copy_sample(tmp_path / "pkg")
    assert post(client, folder, yazd_token)[0] == 201
    change(folder)
    status, body = post(client, folder, yazd_token)
    assert status == 422, body
    assert body["error"]["code"] == error
    refused = _refused(body)
    assert set(expected) <= set(refused) and len(refused) >= len(expected), refused
    _nothing_written(store, "mrud-yazd", "infrastructure-projects")


def test_a_duplicate_observation_is_refused(
    tmp_path: Path, client: TestClient, store: Store
) -> None:
    token = add_agency(store.conn, "mcls-yazd", "تعاون یزد", "Cooperatives, Yazd")
    folder = copy_sample(tmp_path / "pkg", DATASETS / "mcls-yazd")
    assert post(client, folder, token)[0] == 201
    rows = len(read_rows(folder / "data" / "observations.csv"))
    changes.duplicate_point(folder)
    status, body = post(client, folder, token)
    assert status == 422 and body["error"]["code"] == "publish.invalid"
    assert ("primary-key", "observations", rows + 2, KEY) in _refused(body)
    _nothing_written(
        store, "mcls-yazd", str(json.loads((folder / "datapackage.json").read_text())["name"])
    )


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
