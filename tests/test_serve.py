"""The real thing: `glasswall serve` on 127.0.0.1 carries the glass wall and the routes."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from portal.store import Store, catalog


@pytest.mark.slow
def test_server_serves_page_health_and_exact_downloads(served: str, store: Store) -> None:
    server = served
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
