from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from portal.api.errors import EXCEPTION_HANDLERS
from portal.api.routes import all_middleware, all_routes


@pytest.fixture
def client() -> TestClient:
    """The portal's HTTP routes and middleware in-process (the pages are not needed here)."""
    app = Starlette(
        routes=all_routes(), middleware=all_middleware(), exception_handlers=EXCEPTION_HANDLERS
    )
    return TestClient(app)
