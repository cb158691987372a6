"""What a request handler reads: the app's settings and a read-only store, opened per request.

The settings live on the application's state (`create_app(settings)` puts them there);
a connection per request keeps handlers independent of threads and sees each newly
committed version at once (WAL readers never block the publisher).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from starlette.requests import HTTPConnection

from portal.config import Settings
from portal.store import Store, reading


def settings(request: HTTPConnection) -> Settings:
    """The settings of the app serving this request."""
    found: Settings = request.app.state.settings
    return found


@contextmanager
def read_store(request: HTTPConnection) -> Iterator[Store]:
    with reading(settings(request).home) as store:
        yield store


def public_base_url(request: HTTPConnection) -> str:
    """Where links in answers point: `GLASSWALL_PUBLIC_URL`, else the request's own origin."""
    return settings(request).public_url or str(request.base_url).rstrip("/")
