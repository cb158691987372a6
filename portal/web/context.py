"""The one way the pages get their settings.

Pages run in Streamlit's script thread, which has no request or app object to carry
them, and Streamlit's `st.App` state is not reachable from a script. Streamlit's runtime
is itself one per process, so the composition root (`portal.app.create_app`) registers the
settings here once, next to the one runtime they configure, and every page asks
`settings()`. Tests register their own with `registered()`, which restores what was there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from portal.config import Settings
from portal.store import Store, reading

_registered: list[Settings] = []


def register(settings: Settings) -> None:
    """Called by the composition root before any page runs."""
    _registered[:] = [settings]


@contextmanager
def registered(settings: Settings) -> Iterator[Settings]:
    """`settings` for the pages while open, then what was there before: a test's pages see
    its own store, and the next test does not inherit it."""
    before = list(_registered)
    _registered[:] = [settings]
    try:
        yield settings
    finally:
        _registered[:] = before


def registrations() -> tuple[Settings, ...]:
    """What is registered now, to be put back with `register_again` (a test's fixtures)."""
    return tuple(_registered)


def register_again(saved: tuple[Settings, ...]) -> None:
    _registered[:] = list(saved)


def settings() -> Settings:
    if not _registered:
        raise RuntimeError("the pages run only under portal.app.create_app(settings)")
    return _registered[0]


@contextmanager
def read_store() -> Iterator[Store]:
    """A read-only store for one page run."""
    with reading(settings().home) as store:
        yield store
