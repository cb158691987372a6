"""The Publish page's profile form and the dataset page's normalisation list, in AppTest."""

from __future__ import annotations

from pathlib import Path

from portal.config import Settings
from portal.intake.sheets.build import SheetOptions
from portal.publishing.publish import publish
from portal.store import Store
from portal.store.agencies import create_token
from portal.store.agency_profiles import AgencyProfile, load_profile, save_profile
from tests.intake.sheets.books import LONG_EN, LONG_FA, clerk_workbook
from tests.web.test_pages import run


def test_profile_form_saves_behind_the_token(published: Settings) -> None:
    store = Store(published.home)
    token = create_token(store.conn, "mrud-yazd")
    app = run("publish", "en")
    assert not [t for t in app.text_input if t.label == "Contact e-mail"]  # not signed in
    app.text_input(key="token").set_value(token).run()
    fields = {t.label: t for t in app.text_input}
    fields["Contact name"].set_value("Public relations")
    fields["Contact e-mail"].set_value("not-an-address")
    app.button[0].click().run()
    assert any("is not valid" in e.value for e in app.error)
    assert load_profile(store.conn, "mrud-yazd") is None
    {t.label: t for t in app.text_input}["Contact e-mail"].set_value("pr@example.ir")
    app.button[0].click().run()
    assert "The profile was saved." in [s.value for s in app.success]
    saved = load_profile(store.conn, "mrud-yazd")
    assert saved is not None and saved.contact_email == "pr@example.ir"
    store.close()


def test_dataset_page_lists_the_normalised_values(published: Settings, tmp_path: Path) -> None:
    store = Store(published.home)
    save_profile(
        store.conn, "mrud-yazd", AgencyProfile("PR", "pr@example.ir", frequency="quarterly")
    )
    options = SheetOptions("sheet-projects", "طرح‌ها", "Projects", LONG_FA, LONG_EN)
    book = clerk_workbook(tmp_path / "book.xlsx")
    publish(store, book, published, agency_slug="mrud-yazd", sheet=options, fix=True)
    store.close()
    app = run("dataset", "en", dataset="mrud-yazd/sheet-projects")
    assert "32 values normalised on the way in" in [e.label for e in app.expander]
    table = app.table[0].value
    assert "طرح‌ها!K3" in table.index and "2023-08-08" in table.to_string()
    persian = run("dataset", "fa", dataset="mrud-yazd/sheet-projects")
    assert "۳۲ مقدار در راه ورود یکسان‌سازی شد" in [e.label for e in persian.expander]
    assert "تاریخ شروع" in persian.table[0].value.to_string()
