"""Issue 13, item 9: each input that answered 500 now gets a bilingual 4xx (or a 507).

Every answer here is JSON with the message in Persian and English; none is a traceback.
"""

from __future__ import annotations

import errno
import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from portal.api import publish_route
from portal.config import Settings
from portal.publishing.publish import publish
from portal.replication.remote import zip_source
from portal.store import Store
from tests.packages import copy_sample, set_cell

PROJECTS = "mrud-yazd/infrastructure-projects/projects"


def _bilingual(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    error = body["error"]
    messages = error.get("messages") or error.get("message")
    assert isinstance(messages, dict) and messages["fa"] and messages["en"]
    return body


@pytest.mark.parametrize(
    "filters",
    ['{"budget_irr": 1e30}', '{"budget_irr": 100000000000000000000000}',
     '{"budget_irr": Infinity}', '{"budget_irr": NaN}', '{"budget_irr": -Infinity}',
     '{"physical_progress_pct": Infinity}', '{"budget_irr": {"a": 1}}'],
)  # fmt: skip
def test_hostile_filter_numbers_are_409(client: TestClient, samples: Store, filters: str) -> None:
    response = client.get(
        "/api/3/action/datastore_search", params={"resource_id": PROJECTS, "filters": filters}
    )
    _bilingual(response, 409)


def test_hostile_filter_numbers_in_a_post_body_are_409(client: TestClient, samples: Store) -> None:
    body = b'{"resource_id": "%s", "filters": {"budget_irr": Infinity}}' % PROJECTS.encode()
    _bilingual(client.post("/api/action/datastore_search", content=body), 409)


@pytest.mark.parametrize("path", ["100000000000000000000000", "1" * 400, "-1", "٣"])
def test_an_impossible_version_in_a_download_path_is_404(
    client: TestClient, samples: Store, path: str
) -> None:
    response = client.get(f"/download/mrud-yazd/infrastructure-projects/{path}/projects.csv")
    _bilingual(response, 404)


def test_deep_json_is_refused(client: TestClient, samples: Store) -> None:
    deep = b"[" * 50_000 + b"]" * 50_000
    _bilingual(client.post("/api/action/package_search", content=deep), 409)
    _bilingual(client.post("/api/feedback", content=b'{"a":' + deep[:15_000] + b"}"), 400)


def test_a_huge_version_in_feedback_is_400(client: TestClient, samples: Store) -> None:
    item = {"dataset": "mrud-yazd/infrastructure-projects", "message": "?", "version": 10**23}
    body = _bilingual(client.post("/api/feedback", json=item), 400)
    assert body["error"]["code"] == "feedback.out_of_range"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _post(client: TestClient, token: str, data: bytes) -> Any:
    return client.post(
        "/api/publish",
        headers={"Authorization": f"Bearer {token}"},
        files={"package": ("p.zip", data, "application/zip")},
    )


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        ({"x": b"1", "x/y": b"2"}, "intake.zip_file_and_folder"),
        ({"x/y": b"2", "x": b"1"}, "intake.zip_file_and_folder"),
        ({"a" * 300 + ".csv": b"1"}, "intake.name_too_long"),
        ({"datapackage.json": b"[" * 50_000}, "intake.descriptor_too_deep"),
    ],
)
def test_hostile_zips_are_400(
    client: TestClient, store: Store, yazd_token: str, entries: dict[str, bytes], code: str
) -> None:
    body = _bilingual(_post(client, yazd_token, _zip(entries)), 400)
    assert body["error"]["code"] == code


def test_a_descriptor_naming_a_long_path_is_400(
    client: TestClient, store: Store, yazd_token: str
) -> None:
    descriptor = {"name": "x", "resources": [{"name": "t", "path": "a" * 300 + ".csv"}]}
    body = _bilingual(
        _post(client, yazd_token, _zip({"datapackage.json": json.dumps(descriptor).encode()})), 400
    )
    assert body["error"]["code"] == "intake.name_too_long"


def test_a_full_disk_is_a_bilingual_507(
    client: TestClient,
    store: Store,
    yazd_token: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish_route, "_save", disk_full)
    folder = copy_sample(tmp_path / "pkg")
    body = _bilingual(_post(client, yazd_token, zip_source(folder)), 507)
    assert body["error"]["code"] == "server.disk_full"
    assert not list((store.home / "staging").glob("*"))


