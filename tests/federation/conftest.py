"""A real CKAN 2.11 (scripts/ckan_stand.py), started once per test session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.federation.client import CkanPortal

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Stand:
    url: str
    apikey: str

    def portal(self) -> CkanPortal:
        return CkanPortal(self.url, self.apikey)


@pytest.fixture(scope="session")
def ckan_stand() -> Iterator[Stand]:
    root = Path(f"/tmp/glasswall-ckan-stand-{os.getpid()}")
    script = [sys.executable, str(REPO / "scripts" / "ckan_stand.py")]
    done = subprocess.run(
        [*script, "up", "--dir", str(root)], capture_output=True, text=True, timeout=3000
    )
    if done.returncode:
        pytest.fail(f"the CKAN stand did not start:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    stand = json.loads(done.stdout.strip().splitlines()[-1])
    yield Stand(stand["url"], stand["apikey"])
    subprocess.run([*script, "down", "--dir", str(root)], capture_output=True, timeout=120)


@pytest.fixture
def ckan(ckan_stand: Stand) -> Stand:
    """The stand, emptied of every dataset, organization and group first."""
    portal = ckan_stand.portal()
    for name in portal.call("package_list"):
        portal.call("dataset_purge", id=name)
    for org in portal.call("organization_list"):
        portal.call("organization_purge", id=org)
    for group in portal.call("group_list"):
        portal.call("group_purge", id=group)
    return ckan_stand
