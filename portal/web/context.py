"""The one way the pages get their settings.

Pages run in Streamlit's script thread, which has no request or app object to carry
them, and Streamlit's `st.App` state is not reachable from a script. Streamlit's runtime
is itself one per process, so the composition root (`portal.app.create_app`) registers the
settings here once, next to the one runtime they configure, and every page asks
`settings()`. Tests register their own settings the same way before running a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from portal.config import Settings
from portal.store import Store, reading

_registered: list[Settings] = []


def register(settings: Settings) -> None:
    """Called by the composition root (and by tests) before any page runs."""
    _registered[:] = [settings]


def settings() -> Settings:
    if not _registered:
        raise RuntimeError("the pages run only under portal.app.create_app(settings)")
    return _registered[0]


@contextmanager
def read_store() -> Iterator[Store]:
    """A read-only store for one page run."""
    with reading(settings().home) as store:
        yield store
