from __future__ import annotations

import pytest

from portal.store import Store
from portal.store.agency_profiles import AgencyProfile, save_profile


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
