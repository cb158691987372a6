from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.config import Settings
from portal.publishing.demo import publish_samples
from portal.store import Store
from portal.store.agencies import add_agency
from portal.web import context as pages_context
from tests.served import running

# What a test needs says how it is marked: `make check` (-m "not slow") must stay fast and
# must not need Chromium or CKAN. A test is marked by what it uses, not by where it sits.
NEEDED_MARKS = {"tests/browser/": {"browser", "slow"}}
NEEDED_BY_FIXTURE = {"served": {"slow"}, "balanced": {"slow"}, "ckan_stand": {"ckan", "slow"}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path.as_posix()
        needed = {m for part, marks in NEEDED_MARKS.items() if part in path for m in marks}
        for fixture in getattr(item, "fixturenames", ()):
            needed |= NEEDED_BY_FIXTURE.get(fixture, set())
        missing = needed - {mark.name for mark in item.iter_markers()}
        if missing:
            raise pytest.UsageError(f"{item.nodeid} must be marked {sorted(missing)}")


@pytest.fixture(autouse=True)
def pages_settings_restored() -> Iterator[None]:
    """Settings registered for the pages (`create_app`, a page test) end with the test that
    registered them: a later page test must not read an earlier test's deleted store."""
    before = pages_context.registrations()
    yield
    if pages_context.registrations() != before:
        pages_context.register_again(before)


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


@pytest.fixture(scope="session")
def published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four sample agencies published once per session (publishing takes seconds)."""
    home = tmp_path_factory.mktemp("template") / "var"
    store = Store(home)
    store.init()
    publish_samples(store, Settings(home=home))
    store.close()
    (home / "publisher.lock").unlink(missing_ok=True)
    return home


@pytest.fixture
def samples(store: Store, settings: Settings, published_template: Path) -> Store:
    """The four sample agencies published, version 1 each: a fresh copy for this test.

    Copied without timestamps, so the log's generation stamp is this test's own.
    """
    store.close()
    shutil.rmtree(settings.home)
    shutil.copytree(published_template, settings.home, copy_function=shutil.copy)
    return store


@pytest.fixture
def served(samples: Store, settings: Settings, tmp_path: Path) -> Iterator[str]:
    """The sample agencies published and `glasswall serve` running on 127.0.0.1: its URL."""
    with running(settings.home, tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def balanced(samples: Store, settings: Settings, tmp_path: Path) -> Iterator[str]:
    """The same behind HAProxy: `glasswall serve --workers 2` (the supervisor, two workers
    and the balancer with its page cache): the balancer's URL."""
    with running(settings.home, tmp_path / "serve.log", workers=2) as url:
        yield url
    state = settings.home / "run" / "serve.json"
    assert not state.exists(), "the supervisor stops its children and forgets them"


@pytest.fixture
def cli_home(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's store as the CLI's home, and no token from the environment."""
    monkeypatch.setenv("GLASSWALL_HOME", str(settings.home))
    monkeypatch.delenv("GLASSWALL_TOKEN", raising=False)
    return settings.home
