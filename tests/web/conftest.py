from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import Settings
from portal.demo import publish_samples
from portal.store import Store
from portal.web import context


@pytest.fixture
def published(tmp_path: Path, store: Store, settings: Settings) -> Settings:
    """A store with the four sample agencies published, registered for the pages."""
    publish_samples(store, settings)
    context.register(settings)
    return settings
