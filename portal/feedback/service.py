"""Receiving an item: the one code path for the pages and `POST /api/feedback`."""

from __future__ import annotations

import hashlib

from portal.config import Settings
from portal.feedback.checks import checked
from portal.feedback.records import NewFeedback
from portal.feedback.store import submit
from portal.limits import RateLimiter
from portal.store import Store

_LIMITERS: dict[tuple[str, str, int], RateLimiter] = {}


def _limiter(settings: Settings, kind: str, per_hour: int) -> RateLimiter:
    """One limiter per store, kind and rate: the limits protect one store."""
    key = (str(settings.home), kind, per_hour)
    return _LIMITERS.setdefault(key, RateLimiter(per_hour, 3600))


def receive(settings: Settings, item: NewFeedback, client: str) -> int:
    """Check, rate-limit and store an item; its id once it is durably committed."""
    store = Store(settings.home)
    try:
        clean = checked(store, item)
        # The client address is only a rate-limit key, hashed, and never stored.
        who = hashlib.sha256(client.encode("utf-8")).hexdigest()
        _limiter(settings, "client", settings.feedback_per_client).check(
            who, "feedback.rate_client"
        )
        _limiter(settings, "dataset", settings.feedback_per_dataset).check(
            clean.dataset, "feedback.rate_dataset"
        )
        return submit(store.conn, clean)
    finally:
        store.close()
