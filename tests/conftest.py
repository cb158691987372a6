from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.config import Settings
from portal.demo import publish_samples
from portal.launch import free_port, start_server, wait_until_healthy
from portal.store import Store
from portal.store.tokens import add_agency


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A fresh store home for each test (subprocesses get it with --home)."""
    return Settings(home=tmp_path / "var")


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


@pytest.fixture
def samples(store: Store, settings: Settings) -> Store:
    """The four sample agencies published, version 1 each."""
    publish_samples(store, settings)
    return store


@pytest.fixture
def served(samples: Store, settings: Settings, tmp_path: Path) -> Iterator[str]:
    """The sample agencies published and `glasswall serve` running on 127.0.0.1: its URL."""
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    process = start_server(settings.home, port, log)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_healthy(url):
        process.kill()
        pytest.fail((tmp_path / "server.log").read_text())
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()
