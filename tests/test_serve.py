"""The real thing: `glasswall serve` on 127.0.0.1 carries the glass wall and the routes."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from portal.config import Settings
from portal.demo import publish_samples
from portal.store import Store, catalog


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(store: Store, settings: Settings, tmp_path: Path) -> Iterator[str]:
    publish_samples(store, settings)
    port = free_port()
    env = {**os.environ, "GLASSWALL_HOME": str(settings.home)}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
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
