"""`receive`: the one path for pages and API, with rate limits that protect one store."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from portal.config import Settings
from portal.errors import TooManyRequests
from portal.feedback.service import receive
from portal.publishing.demo import publish_samples
from portal.store import Store
from portal.store.client_keys import SECRET_FILE, client_key
from portal.store.feedback_records import NewFeedback

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


def test_the_stored_client_key_cannot_be_reversed_by_hashing_addresses(
    samples: Store, settings: Settings, tmp_path: Path
) -> None:
    """Issue 21: a plain sha256 of the address is found by hashing the IPv4 space; the key
    is keyed by a secret of the store's own (mode 0600), so two stores key differently."""
    receive(settings, ITEM, "10.0.0.7")
    keys = {row[0] for row in samples.conn.execute("SELECT key FROM rate_limits")}
    plain = hashlib.sha256(b"10.0.0.7").hexdigest()
    assert keys and not any(plain in key for key in keys)
    secret = settings.home / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    other = Store(tmp_path / "other")
    other.init()
    publish_samples(other, Settings(home=other.home))
    receive(Settings(home=other.home), ITEM, "10.0.0.7")
    others = {row[0] for row in other.conn.execute("SELECT key FROM rate_limits")}
    client_keys = {k for k in keys if "feedback-client" in k}
    assert client_keys and not client_keys & others
    assert client_key(settings.home, "10.0.0.7") == client_key(settings.home, "10.0.0.7")
