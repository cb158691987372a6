"""What a request handler reads: the settings and a read-only store, opened per request.

A connection per request keeps handlers independent of threads and sees each newly
committed version at once (WAL readers never block the publisher).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from starlette.requests import Request

from portal.config import Settings, load_settings
from portal.store import Store, reading


def settings() -> Settings:
    return load_settings()


@contextmanager
def read_store() -> Iterator[Store]:
    with reading(settings().home) as store:
        yield store


def public_base_url(request: Request) -> str:
    """Where links in answers point: `GLASSWALL_PUBLIC_URL`, else the request's own origin."""
    return settings().public_url or str(request.base_url).rstrip("/")
