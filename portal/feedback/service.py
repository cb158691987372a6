"""Receiving an item: the one code path for the pages and `POST /api/feedback`."""

from __future__ import annotations

import hashlib

from portal.config import Settings
from portal.feedback.checks import checked
from portal.feedback.records import NewFeedback
from portal.feedback.store import submit
from portal.limits import RateLimiter
from portal.store import Store

_LIMITERS: dict[tuple[str, int], RateLimiter] = {}


def _limiter(kind: str, per_hour: int) -> RateLimiter:
    return _LIMITERS.setdefault((kind, per_hour), RateLimiter(per_hour, 3600))


def reset_limits() -> None:
    """Forget recent submissions (a restart does the same)."""
    _LIMITERS.clear()


def receive(settings: Settings, item: NewFeedback, client: str) -> int:
    """Check, rate-limit and store an item; its id once it is durably committed."""
    store = Store(settings.home)
    try:
        clean = checked(store, item)
        # The client address is only a rate-limit key, hashed, and never stored.
        who = hashlib.sha256(client.encode("utf-8")).hexdigest()
        _limiter("client", settings.feedback_per_client).check(who, "feedback.rate_client")
        _limiter("dataset", settings.feedback_per_dataset).check(
            clean.dataset, "feedback.rate_dataset"
        )
        return submit(store.conn, clean)
    finally:
        store.close()
