"""Request limits: bodies read up to a size, and rate limits per key kept in the store.

Rate limits use the `limits` library (a fixed window per key) over the store's SQLite
catalog (`portal.store.ratelimits`): a restart does not reset them, every serving process
shares them, and the server's memory does not grow with the number of keys.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncGenerator
from pathlib import Path

from limits import RateLimitItemPerHour
from limits.strategies import FixedWindowRateLimiter
from starlette.requests import ClientDisconnect, Request

from portal.errors import ClientGone, RequestTimeout, TooManyRequests, UploadTooLarge
from portal.store.disk import refused_when_full
from portal.store.files import StoreFiles
from portal.store.ratelimits import SQLiteStorage

# A body must arrive at least this fast, after a grace period: a phone on a poor mobile
# link sends tens of KB/s; a slow-body attacker sends a byte every few seconds to hold a
# connection (the request head has its own deadline in `portal.serving.http_guard`).
BODY_GRACE_SECONDS = 10.0
BODY_MIN_BYTES_PER_SECOND = 8 * 1024


def body_deadline(expected: int) -> float:
    """Seconds a body of `expected` bytes may take to arrive."""
    return BODY_GRACE_SECONDS + expected / BODY_MIN_BYTES_PER_SECOND


async def limited_stream(request: Request, limit: int, what: str) -> AsyncGenerator[bytes, None]:
    """The body in chunks, refused with 413 as soon as it passes `limit` bytes, with 408
    when it trickles in slower than `body_deadline` allows; a client that hangs up ends
    in `ClientGone` (a 400 nobody reads), not a traceback."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadTooLarge("intake.too_large", limit=limit, file=what)
    declared_size = int(declared) if declared.isdigit() else None
    loop = asyncio.get_running_loop()
    started = loop.time()
    chunks = request.stream().__aiter__()
    seen = 0
    while True:
        # a declared size sets the pace; a chunked body may grow by a chunk at a time
        expected = declared_size if declared_size is not None else seen + 64 * 1024
        allowed = body_deadline(expected) - (loop.time() - started)
        try:
            chunk = await asyncio.wait_for(chunks.__anext__(), timeout=max(allowed, 0.001))
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise RequestTimeout("api.body_too_slow", file=what, seconds=round(allowed)) from None
        except ClientDisconnect:
            raise ClientGone("api.client_gone", file=what) from None
        seen += len(chunk)
        if seen > limit:
            raise UploadTooLarge("intake.too_large", limit=limit, file=what)
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    return b"".join([chunk async for chunk in limited_stream(request, limit, "body")])


def check_rate(home: Path, kind: str, key: str, per_hour: int, message_key: str) -> None:
    """Count one event for `kind:key`; 429 (with Retry-After) once `per_hour` are used up."""
    limiter = FixedWindowRateLimiter(SQLiteStorage(StoreFiles(home).catalog))
    item = RateLimitItemPerHour(per_hour)
    with refused_when_full(home):
        allowed = limiter.hit(item, kind, key)
    if not allowed:
        reset, _ = limiter.get_window_stats(item, kind, key)
        raise TooManyRequests(message_key, retry_after=max(math.ceil(reset - time.time()), 1))


def publish_rate(home: Path, agency: str, per_hour: int) -> None:
    """One publication by `agency`: the API and the Publish page both count here."""
    check_rate(home, "publish", agency, per_hour, "api.publish_rate_limited")
