"""Receiving an item: the one code path for the pages and `POST /api/feedback`."""

from __future__ import annotations

from portal.config import Settings
from portal.feedback.checks import checked
from portal.intake.limits import check_rate
from portal.store import writing
from portal.store.client_keys import client_key
from portal.store.disk import refused_when_full
from portal.store.feedback import submit
from portal.store.feedback_records import NewFeedback
from portal.store.files import StoreFiles
from portal.store.ratelimits import SQLiteStorage


def reset_limits(settings: Settings) -> None:
    """Forget recent submissions (an operator's choice; a restart no longer does it)."""
    SQLiteStorage(StoreFiles(settings.home).catalog).reset()


def receive(settings: Settings, item: NewFeedback, client: str) -> int:
    """Check, rate-limit and store an item; its id once it is durably committed (a full
    disk is `InsufficientStorage`)."""
    with refused_when_full(settings.home):
        return _receive(settings, item, client)


def _receive(settings: Settings, item: NewFeedback, client: str) -> int:
    store = writing(settings.home)
    try:
        clean = checked(store, item)
        # The client address is only a rate-limit key, hashed under the store's own secret
        # (a plain hash of an address is reversible), and never stored.
        who = client_key(settings.home, client)
        # The client's own allowance is spent first: one source alone can never use up a
        # dataset's allowance for everyone (and, without trusted proxies, cannot pick its
        # address through X-Forwarded-For).
        home = settings.home
        check_rate(
            home, "feedback-client", who, settings.feedback_per_client, "feedback.rate_client"
        )
        check_rate(
            home,
            "feedback-dataset",
            clean.dataset,
            settings.feedback_per_dataset,
            "feedback.rate_dataset",
        )
        return store.run(submit, clean)
    finally:
        store.close()
