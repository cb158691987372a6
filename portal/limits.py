"""Request limits: bodies read up to a size, and a sliding-window rate limit per key.

The rate limiter lives in the serving process: one process serves the portal, so its
memory is the whole truth about recent requests.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncGenerator

from starlette.requests import Request

from portal.errors import TooManyRequests, UploadTooLarge


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


class RateLimiter:
    """At most `count` events per key in any `window` seconds."""

    def __init__(self, count: int, window: float) -> None:
        self.count = count
        self.window = window
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, key: str, message_key: str) -> None:
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.count:
                wait = math.ceil(events[0] + self.window - now)
                raise TooManyRequests(message_key, retry_after=max(wait, 1))
            events.append(now)
