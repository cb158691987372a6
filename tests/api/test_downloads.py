"""Download routes return the exact published bytes; errors are JSON with their status."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store
from tests.packages import copy_sample, set_cell


@pytest.fixture
def two_versions(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> Path:
    folder = copy_sample(tmp_path / "pkg")
    publish(store, folder, settings, token=yazd_token)
    set_cell(folder, 0, "beneficiaries", "77")
    publish(store, folder, settings, token=yazd_token)
    return folder


BASE = "/download/mrud-yazd/infrastructure-projects"


def test_download_bytes_match_the_manifest(
    client: TestClient, store: Store, two_versions: Path
) -> None:
    from portal.store import catalog

    for number in (1, 2):
        version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects", number)
        assert version is not None
        response = client.get(f"{BASE}/{number}/projects.csv")
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == version.resources[0].sha256
        assert response.headers["etag"] == f'"{version.resources[0].sha256}"'
        assert "immutable" in response.headers["cache-control"]
        assert response.headers["content-type"].startswith("text/csv")
    latest = client.get(f"{BASE}/latest/projects.csv")
    assert latest.content == (two_versions / "data" / "projects.csv").read_bytes()
    assert latest.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/3/projects.csv",
        f"{BASE}/1/budget.csv",
        "/download/nobody/x/1/projects.csv",
        f"{BASE}/v1/projects.csv",
    ],
)
def test_unknown_downloads_are_404_json(client: TestClient, two_versions: Path, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["success"] is False and set(body["error"]["message"]) == {"fa", "en"}


def test_health_counts_datasets(client: TestClient, two_versions: Path) -> None:
    assert client.get("/health").json() == {"status": "ok", "datasets": 1}


@pytest.mark.parametrize(
    ("range_", "status"),
    [("bytes=abc", 400), ("bytes=5-2", 400), ("items=0-1", 400), ("bytes=999999999-", 416)],
)
def test_a_range_that_cannot_be_served_is_said_in_both_languages(
    client: TestClient, samples: Store, range_: str, status: int
) -> None:
    """Starlette's own answers were the English text 'Range header: range must be
    requested' (400) and an empty 416."""
    address = "/download/mrud-yazd/infrastructure-projects/1/projects.csv"
    size = len(client.get(address).content)
    answer = client.get(address, headers={"Range": range_})
    assert answer.status_code == status, answer.text[:200]
    message = answer.json()["error"]["message"]
    assert message["fa"] and message["en"] and range_ in message["en"]
    if status == 416:
        assert answer.headers["content-range"] == f"bytes */{size}"
    assert client.get(address, headers={"Range": "bytes=0-9"}).status_code == 206


@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "YES", "True"])
def test_bom_takes_the_usual_true_words(client: TestClient, samples: Store, word: str) -> None:
    """`?bom=yes` gave the raw CSV (formulas live, no BOM) without a word."""
    answer = client.get(f"{BASE}/1/projects.csv?bom={word}")
    assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
    assert answer.content == client.get(f"{BASE}/1/projects.csv?bom=1").content


@pytest.mark.parametrize("word", ["2", "bom", "", "si", "%D8%A8%D9%84%D9%87"])
def test_bom_refuses_a_word_it_does_not_know_in_both_languages(
    client: TestClient, samples: Store, word: str
) -> None:
    answer = client.get(f"{BASE}/1/projects.csv?bom={word}")
    assert answer.status_code == 400, answer.content[:80]
    error = answer.json()["error"]
    assert error["code"] == "download.bad_bom"
    for text in error["message"].values():
        assert "bom" in text and "yes" in text and "1" in text
    assert unquote(word) in error["message"]["en"]


@pytest.mark.parametrize("word", ["0", "false", "no", "off"])
def test_bom_said_no_gives_the_csv_without_it(
    client: TestClient, samples: Store, word: str
) -> None:
    answer = client.get(f"{BASE}/1/projects.csv?bom={word}")
    assert answer.status_code == 200 and not answer.content.startswith(b"\xef\xbb\xbf")
