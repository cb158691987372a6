"""The real thing: `glasswall serve` on 127.0.0.1 carries the glass wall and the routes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import ckanapi
import httpx
import pytest

from portal.config import Settings
from portal.serving.launch import free_port, start_server, wait_until_healthy
from portal.store import Store, catalog, reading
from portal.store.feedback import queue
from portal.store.public_log import GENESIS, canonical, seal


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


@pytest.mark.slow
def test_ckanapi_client_and_cli_work_against_the_portal(
    served: str, store: Store, tmp_path: Path
) -> None:
    portal = ckanapi.RemoteCKAN(served)
    names = portal.action.package_list()
    assert len(names) == 4
    package = portal.action.package_show(id="mrud-yazd--infrastructure-projects")
    resource = package["resources"][0]
    published = store.objects.path(resource["hash"].removeprefix("sha256:")).read_bytes()
    assert httpx.get(resource["url"]).content == published
    found = portal.action.package_search(q="خوزستان", **{"facet.field": ["organization"]})
    assert found["count"] == 2 and set(found["facets"]["organization"]) == {
        "mcls-khuzestan",
        "mrud-khuzestan",
    }
    rows = portal.action.datastore_search(resource_id=resource["id"], limit=5)
    assert len(rows["records"]) == 5 and rows["total"] == resource["rows"]
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="nobody--nothing")
    with pytest.raises(ckanapi.ValidationError):
        portal.action.datastore_search(resource_id=resource["id"], sort="nope")
    # The ckanapi command line, with its own worker processes, dumps every dataset.
    target = tmp_path / "dump.jsonl"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["ckanapi", "dump", "datasets", "--all", "-r", served, "-O", str(target), "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    dumped = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert sorted(d["name"] for d in dumped) == sorted(names)
    assert next(d for d in dumped if d["name"] == package["name"]) == package


def _glasswall(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "glasswall"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _rewrite_history(store: Store) -> None:
    """What a dishonest operator would do: edit an old entry and re-seal the whole chain."""
    lines, _ = store.log.read()
    prev, rewritten = GENESIS, []
    for line in lines:
        assert line.entry is not None
        body = {k: v for k, v in line.entry.items() if k not in ("hash", "prev")}
        if body["seq"] == 1:
            body["time"] = "2020-01-01T00:00:00+00:00"
        entry = seal(body, prev)
        prev = entry["hash"]
        rewritten.append(canonical(entry) + "\n")
    store.log.path.write_text("".join(rewritten), encoding="utf-8")


@pytest.mark.slow
def test_remote_verify_catches_a_tampered_object_and_a_rewritten_log(
    served: str, store: Store, tmp_path: Path
) -> None:
    copy = tmp_path / "my-copy-of-the-log.jsonl"
    clean = _glasswall("verify", "--portal", served, "--log-copy", str(copy))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert copy.read_bytes() == httpx.get(f"{served}/log.jsonl").content
    version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    target = store.objects.path(version.resources[0].sha256)
    original = target.read_bytes()
    target.chmod(0o644)
    target.write_bytes(original.replace(b"IR-21", b"IR-23", 1))
    tampered = _glasswall("verify", "--portal", served)
    assert tampered.returncode == 1
    assert f"/objects/{version.resources[0].sha256}" in tampered.stdout
    assert "no longer matches" in tampered.stdout
    target.write_bytes(original)
    _rewrite_history(store)
    assert (
        _glasswall("verify", "--portal", served).returncode == 0
    )  # a re-sealed chain is consistent
    caught = _glasswall("verify", "--portal", served, "--log-copy", str(copy))
    assert caught.returncode == 1 and "rewritten" in caught.stdout
    unreachable = _glasswall("verify", "--portal", "http://127.0.0.1:9")
    assert unreachable.returncode == 1 and "127.0.0.1:9" in unreachable.stdout + unreachable.stderr


@pytest.mark.slow
def test_an_acknowledged_item_survives_a_killed_server(
    samples: Store, settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    with (tmp_path / "first.log").open("w") as log:
        server = start_server(settings.home, port, log)
        url = f"http://127.0.0.1:{port}"
        assert wait_until_healthy(url)
        response = httpx.post(
            f"{url}/api/feedback",
            json={
                "dataset": "mrud-yazd/infrastructure-projects",
                "message": "چرا؟",
                "contact": "a@b.ir",
            },
        )
        assert response.status_code == 201
        server.send_signal(signal.SIGKILL)  # right after the citizen saw "received"
        server.wait(timeout=20)
    item_id = response.json()["id"]
    with (tmp_path / "second.log").open("w") as log:
        server = start_server(settings.home, port, log)
        try:
            assert wait_until_healthy(url)
            with reading(settings.home) as store:
                (item,) = queue(store.conn, "mrud-yazd")
                contact = store.conn.execute("SELECT contact FROM feedback_contacts").fetchone()
            assert (item.id, item.message, contact[0]) == (item_id, "چرا؟", "a@b.ir")
        finally:
            server.terminate()
            server.wait(timeout=20)
