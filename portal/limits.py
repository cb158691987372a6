"""Request limits: bodies read up to a size, and rate limits per key kept in the store.

Rate limits use the `limits` library (a fixed window per key) over the store's SQLite
catalog (`portal.store.ratelimits`): a restart does not reset them, every serving process
shares them, and the server's memory does not grow with the number of keys.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncGenerator
from pathlib import Path

from limits import RateLimitItemPerHour
from limits.strategies import FixedWindowRateLimiter
from starlette.requests import Request

from portal.errors import TooManyRequests, UploadTooLarge
from portal.store.disk import refused_when_full
from portal.store.ratelimits import SQLiteStorage


async def limited_stream(request: Request, limit: int, what: str) -> AsyncGenerator[bytes, None]:
    """The body in chunks, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadTooLarge("intake.too_large", limit=limit, file=what)
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise UploadTooLarge("intake.too_large", limit=limit, file=what)
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    return b"".join([chunk async for chunk in limited_stream(request, limit, "body")])


def check_rate(home: Path, kind: str, key: str, per_hour: int, message_key: str) -> None:
    """Count one event for `kind:key`; 429 (with Retry-After) once `per_hour` are used up."""
    limiter = FixedWindowRateLimiter(SQLiteStorage(home / "catalog.sqlite"))
    item = RateLimitItemPerHour(per_hour)
    with refused_when_full(home):
        allowed = limiter.hit(item, kind, key)
    if not allowed:
        reset, _ = limiter.get_window_stats(item, kind, key)
        raise TooManyRequests(message_key, retry_after=max(math.ceil(reset - time.time()), 1))


def publish_rate(home: Path, agency: str, per_hour: int) -> None:
    """One publication by `agency`: the API and the Publish page both count here."""
    check_rate(home, "publish", agency, per_hour, "api.publish_rate_limited")
