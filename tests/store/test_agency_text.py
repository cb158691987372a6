"""Agency titles and profiles are public text: the one cleaner (issue 21, item 3)."""

from __future__ import annotations

import pytest

from portal.errors import BadParameter, GlassWallError
from portal.store import Store, catalog
from portal.store.agencies import add_agency
from portal.store.agency_profiles import AgencyProfile, load_profile, save_profile


@pytest.mark.parametrize(
    ("title_fa", "title_en", "key", "field"),
    [
        ("\u200b\u200c", "Roads", "text.invisible", "title_fa"),
        ("راه", "Roads\x1b[31m", "text.control", "title_en"),
        ("راه", "\u202eabc", "text.unbalanced_bidi", "title_en"),
    ],
)
def test_an_agency_title_is_refused_naming_the_field_and_nothing_is_added(
    store: Store, title_fa: str, title_en: str, key: str, field: str
) -> None:
    with pytest.raises(GlassWallError) as refused:
        add_agency(store.conn, "mrud-qom", title_fa, title_en)
    assert refused.value.key == key
    assert f"{field} (agency=mrud-qom)" in refused.value.message["fa"]
    assert catalog.agency(store.conn, "mrud-qom") is None


def test_an_agency_title_is_stored_normalised(store: Store) -> None:
    add_agency(store.conn, "mrud-qom", " راه و شهرسازي قم ", "Roads, Qom")
    agency = catalog.agency(store.conn, "mrud-qom")
    assert agency is not None and agency.title_fa == "راه و شهرسازی قم"


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("contact_name", "\u2060\u200b", "text.invisible"),
        ("publisher_fa", "اداره\x00", "text.control"),
        ("source_en", "Survey \u2067Qom", "text.unbalanced_bidi"),
    ],
)
def test_a_profile_text_is_refused_with_a_409_naming_the_field(
    store: Store, yazd_token: str, field: str, value: str, key: str
) -> None:
    profile = AgencyProfile(contact_name="Ali", contact_email="a@b.ir")
    setattr(profile, field, value)
    with pytest.raises(BadParameter) as refused:
        save_profile(store.conn, "mrud-yazd", profile)
    assert (refused.value.key, refused.value.field, refused.value.http_status) == (key, field, 409)
    assert load_profile(store.conn, "mrud-yazd") is None


def test_a_profile_is_stored_normalised(store: Store, yazd_token: str) -> None:
    profile = AgencyProfile(contact_name=" علي ", contact_email="a@b.ir", source_fa="آمار يزد")
    save_profile(store.conn, "mrud-yazd", profile)
    saved = load_profile(store.conn, "mrud-yazd")
    assert saved is not None and (saved.contact_name, saved.source_fa) == ("علي", "آمار یزد")
