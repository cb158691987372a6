from __future__ import annotations

from collections.abc import Iterator

import pytest

from portal.config import Settings
from portal.store import Store
from portal.web import context


@pytest.fixture
def published(samples: Store, settings: Settings) -> Iterator[Settings]:
    """A store with the four sample agencies published, registered for the pages (this
    test's only: the next test finds what was there before)."""
    with context.registered(settings):
        yield settings
