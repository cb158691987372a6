"""`verify --portal` compares what the portal serves with what its log covers (issue 13, item 4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.config import Settings
from portal.replication.remote_verify import verify_portal
from portal.serving.launch import free_port, start_server, wait_until_healthy
from portal.store import Store
from portal.store.writer import to_json_bytes


def _serve(settings: Settings, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    with (tmp_path / "server.log").open("w") as log:
        process = start_server(settings.home, port, log)
        url = f"http://127.0.0.1:{port}"
        try:
            assert wait_until_healthy(url), (tmp_path / "server.log").read_text()
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def forged(samples: Store, settings: Settings, tmp_path: Path) -> Iterator[str]:
    """A descriptor object forged under its own sha256, rows and media type edited."""
    conn = samples.conn
    row = conn.execute(
        "SELECT v.id, v.descriptor_sha256 FROM versions v JOIN datasets d ON d.id = v.dataset_id "
        "WHERE d.slug = 'infrastructure-projects' ORDER BY v.id DESC"
    ).fetchone()
    descriptor = json.loads(samples.objects.read_bytes(row[1]))
    descriptor["title"] = "Forged title"
    descriptor["licenses"] = [{"name": "forged-license"}]
    sha = samples.objects.put_bytes(to_json_bytes(descriptor))
    conn.execute("UPDATE versions SET descriptor_sha256 = ? WHERE id = ?", (sha, row[0]))
    conn.execute("UPDATE resources SET rows = rows + 1, mediatype = 'text/html'")
    conn.execute("UPDATE agencies SET title_en = 'Forged office' WHERE slug = 'mrud-yazd'")
    yield from _serve(settings, tmp_path)


@pytest.mark.slow
def test_forged_rows_served_by_the_portal_are_named(forged: str) -> None:
    problems = verify_portal(forged).problems
    named = {(p.code, p.message["en"].split(" serves ")[-1].split(" ")[0]) for p in problems}
    assert ("catalog_fact_differs", "title") in named
    assert ("catalog_fact_differs", "license_id") in named
    assert ("catalog_fact_differs", "resources") in named
    assert ("catalog_fact_differs", "title_en") in named  # an agency's title is logged too
