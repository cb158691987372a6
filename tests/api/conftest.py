from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.store import Store


@pytest.fixture
def client(settings: Settings) -> TestClient:
    """The portal's HTTP routes and middleware in-process over the test's store."""
    return TestClient(open_data_app(settings))


@pytest.fixture
def live(samples: Store, settings: Settings) -> Iterator[str]:
    """The open-data routes over the sample agencies, served by a real uvicorn on 127.0.0.1
    in a thread of this process (tools such as frictionless and ckanapi talk HTTP to it)."""
    config = uvicorn.Config(
        open_data_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not (server.started and server.servers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
