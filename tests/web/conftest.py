from __future__ import annotations

import pytest

from portal.config import Settings
from portal.store import Store
from portal.web import context


@pytest.fixture
def published(samples: Store, settings: Settings) -> Settings:
    """A store with the four sample agencies published, registered for the pages."""
    context.register(settings)
    return settings
