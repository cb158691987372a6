"""The release clock against a served portal: nothing public before the hour, all of it
after, released exactly once (one worker, several workers, or a portal down at the hour)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.replication.replicate import pull
from portal.serving.launch import free_port, start_server, wait_until_healthy
from portal.store import Store
from portal.store.members import add_member
from portal.store.verify import verify_store
from tests.packages import copy_sample, edit_descriptor

DATASET = "sealed-projects"
REF = f"mrud-yazd/{DATASET}"


def _seal(home: Path, folder: Path, seconds: int) -> tuple[str, datetime]:
    """`glasswall publish --release-at` in its own process, as an agency runs it; the
    hour `seconds` ahead leaves room for validation on a loaded machine."""
    store = Store(home)
    token = add_member(store.conn, "mrud-yazd", "Sara", "admin")
    store.close()
    edit_descriptor(folder, name=DATASET)
    when = (datetime.now(UTC) + timedelta(seconds=seconds)).replace(microsecond=0)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "portal.cli", "--home", str(home), "publish", str(folder)),
            *("--token", token, "--release-at", when.isoformat()),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1], when


def _public_views(client: httpx.Client, commitment: str) -> dict[str, str]:
    """Every public route that could show the dataset, by name: its status and body."""
    paths = {
        "package_list": "/api/3/action/package_list",
        "package_show": f"/api/3/action/package_show?id=mrud-yazd--{DATASET}",
        "package_search": f"/api/3/action/package_search?q={DATASET}",
        "download": f"/download/{REF}/latest/projects.csv",
        "package_zip": f"/download/{REF}/latest/package.zip",
        "datastore": f"/api/3/action/datastore_search?resource_id={REF}/projects",
        "dcat": "/catalog.jsonld",
        "dcat_one": f"/catalog/{REF}.jsonld",
        "feed": "/feeds/publications.atom",
        "agency_feed": "/feeds/mrud-yazd.atom",
        "object": f"/objects/{commitment}",
        "sitemap": "/sitemap.xml",
    }
    views = {}
    for name, path in paths.items():
        answer = client.get(path)
        views[name] = f"{answer.status_code} {answer.text}"
    for part in re.findall(r"<loc>([^<]*sitemap-\d+\.xml)</loc>", views["sitemap"]):
        views[part] = client.get(part).text
    return views


def _leaks(views: dict[str, str]) -> list[str]:
    return [name for name, body in views.items() if DATASET in body and not body.startswith("404")]


def _wait_released(client: httpx.Client, deadline: float) -> float:
    while time.monotonic() < deadline:
        if client.get(f"/download/{REF}/latest/projects.csv").status_code == 200:
            return time.monotonic()
        time.sleep(0.25)
    pytest.fail("not released in time")


def _publications(home: Path) -> list[dict]:
    entries = [json.loads(line) for line in (home / "log.jsonl").read_text().splitlines()]
    return [e for e in entries if e["type"] == "publish" and e["dataset"] == DATASET]


@pytest.fixture
def serve(samples: Store, settings: Settings, tmp_path: Path) -> Iterator[object]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(workers: int = 1) -> str:
        port = free_port()
        log = (tmp_path / f"serve-{len(processes)}.log").open("w")
        processes.append(start_server(settings.home, port, log, workers=workers))
        url = f"http://127.0.0.1:{port}"
        assert wait_until_healthy(url, timeout=180), (tmp_path / "serve-0.log").read_text()
        return url

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_nothing_leaks_before_the_hour_and_everything_shows_after(
    serve, settings: Settings, tmp_path: Path
) -> None:
    url = serve()
    commitment, when = _seal(settings.home, copy_sample(tmp_path / "pkg"), 20)
    with httpx.Client(base_url=url, timeout=30) as client:
        before = _public_views(client, commitment)
        assert _leaks(before) == [], _leaks(before)
        released = _wait_released(client, time.monotonic() + 60)
        lag = datetime.now(UTC) - when
        after = _public_views(client, commitment)
    assert lag < timedelta(seconds=5), lag
    assert after["download"].startswith("200")
    assert {"package_list", "package_show", "dcat", "feed", "sitemap"} <= set(_leaks(after))
    (entry,) = _publications(settings.home)
    assert entry["manifest"] == commitment
    assert released
    print(f"released {lag.total_seconds():.1f} s after its hour")
    verify = subprocess.run(
        [sys.executable, "-m", "portal.cli", "--home", str(settings.home), "verify"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.slow
def test_with_two_workers_the_supervisor_releases_exactly_once(
    serve, settings: Settings, tmp_path: Path
) -> None:
    url = serve(workers=2)
    commitment, _ = _seal(settings.home, copy_sample(tmp_path / "pkg"), 20)
    with httpx.Client(base_url=url, timeout=30) as client:
        _wait_released(client, time.monotonic() + 60)
    time.sleep(2)
    (entry,) = _publications(settings.home)
    assert entry["manifest"] == commitment


@pytest.mark.slow
def test_a_portal_down_at_the_hour_releases_on_start_marked_late(
    serve, settings: Settings, tmp_path: Path
) -> None:
    commitment, when = _seal(settings.home, copy_sample(tmp_path / "pkg"), 15)
    time.sleep(max(0.0, (when - datetime.now(UTC)).total_seconds()) + 2)
    url = serve()
    with httpx.Client(base_url=url, timeout=30) as client:
        assert client.get(f"/download/{REF}/latest/projects.csv").status_code == 200
    (entry,) = _publications(settings.home)
    assert entry["manifest"] == commitment and entry["release"]["late_seconds"] >= 2


@pytest.mark.slow
def test_a_replica_announces_the_release_then_shows_it_once_released(
    serve, settings: Settings, tmp_path: Path
) -> None:
    writer = serve()
    replica_home = tmp_path / "replica"
    Store(replica_home).init()
    replica = Store(replica_home)
    commitment, _ = _seal(settings.home, copy_sample(tmp_path / "pkg"), 20)
    assert pull(replica, writer).problems == []
    reader = TestClient(open_data_app(Settings(home=replica_home)))
    (listed,) = reader.get("/api/releases").json()["releases"]
    assert listed["commitment"] == commitment and listed["status"] == "scheduled"
    assert reader.get(f"/download/{REF}/latest/projects.csv").status_code == 404
    with httpx.Client(base_url=writer, timeout=30) as client:
        _wait_released(client, time.monotonic() + 60)
    started = time.monotonic()
    assert pull(replica, writer).problems == []
    assert reader.get(f"/download/{REF}/latest/projects.csv").status_code == 200
    print(f"replica applied the release {time.monotonic() - started:.1f} s after the writer")
    (listed,) = reader.get("/api/releases").json()["releases"]
    assert listed["status"] == "released"
    assert verify_store(replica) == []
    replica.close()
