from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store
from portal.store.agencies import add_agency
from tests.packages import copy_sample
from tests.trust.changes import publish_revisions


@pytest.fixture
def mcls_token(store: Store) -> str:
    """The token of agency `mcls-yazd`, which owns the sample indicators package."""
    return add_agency(store.conn, "mcls-yazd", "تعاون یزد", "Cooperatives, Yazd")


@pytest.fixture
def first_version(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> Path:
    """The sample projects package copied to `pkg` and published as version 1."""
    folder = copy_sample(tmp_path / "pkg")
    publish(store, folder, settings, token=yazd_token)
    return folder


@pytest.fixture
def revised(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> Store:
    """mrud-yazd's projects in three versions, each revision explained."""
    assert publish_revisions(store, settings, yazd_token, copy_sample(tmp_path / "pkg")) == [
        1,
        2,
        3,
    ]
    return store
