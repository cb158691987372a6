"""`glasswall serve` for a test: one helper behind the `served` and `balanced` fixtures
(tests/conftest.py) and the module-wide portals of a few test files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from portal.serving.launch import free_port, start_server, wait_until_healthy

STARTS_WITHIN = 180  # seconds: two workers and HAProxy on a busy two-core machine


@contextmanager
def running(home: Path, log: Path, workers: int = 1) -> Iterator[str]:
    """`glasswall serve` over `home` on a free port of 127.0.0.1 (with `workers`, behind
    HAProxy) until the block ends: its URL. What it said goes to `log`, shown if it does
    not start; it is stopped the way an operator stops it (SIGTERM)."""
    port = free_port()
    with log.open("w") as written:
        process = start_server(home, port, written, workers=workers)
        url = f"http://127.0.0.1:{port}"
        try:
            if not wait_until_healthy(url, timeout=STARTS_WITHIN):
                process.kill()
                pytest.fail(log.read_text())
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)
