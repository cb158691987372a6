"""A publisher killed at any instant leaves every earlier version intact and `verify` clean."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.store import Store, catalog
from portal.store.agencies import add_agency
from portal.store.objects import sha256_file
from portal.store.verify import verify_store
from portal.store.writer import recover_store

REPO = Path(__file__).resolve().parents[2]
KILLS = 24


def _run_and_kill(home: Path, work: Path, delay: float) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_child", str(home), str(work)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


@pytest.mark.slow
def test_killed_publisher_leaves_previous_versions_intact(tmp_path: Path) -> None:
    home = tmp_path / "var"
    store = Store(home)
    store.init()
    add_agency(store.conn, "crash", "آزمون", "Crash test")
    seen: dict[int, str] = {}
    rng = random.Random(20261122)
    for _ in range(KILLS):
        _run_and_kill(home, tmp_path / "work", delay=rng.uniform(0.35, 0.9))
        recover_store(store)
        assert verify_store(store) == []
        versions = catalog.versions(store.conn, "crash", "loop")
        numbers = [v.number for v in versions]
        assert numbers == list(range(1, len(numbers) + 1))
        for version in versions:
            # A version seen before the crash is unchanged after it.
            assert (
                seen.setdefault(version.number, version.manifest_sha256) == version.manifest_sha256
            )
            entry = version.resources[0]
            assert sha256_file(store.objects.path(entry.sha256)) == (entry.sha256, entry.bytes)
        lines, fragment = store.log.read()
        published = [line for line in lines if line.entry and line.entry["type"] == "publish"]
        assert fragment == "" and len(published) == len(versions)
    assert len(seen) >= KILLS  # the loop really published between kills
