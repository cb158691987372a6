"""`receive`: the one path for pages and API, with rate limits that protect one store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from portal.config import Settings
from portal.demo import publish_samples
from portal.errors import TooManyRequests
from portal.feedback.records import NewFeedback
from portal.feedback.service import receive
from portal.store import Store

ITEM = NewFeedback("mrud-yazd/infrastructure-projects", "چرا؟")


def test_a_client_is_limited_per_hour_and_another_store_is_not(
    samples: Store, settings: Settings, tmp_path: Path
) -> None:
    strict = replace(settings, feedback_per_client=2)
    assert receive(strict, ITEM, "10.0.0.1") > 0
    assert receive(strict, ITEM, "10.0.0.1") > 0
    with pytest.raises(TooManyRequests) as refused:
        receive(strict, ITEM, "10.0.0.1")
    assert refused.value.retry_after > 0
    assert receive(strict, ITEM, "10.0.0.2") > 0  # another client
    other = Store(tmp_path / "other")
    other.init()
    publish_samples(other, Settings(home=other.home))
    assert receive(replace(strict, home=other.home), ITEM, "10.0.0.1") > 0
    rows = samples.conn.execute("SELECT * FROM feedback").fetchall()
    assert "10.0.0.1" not in str([tuple(r) for r in rows])  # the address is never stored
