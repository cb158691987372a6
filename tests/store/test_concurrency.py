"""Eight publishers racing on one dataset: eight versions, one unbroken chain."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.config import Settings
from portal.store import Store, catalog
from portal.store.verify import verify_store
from tests.packages import copy_sample, set_cell

PUBLISHERS = 8

CLI = [sys.executable, "-m", "portal.cli"]


@pytest.mark.slow
def test_concurrent_publishers_are_serialised(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    folders = []
    for index in range(PUBLISHERS):
        folder = copy_sample(tmp_path / f"pkg{index}")
        set_cell(folder, 0, "beneficiaries", str(10 + index))
        folders.append(folder)
    env = {**os.environ, "GLASSWALL_LANG": "en"}
    children = [
        subprocess.Popen(
            [*CLI, "--home", str(settings.home), "publish", str(folder), "--token", yazd_token],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    outputs = [child.communicate(timeout=180) for child in children]
    assert [child.returncode for child in children] == [0] * PUBLISHERS, outputs
    versions = catalog.versions(store.conn, "mrud-yazd", "infrastructure-projects")
    assert [v.number for v in versions] == list(range(1, PUBLISHERS + 1))
    assert len({v.resources[0].sha256 for v in versions}) == PUBLISHERS
    lines = store.log.read()[0]
    assert len([line for line in lines if line.entry and line.entry["type"] == "publish"]) == (
        PUBLISHERS
    )
    assert verify_store(store) == []
