"""Two nodes on loopback: a writer, and a read-only replica fed by its log and objects."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from portal.config import Settings, load_settings
from portal.errors import Forbidden
from portal.publishing.publish import publish
from portal.replication.replicate import pull
from portal.serving.launch import free_port, start_server, wait_until_healthy
from portal.store import Store, catalog
from portal.store.verify import verify_store
from portal.tables.reader import cache_dir
from tests.packages import copy_sample, edit_descriptor

GLASSWALL = str(Path(sys.executable).parent / "glasswall")


def _node(home: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = start_server(home, port, log.open("w"))
    url = f"http://127.0.0.1:{port}"
    if not wait_until_healthy(url, timeout=120):
        process.kill()
        pytest.fail(log.read_text())
    return process, url


@pytest.fixture
def writer(samples: Store, settings: Settings, tmp_path: Path) -> Iterator[str]:
    process, url = _node(settings.home, tmp_path / "writer.log")
    yield url
    process.terminate()
    process.wait(timeout=30)


def _version(url: str) -> str:
    answer = httpx.get(f"{url}/api/3/action/package_show?id=mrud-yazd--infrastructure-projects")
    return str(answer.json()["result"]["version"]) if answer.status_code == 200 else "-"


@pytest.mark.slow
def test_a_reader_node_follows_the_writer_within_seconds_and_both_verify(
    writer: str, samples: Store, settings: Settings, tmp_path: Path
) -> None:
    replica_home = tmp_path / "replica"
    fresh = Store(replica_home)
    fresh.init()  # `glasswall init`, as the README says
    fresh.close()
    env = {**os.environ, "GLASSWALL_HOME": str(replica_home)}
    follower = subprocess.Popen(
        [GLASSWALL, "replicate", "--from", writer, "--interval", "0.5"],
        env=env,
        stdout=(tmp_path / "replicate.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        reader_process, reader = _node(replica_home, tmp_path / "reader.log")
        try:
            deadline = time.monotonic() + 60
            while _version(reader) != "1" and time.monotonic() < deadline:
                time.sleep(0.3)
            assert httpx.get(f"{reader}/health").json()["datasets"] == 4
            # A new version published on the writer shows on the reader within seconds.
            folder = copy_sample(tmp_path / "changed")
            edit_descriptor(folder, description="نسخهٔ دوم " + "توضیح " * 30)
            publish(samples, folder, settings, agency_slug="mrud-yazd")
            published = time.monotonic()
            while _version(reader) != "2" and time.monotonic() - published < 30:
                time.sleep(0.2)
            assert _version(reader) == "2", (tmp_path / "replicate.log").read_text()
            print(f"reader saw version 2 after {time.monotonic() - published:.1f} s")
            # The reader serves the writer's exact bytes and log.
            csv = "/download/mrud-yazd/infrastructure-projects/2/projects.csv"
            assert httpx.get(reader + csv).content == httpx.get(writer + csv).content
            assert httpx.get(f"{reader}/log.jsonl").content == (
                httpx.get(f"{writer}/log.jsonl").content
            )
            remote = subprocess.run(
                [GLASSWALL, "verify", "--portal", reader], capture_output=True, text=True
            )
            assert remote.returncode == 0, remote.stdout + remote.stderr
        finally:
            reader_process.terminate()
            reader_process.wait(timeout=30)
    finally:
        follower.terminate()
        follower.wait(timeout=30)
    for home in (settings.home, replica_home):
        local = subprocess.run(
            [GLASSWALL, "verify"],
            env={**os.environ, "GLASSWALL_HOME": str(home)},
            capture_output=True,
            text=True,
        )
        assert local.returncode == 0, local.stdout + local.stderr
    # The replica refuses to publish on its own: that would fork the chain.
    replica = Store(replica_home)
    with pytest.raises(Forbidden):
        publish(replica, folder, load_settings(replica_home), agency_slug="mrud-yazd")
    replica.close()


@pytest.mark.slow
def test_a_changed_object_on_the_writer_is_refused_and_nothing_of_it_applied(
    writer: str, samples: Store, tmp_path: Path
) -> None:
    version = catalog.version(samples.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    target = samples.objects.path(version.resources[0].sha256)
    original = target.read_bytes()
    target.chmod(0o644)
    target.write_bytes(original.replace(b"IR-21", b"IR-23", 1))
    replica = Store(tmp_path / "replica")
    replica.init()
    report = pull(replica, writer)
    assert [p.code for p in report.problems] == ["object_changed"]
    assert version.resources[0].sha256 in report.problems[0].where
    assert not replica.objects.has(version.resources[0].sha256)
    applied = len(report.applied)
    assert len(replica.log.read()[0]) == applied
    assert catalog.version(replica.conn, "mrud-yazd", "infrastructure-projects") is None
    assert verify_store(replica) == []
    # Mended on the writer, the next pass carries on where it stopped.
    target.write_bytes(original)
    again = pull(replica, writer)
    assert again.problems == [] and len(replica.log.read()[0]) == again.entries
    assert verify_store(replica) == []
    # Each applied table is already in the replica's columnar cache (nothing has read it).
    cached = {path.name.split("-")[0] for path in cache_dir(replica.home).glob("*.arrow")}
    for summary in catalog.datasets(replica.conn):
        applied_version = catalog.version(replica.conn, summary.agency, summary.dataset)
        assert applied_version is not None
        assert {r.sha256 for r in applied_version.resources} <= cached, summary
    replica.close()
