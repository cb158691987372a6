"""Addresses that mean what they say (issue 22, items 4 and 5): filters read from the
address on arrival and written on change; an address naming nothing says so."""

from __future__ import annotations

from portal.config import Settings
from tests.web.test_pages import run, texts


def test_a_shared_filtered_address_opens_filtered(published: Settings) -> None:
    app = run("projects", "en", province="IR-21", status="implementation")
    assert app.multiselect(key="f_province.en").value == ["IR-21"]
    assert app.multiselect(key="f_status.en").value == ["implementation"]
    shown = texts(app)
    assert "7 of 80 projects" in shown, shown
    assert "Chosen filters — Province: Yazd; Status: Under way" in shown
    fa = run("projects", "fa", province="IR-21", status="implementation", q="یزد")
    assert "پالایه‌های برگزیده — استان: یزد؛ وضعیت: در حال اجرا" in texts(fa)
    assert fa.text_input(key="f_search").value == "یزد"


def test_chosen_filters_are_written_into_the_address(published: Settings) -> None:
    app = run("projects", "en")
    app.multiselect(key="f_province.en").set_value(["Khuzestan"]).run()  # by its label
    assert app.query_params["province"] in ("IR-06", ["IR-06"])
    app.multiselect(key="f_province.en").set_value([]).run()
    assert "province" not in app.query_params
    app.text_input(key="f_search").input("Ahvaz").run()
    assert app.query_params["q"] in ("Ahvaz", ["Ahvaz"])
    app.text_input(key="f_search").input("").run()
    assert "q" not in app.query_params


def test_an_unknown_project_is_not_found_and_keeps_its_address(published: Settings) -> None:
    """It showed another project's card and rewrote the address."""
    for lang, said in (
        ("fa", "طرحی با شناسهٔ «does\\-not\\-exist» پیدا نشد."),
        ("en", "No project has the id “does\\-not\\-exist”."),
    ):
        app = run("projects", lang, project="does-not-exist")
        assert [e.value for e in app.error] == [said]
        assert app.query_params["project"] in ("does-not-exist", ["does-not-exist"])
        assert any(p.proto.page.endswith("projects") for p in app.get("page_link"))
        assert not app.selectbox  # no card picker, no card


def test_unknown_agency_dataset_and_version_say_so(published: Settings) -> None:
    app = run("agencies", "fa", agency="nope")
    assert [e.value for e in app.error] == ["دستگاهی با نشانی «nope» پیدا نشد."]
    assert "هنوز هیچ مجموعه‌داده‌ای منتشر نشده است" not in texts(app)
    app = run("dataset", "en", dataset="nope/x")
    assert [e.value for e in app.error] == ["No dataset has the address “nope/x”."]
    assert "Back to the list of datasets" in texts(app)
    app = run("dataset", "en", dataset="mrud-yazd/infrastructure-projects", rev_to="9")
    assert "This dataset has no version “9”; its versions: 1." in [w.value for w in app.warning]
