"""Names that become URL segments and store keys (issue 13, item 3).

A resource named `../../../other-agency/dataset/latest/projects` once published (201) and
made another agency's file answer for it. `/`, `..`, `%2f` and backslashes are now refused
in intake, in the store and at the route.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.errors import IntakeRefused
from portal.names import is_valid_name
from portal.publishing.publish import publish
from portal.replication.remote import zip_source
from portal.store import Store
from portal.store.writer import NewResource, commit_version
from tests.packages import copy_sample


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(open_data_app(settings))


HOSTILE = [
    "../../../other-agency/dataset/latest/projects", "a/b", "a%2fb", "a%2Fb", "a\\b", "..",
    ".", "", "A", "x" * 101, "-x", "a..b", "a b", "a\x00b", "proj\u202eects",
]  # fmt: skip


@pytest.mark.parametrize("name", HOSTILE)
def test_the_pattern_refuses_it(name: str) -> None:
    assert not is_valid_name(name)


@pytest.mark.parametrize("name", ["projects", "a", "a.b-c_d", "x" * 100, "2024"])
def test_the_pattern_accepts_data_package_names(name: str) -> None:
    assert is_valid_name(name)


def _named(folder: Path, name: str) -> Path:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"][0]["name"] = name
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", HOSTILE[:6])
def test_intake_refuses_a_hostile_resource_name(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str, name: str
) -> None:
    folder = _named(copy_sample(tmp_path / "pkg"), name)
    with pytest.raises(IntakeRefused) as caught:
        publish(store, folder, settings, token=yazd_token)
    assert caught.value.key == "names.invalid"


@pytest.mark.parametrize("name", HOSTILE[:6])
def test_the_publish_route_refuses_it(
    tmp_path: Path, client: TestClient, store: Store, yazd_token: str, name: str
) -> None:
    folder = _named(copy_sample(tmp_path / "pkg"), name)
    response = client.post(
        "/api/publish",
        headers={"Authorization": f"Bearer {yazd_token}"},
        files={"package": ("p.zip", zip_source(folder), "application/zip")},
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "names.invalid"


@pytest.mark.parametrize("name", HOSTILE[:6])
def test_the_store_refuses_it_whoever_calls(tmp_path: Path, store: Store, name: str) -> None:
    data = tmp_path / "x.csv"
    data.write_text("a\n1\n")
    resource = NewResource(name, "x.csv", data, "text/csv", 1)
    with pytest.raises(IntakeRefused):
        commit_version(store, "mrud-yazd", "ok", "t", {}, {}, [resource])
    with pytest.raises(IntakeRefused):
        good = NewResource("ok", "x.csv", data, "text/csv", 1)
        commit_version(store, "mrud-yazd", name, "t", {}, {}, [good])
    assert store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0


@pytest.mark.parametrize(
    "path",
    ["..%2f..%2fother%2fprojects", "a%2fb", "a%5cb", "..", "%2e%2e"],
)
def test_the_download_route_refuses_it(client: TestClient, samples: Store, path: str) -> None:
    url = f"/download/mrud-yazd/infrastructure-projects/latest/{path}.csv"
    assert client.get(url).status_code == 404
    url = f"/download/mrud-yazd/{path}/latest/projects.csv"
    assert client.get(url).status_code == 404
