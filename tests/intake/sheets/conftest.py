from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import Settings
from portal.store import Store
from portal.store.agency_profiles import AgencyProfile, save_profile


@pytest.fixture(autouse=True)
def home(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's store, found by the CLI through GLASSWALL_HOME (as `glasswall init` made it)."""
    monkeypatch.setenv("GLASSWALL_HOME", str(settings.home))
    Store(settings.home).init()
    return settings.home


@pytest.fixture
def profiled(store: Store, yazd_token: str) -> str:
    """Agency mrud-yazd with its profile kept; its token."""
    profile = AgencyProfile(
        "روابط عمومی",
        "opendata@mrud-yazd.example.ir",
        frequency="quarterly",
        source_fa="سامانهٔ پایش طرح‌ها (نمونه)",
        source_en="Project monitoring system (sample)",
    )
    save_profile(store.conn, "mrud-yazd", profile)
    return yazd_token
