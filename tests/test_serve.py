"""The real thing: `glasswall serve` on 127.0.0.1 carries the glass wall and the routes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from portal.config import Settings
from portal.demo import publish_samples
from portal.launch import free_port, start_server, wait_until_healthy
from portal.store import Store, catalog


@pytest.fixture
def server(store: Store, settings: Settings, tmp_path: Path) -> Iterator[str]:
    publish_samples(store, settings)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    process = start_server(settings.home, port, log)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_healthy(url):
        process.kill()
        pytest.fail((tmp_path / "server.log").read_text())
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.mark.slow
def test_server_serves_page_health_and_exact_downloads(server: str, store: Store) -> None:
    assert httpx.get(f"{server}/health").json() == {"status": "ok", "datasets": 4}
    page = httpx.get(f"{server}/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    for summary in catalog.datasets(store.conn):
        version = catalog.version(store.conn, summary.agency, summary.dataset)
        assert version is not None
        for resource in version.resources:
            url = f"{server}/download/{summary.agency}/{summary.dataset}/latest/{resource.name}.csv"
            response = httpx.get(url)
            assert response.status_code == 200
            assert hashlib.sha256(response.content).hexdigest() == resource.sha256