@pytest.mark.parametrize("form", ["", "?form=raw", "?lang=en"])
def test_an_xlsx_of_a_cell_holding_nul_is_served(
    client: TestClient,
    store: Store,
    settings: Settings,
    yazd_token: str,
    tmp_path: Path,
    form: str,
) -> None:
    """Published with the store's own settings: `publish_as` refuses a store and settings
    naming two homes (the test handed it the environment's, and staged under ./var)."""
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "contractor", "ACME\x00\u202e Ltd")
    result = publish(store, folder, settings, token=yazd_token)
    assert any(f.code == "bidi-control" for f in result.report.findings)
    response = client.get(f"/download/mrud-yazd/infrastructure-projects/latest/projects.xlsx{form}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxml")


def test_a_64000_letter_search_is_a_fast_409(client: TestClient, samples: Store) -> None:
    """It blocked the whole server for ~22 s (issue 13, item 5)."""
    for name in ("q", "fq"):
        started = time.perf_counter()
        response = client.get("/api/3/action/package_search", params={name: "a" * 64_000})
        _bilingual(response, 409)
        assert time.perf_counter() - started < 1.0


DATASET_API = "/api/datasets/mrud-yazd/infrastructure-projects"
INTEGER_PARAMETERS = [
    (f"{DATASET_API}/explanations", "version"),
    (f"{DATASET_API}/signals", "version"),
    ("/api/3/action/package_search", "rows"),
    ("/api/3/action/package_search", "start"),
    ("/api/3/action/package_search", "facet.limit"),
    ("/api/3/action/package_search", "facet.mincount"),
    ("/api/3/action/package_list", "offset"),
    ("/api/3/action/package_list", "limit"),
    ("/api/3/action/organization_list", "offset"),
    ("/api/3/action/organization_list", "limit"),
    (f"/api/3/action/datastore_search?resource_id={PROJECTS}", "limit"),
    (f"/api/3/action/datastore_search?resource_id={PROJECTS}", "offset"),
]
HOSTILE_INTEGERS = [
    "1" + "0" * 30,  # SQLite cannot bind it: an OverflowError was a 500
    str(2**63),
    "-5",
    "abc",
    "1.5",
    "1e3",
    "9" * 5000,  # past Python's digit limit for int()
    "0x10",
]


@pytest.mark.parametrize(("path", "name"), INTEGER_PARAMETERS)
@pytest.mark.parametrize("value", HOSTILE_INTEGERS, ids=lambda v: v[:12])
def test_every_integer_parameter_refuses_hostile_values_with_a_bilingual_409(
    client: TestClient, samples: Store, path: str, name: str, value: str
) -> None:
    """Issue 21: `…/explanations?version=<huge>` was a 500 and `version=-5` the latest."""
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}{name}={value}")
    body = _bilingual(response, 409)
    error = body["error"]
    assert error["code"] in ("api.out_of_range", "api.expected_integer")
    messages = error.get("messages") or error["message"]
    assert name in messages["en"] and name in messages["fa"]
    assert "∞" not in messages["en"]


@pytest.mark.parametrize("value", [10**30, -5, "abc", 1e300, [1], {"a": 1}])
@pytest.mark.parametrize("name", ["rows", "start", "facet.limit"])
def test_hostile_integers_in_a_post_body_are_409(
    client: TestClient, samples: Store, name: str, value: object
) -> None:
    body = _bilingual(client.post("/api/action/package_search", json={name: value}), 409)
    assert body["error"]["code"] in ("api.out_of_range", "api.expected_integer")


@pytest.mark.parametrize("kind", ["explanations", "signals"])
def test_a_version_past_the_latest_names_the_range(
    client: TestClient, samples: Store, kind: str
) -> None:
    for value in ("0", "2"):
        body = _bilingual(client.get(f"{DATASET_API}/{kind}?version={value}"), 409)
        assert "between 1 and 1." in body["error"]["message"]["en"]
        assert "بین ۱ و ۱" in body["error"]["message"]["fa"]
    assert client.get(f"{DATASET_API}/{kind}?version=1").status_code == 200
    assert client.get(f"{DATASET_API}/{kind}").status_code == 200


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("DELETE", "/cite/mrud-yazd/infrastructure-projects/1/projects/1/budget_irr"),
        ("OPTIONS", "/api/3/action/package_list"),
        ("PUT", "/download/mrud-yazd/infrastructure-projects/1/projects.csv"),
    ],
)
def test_a_method_a_route_does_not_take_is_a_bilingual_405(
    client: TestClient, samples: Store, method: str, address: str
) -> None:
    """Starlette's own answer was the English text 'Method Not Allowed'."""
    answer = client.request(method, address)
    body = _bilingual(answer, 405)
    assert body["error"]["code"] == "walk2.method_not_allowed"
    assert method in body["error"]["message"]["en"] and "GET" in answer.headers["allow"]
