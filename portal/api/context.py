"""What a request handler reads: the settings and a read-only store, opened per request.

A connection per request keeps handlers independent of threads and sees each newly
committed version at once (WAL readers never block the publisher).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from starlette.requests import Request

from portal.config import SETTINGS_ENV, Settings, load_settings
from portal.store import Store, reading


def settings() -> Settings:
    """The settings for the environment as it is now (tests change it between requests)."""
    return _settings_for((*(os.environ.get(name) for name in SETTINGS_ENV), os.getcwd()))


@lru_cache(maxsize=16)
def _settings_for(_environment: tuple[str | None, ...]) -> Settings:
    # Resolving the home path costs a few syscalls: once per distinct environment, not per request.
    return load_settings()


@contextmanager
def read_store() -> Iterator[Store]:
    with reading(settings().home) as store:
        yield store


def public_base_url(request: Request) -> str:
    """Where links in answers point: `GLASSWALL_PUBLIC_URL`, else the request's own origin."""
    return settings().public_url or str(request.base_url).rstrip("/")
