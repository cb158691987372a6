"""The release clock: the one serving process that publishes sealed releases at their hour.

With one worker that is the portal process itself (a thread); with several, the
supervisor (its watch loop): never the workers, so exactly one process looks. Even two
clocks could not release twice: the release's status changes in the transaction that
inserts its version, under the publish lock. A portal that was down releases on start,
and the release is marked late by how much.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from portal.store import writing
from portal.store.releases import release_due
from portal.tables.reader import warm_tables

INTERVAL = 1.0  # seconds between looks: a release is public within about a second of its hour
_log = logging.getLogger(__name__)


def tick(home: Path) -> int:
    """Release what is due now; the number released. Never raises: the portal keeps
    serving, and the next tick tries again."""
    store = writing(home)
    try:
        released = release_due(store)
        for version in released:
            warm_tables(store, version)
        return len(released)
    except Exception:  # a broken commitment or a full disk must not stop the portal
        _log.exception("release clock: a due release could not be published")
        return 0
    finally:
        store.close()


class ReleaseClock:
    """`tick` every `interval` seconds on a daemon thread, until stopped."""

    def __init__(self, home: Path, interval: float = INTERVAL) -> None:
        self.home = home
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="release-clock", daemon=True)

    def start(self) -> ReleaseClock:
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            tick(self.home)

    def stop(self) -> None:
        self.stopped.set()
