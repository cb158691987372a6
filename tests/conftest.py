from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.config import Settings, load_settings
from portal.store import Store
from portal.store.tokens import add_agency


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh store home for each test, also seen by subprocesses through the env."""
    home = tmp_path / "var"
    monkeypatch.setenv("GLASSWALL_HOME", str(home))
    return load_settings()


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    store = Store(settings.home)
    store.init()
    yield store
    store.close()


@pytest.fixture
def yazd_token(store: Store) -> str:
    """The token of agency `mrud-yazd`, which owns the sample projects package."""
    return add_agency(
        store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads and Urban Development, Yazd"
    )
