"""Opening a store must not look like a publication: every per-publication cache (the door's
pages, the balancer's copies) is keyed by the public log's generation (size, mtime)."""

from __future__ import annotations

import os

from portal.config import Settings
from portal.store import Store, public_log


def test_opening_an_existing_store_leaves_the_logs_generation_alone(
    samples: Store, settings: Settings
) -> None:
    log = settings.home / "log.jsonl"
    earlier = log.stat().st_mtime_ns - 5_000_000_000
    os.utime(log, ns=(earlier, earlier))  # published a while ago
    before = public_log.generation(log)
    again = Store(settings.home)
    again.init()  # what every command, worker start and the sheets page do
    again.close()
    assert public_log.generation(log) == before


def test_a_new_store_gets_an_empty_log(settings: Settings) -> None:
    store = Store(settings.home)
    store.init()
    store.close()
    assert (settings.home / "log.jsonl").read_bytes() == b""
