from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings


@pytest.fixture
def client(settings: Settings) -> TestClient:
    """The portal's HTTP routes and middleware in-process over the test's store."""
    return TestClient(open_data_app(settings))
