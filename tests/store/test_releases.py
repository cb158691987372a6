"""Sealed releases over a real store: sealed now, nothing public, released once at the hour."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.publishing.release_time import parse_when
from portal.store import Store, catalog
from portal.store.releases import all_releases, release_due
from portal.store.verify import verify_store
from portal.store.verify_releases import check_releases
from portal.store.writer import recover_store
from tests.cli_runs import ahead, run
from tests.packages import copy_sample, set_cell

DATASET = "infrastructure-projects"


@pytest.fixture(autouse=True)
def home(cli_home: Path) -> Path:
    return cli_home


def _entries(home: Path) -> list[dict]:
    return [json.loads(line) for line in (home / "log.jsonl").read_text().splitlines()]


def _seal(tmp_path: Path, token: str, when: str, name: str = "pkg") -> tuple[int, str]:
    return run("publish", str(copy_sample(tmp_path / name)), "--token", token, "--release-at", when)


def test_sealed_release_is_committed_on_the_log_and_withheld_everywhere(
    tmp_path: Path, yazd_token: str, home: Path, settings: Settings
) -> None:
    code, out = _seal(tmp_path, yazd_token, ahead(3600))
    assert code == 0, out
    assert "Sealed" in out and "مهر و موم" in out
    commitment = out.strip().splitlines()[-1]
    (entry,) = [e for e in _entries(home) if e["type"] == "schedule"]
    assert entry["commitment"] == commitment and entry["version"] == 1
    assert [e for e in _entries(home) if e["type"] == "publish"] == []
    store = Store(home)
    assert catalog.version(store.conn, "mrud-yazd", DATASET) is None
    manifest = json.loads(store.objects.read_bytes(commitment))
    client = TestClient(open_data_app(settings))
    for sha in [commitment, manifest["descriptor"], *[r["sha256"] for r in manifest["resources"]]]:
        assert client.get(f"/objects/{sha}").status_code == 404, sha
    assert client.get(f"/download/mrud-yazd/{DATASET}/latest/projects.csv").status_code == 404
    assert client.get("/api/3/action/package_list").json()["result"] == []
    assert DATASET not in client.get("/catalog.jsonld").text
    assert DATASET not in client.get("/feeds/publications.atom").text


def test_bad_times_and_a_second_schedule_are_refused(tmp_path: Path, yazd_token: str) -> None:
    code, out = _seal(tmp_path, yazd_token, ahead(-60), "past")
    assert code == 2 and "not ahead of now" in out and "پس از اکنون" in out
    code, out = _seal(tmp_path, yazd_token, "2026-12-20T09:30", "naive")
    assert code == 2 and "has no offset" in out
    code, out = _seal(tmp_path, yazd_token, "tomorrow", "word")
    assert code == 2 and "is not a time" in out
    assert _seal(tmp_path, yazd_token, ahead(3600), "first")[0] == 0
    code, out = _seal(tmp_path, yazd_token, ahead(7200), "second")
    assert code == 2 and "already has a sealed release" in out
    folder = copy_sample(tmp_path / "plain")
    set_cell(folder, 0, "title_en", "Changed")
    code, out = run("publish", str(folder), "--token", yazd_token)
    assert code == 2 and "sealed release due at" in out


def test_jalali_tehran_time_is_read_as_utc_plus_0330() -> None:
    assert parse_when("1405/09/29 09:30") == datetime(2026, 12, 20, 6, 0, tzinfo=UTC)
    assert parse_when("۱۴۰۵/۰۹/۲۹ ۰۹:۳۰") == parse_when("2026-12-20T09:30+03:30")


def test_released_once_at_its_hour_equal_to_the_commitment(
    tmp_path: Path, yazd_token: str, home: Path, settings: Settings
) -> None:
    code, out = _seal(tmp_path, yazd_token, ahead(3))
    commitment = out.strip().splitlines()[-1]
    store = Store(home)
    assert release_due(store) == []  # not yet
    time.sleep(4.2)
    (version,) = release_due(store)
    assert release_due(store) == []  # exactly once
    assert version.manifest_sha256 == commitment and version.number == 1
    (entry,) = [e for e in _entries(home) if e["type"] == "publish"]
    assert entry["manifest"] == commitment and entry["release"]["commitment"] == commitment
    (release,) = all_releases(store.conn)
    assert release.status == "released" and release.late_seconds is not None
    client = TestClient(open_data_app(settings))
    assert client.get(f"/objects/{commitment}").status_code == 200
    assert client.get(f"/download/mrud-yazd/{DATASET}/latest/projects.csv").status_code == 200
    code, out = run("verify")
    assert code == 0, out


def test_a_portal_down_at_the_hour_releases_late_and_says_by_how_much(
    tmp_path: Path, yazd_token: str, home: Path
) -> None:
    _seal(tmp_path, yazd_token, ahead(3))
    time.sleep(4.2)
    store = Store(home)
    assert len(release_due(store, datetime.now(UTC) + timedelta(hours=1))) == 1
    (release,) = all_releases(store.conn)
    assert release.status == "late" and release.late_seconds is not None
    assert release.late_seconds >= 3600
    assert run("verify")[0] == 0


def test_verify_holds_each_release_to_its_commitment_and_its_hour(
    tmp_path: Path, yazd_token: str, home: Path
) -> None:
    _seal(tmp_path, yazd_token, ahead(3))
    time.sleep(4.2)
    release_due(Store(home))
    entries = list(enumerate(_entries(home), start=1))
    assert check_releases(entries) == []
    forged = [
        (seq, {**e, "manifest": "f" * 64} if e["type"] == "publish" else e) for seq, e in entries
    ]
    assert [f[0] for f in check_releases(forged)] == ["release_uncommitted"]
    early = [
        (seq, {**e, "time": "2000-01-01T00:00:00+00:00"} if e["type"] == "publish" else e)
        for seq, e in entries
    ]
    assert [f[0] for f in check_releases(early)] == ["release_early"]


KILLED_AT_RELEASE = """
import os, sys
from pathlib import Path
from portal.store import Store
from portal.store.public_log import LogFile
from portal.store.releases import release_due
LogFile.append = lambda self, entry: os._exit(9)  # killed after the commit, before the line
release_due(Store(Path(sys.argv[1])))
"""


def test_killed_at_the_release_moment_it_is_released_exactly_once_after_restart(
    tmp_path: Path, yazd_token: str, home: Path
) -> None:
    code, out = _seal(tmp_path, yazd_token, ahead(3))
    assert code == 0, out
    commitment = out.strip().splitlines()[-1]
    time.sleep(4.2)
    child = subprocess.run([sys.executable, "-c", KILLED_AT_RELEASE, str(home)], check=False)
    assert child.returncode == 9
    assert [e for e in _entries(home) if e["type"] == "publish"] == []  # the line never came
    store = Store(home)
    recover_store(store)  # what `serve` does first on restart
    assert release_due(store) == []  # committed once: never released a second time
    (entry,) = [e for e in _entries(home) if e["type"] == "publish"]
    assert entry["manifest"] == commitment
    assert verify_store(store) == []


def test_a_clock_moving_backwards_neither_releases_early_nor_twice(
    tmp_path: Path, yazd_token: str, home: Path
) -> None:
    """The clock jumps back an hour around the release: nothing is released while the
    clock says it is before the hour, and what was released stays released, once."""
    _seal(tmp_path, yazd_token, ahead(3))
    store = Store(home)
    time.sleep(4.2)  # the hour has passed
    back = datetime.now(UTC) - timedelta(hours=1)
    assert release_due(store, back) == []  # the clock went back: not yet, by its say
    (version,) = release_due(store)  # the clock is right again
    assert release_due(store, back - timedelta(hours=2)) == []  # back again: nothing undone
    assert release_due(store) == []  # and never twice
    (release,) = all_releases(store.conn)
    assert release.status in ("released", "late") and version.number == 1
    assert len([e for e in _entries(home) if e["type"] == "publish"]) == 1
    assert run("verify")[0] == 0
