"""Punctuality in the agencies' ranking: on time, late by how much, moved, cancelled."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store
from portal.store.agencies import create_token
from portal.store.releases import cancel, move, release_due
from portal.trust.punctuality import punctuality
from portal.web import context
from tests.packages import copy_sample, edit_descriptor
from tests.web.test_pages import run, texts


@pytest.fixture
def published(samples: Store, settings: Settings) -> Iterator[Settings]:
    """The sample agencies published, registered for the pages (as tests/web does)."""
    with context.registered(settings):
        yield settings


def _seal(store: Store, settings: Settings, tmp_path: Path, name: str, seconds: int) -> None:
    token = create_token(store.conn, "mrud-yazd")
    folder = copy_sample(tmp_path / name)
    edit_descriptor(folder, name=name)
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=seconds + 1)
    assert publish(store, folder, settings, token=token, release_at=when).release is not None


def test_ranking_counts_on_time_late_moved_and_cancelled(
    tmp_path: Path, published: Settings, samples: Store
) -> None:
    _seal(samples, published, tmp_path, "on-time", 3)
    _seal(samples, published, tmp_path, "moved-one", 3600)
    _seal(samples, published, tmp_path, "dropped", 3600)
    move(samples, "mrud-yazd", "moved-one", datetime.now(UTC) + timedelta(hours=2), ("دیر", "Late"))
    cancel(samples, "mrud-yazd", "dropped", ("لغو", "Stopped"))
    time.sleep(4.2)
    assert len(release_due(samples)) == 1  # at its hour
    _seal(samples, published, tmp_path, "late-one", 3)
    time.sleep(4.2)
    # The portal was down: released on start, 30 minutes after the hour.
    assert len(release_due(samples, datetime.now(UTC) + timedelta(minutes=30))) == 1
    kept = punctuality(samples)["mrud-yazd"]
    assert (kept.on_time, kept.late, kept.moved, kept.cancelled) == (1, 1, 1, 1)
    assert kept.median_late_minutes is not None and 29 < kept.median_late_minutes < 31
    assert "releases on time 1, late 1" in texts(run("home", "en"))
