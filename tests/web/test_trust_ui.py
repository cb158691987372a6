"""The pages show explanations beside revised figures, project histories, signals, feeds
and the ranking's revision figures (Streamlit AppTest against a real store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from portal.config import Settings
from portal.store import Store
from portal.web import context
from tests.packages import copy_sample
from tests.trust.changes import BUDGET_REASON, PROGRESS_REASON, REMOVAL_REASON, publish_revisions
from tests.web.test_pages import run, texts

DATASET = "mrud-yazd/infrastructure-projects"


@pytest.fixture
def revised(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> Iterator[Settings]:
    publish_revisions(store, settings, yazd_token, copy_sample(tmp_path / "pkg"))
    with context.registered(settings):
        yield settings


def test_revision_view_shows_the_reason_beside_the_change(revised: Settings) -> None:
    app = run("dataset", "en", dataset=DATASET, rev_from="1", rev_to="2")
    tables = [frame.value for frame in app.dataframe if "Explanation" in frame.value.columns]
    [changed] = tables
    row = changed[changed["field"] == "Budget"].iloc[0]
    assert (row["before"], row["after"], row["Explanation"]) == (
        "3,283 billion rials",
        "6,566 billion rials",
        BUDGET_REASON["en"],
    )
    assert "Changes explained by the agency in version 2" in texts(app)
    assert BUDGET_REASON["en"] in texts(app).replace("\\", "")


def test_revision_view_in_persian(revised: Settings) -> None:
    app = run("dataset", "fa", dataset=DATASET, rev_from="1", rev_to="2")
    assert BUDGET_REASON["fa"] in texts(app)
    assert "/feeds/mrud-yazd/infrastructure-projects.atom" in texts(app)


def test_revision_view_speaks_to_people_not_machines(revised: Settings) -> None:
    """Issue 22, item 2: column names, raw amounts and Latin digits on a Persian page."""
    app = run("dataset", "fa", dataset=DATASET, rev_from="1", rev_to="2")
    [changed] = [f.value for f in app.dataframe if "توضیح" in f.value.columns]
    assert list(changed["ستون"]) == ["اعتبار"]
    assert list(changed["پیش از"]) == ["۳٬۲۸۳ میلیارد ریال"]
    assert list(changed["پس از"]) == ["۶٬۵۶۶ میلیارد ریال"]
    shown = texts(app).replace("\\", "")
    said = "اعتبار: از ۳٬۲۸۳ میلیارد ریال به ۶٬۵۶۶ میلیارد ریال — \u2068mrud-yazd-0003\u2069"
    assert said in shown
    assert "3283000000000" not in shown and "budget_irr" not in shown
    assert "۱ رقم تغییر کرده" in shown


def test_a_comparison_over_versions_lists_every_explanation_in_between(
    revised: Settings,
) -> None:
    """Issue 22, item 2: v1 -> v3 showed only v3's explanations."""
    app = run("dataset", "en", dataset=DATASET, rev_from="1", rev_to="3")
    shown = texts(app).replace("\\", "")
    assert "Changes the agency explained from version 2 to version 3" in shown
    for reason in (BUDGET_REASON["en"], PROGRESS_REASON["en"], REMOVAL_REASON["en"]):
        assert reason in shown
    assert "\u2068mrud-yazd-0003\u2069 — Physical progress: 50.2% → 40%" in shown


def test_project_card_shows_its_history_with_explanations(revised: Settings) -> None:
    app = run("projects", "en", project="mrud-yazd-0003")
    shown = texts(app).replace("\\", "")  # Markdown escapes of uploaded text
    assert "History across versions" in shown
    assert PROGRESS_REASON["en"] in shown and BUDGET_REASON["en"] in shown
    history = next(f.value for f in app.dataframe if "Budget" in f.value.columns)
    assert list(history["Version"]) == ["1", "2", "3"]


def test_project_history_says_changes_the_one_way_in_persian(revised: Settings) -> None:
    """Issue 22, item 6: «→» pointed at the old value in a right-to-left line."""
    app = run("projects", "fa", project="mrud-yazd-0003")
    shown = texts(app).replace("\\", "")
    assert "اعتبار: از ۳٬۲۸۳ میلیارد ریال به ۶٬۵۶۶ میلیارد ریال" in shown
    assert "پیشرفت فیزیکی: از ۵۰٫۲٪ به ۴۰٪" in shown
    assert "→" not in shown


def test_dataset_page_shows_signals_worded_as_worth_a_look(revised: Settings) -> None:
    app = run("dataset", "en", dataset=DATASET)
    assert "Worth a look" in [s.value for s in app.subheader]
    assert "None of the 5 checks found a pattern worth a look" in texts(app)


def test_home_ranking_shows_revision_figures(revised: Settings) -> None:
    app = run("home", "en")
    assert "revisions explained 3 · past figures revised 0 · projects removed 1" in texts(app)
    assert "/feeds/publications.atom" in texts(app)


def _form() -> None:
    import streamlit as st

    from portal.validation.report import Finding
    from portal.web.trust_ui import explanation_form

    findings = [
        Finding.make(
            "budget-changed",
            "warning",
            resource="projects",
            row=row,
            field="budget_irr",
            cell="2",
            key=key,
            project=key,
            old="1",
            new="2",
        )
        for row, key in ((2, "p-1"), (3, "p-2"))
    ]
    given, missing = explanation_form(findings)
    st.session_state["given"] = [(e.code, e.reason, e.match) for e in given]
    st.session_state["missing"] = missing


def test_publish_form_explains_one_change_or_a_whole_group() -> None:
    app = AppTest.from_function(_form, default_timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    assert app.session_state["missing"] == 2 and len(app.text_input) == 2
    app.text_input[0].input("Supplementary budget").run()
    assert app.session_state["given"] == [
        ("budget-changed", {"en": "Supplementary budget"}, {"key": "p-1"})
    ]
    assert app.session_state["missing"] == 1
    assert "1 change still needs a reason." in [w.value for w in app.warning]
    app.checkbox[0].check().run()  # the first reason explains the whole group
    assert app.session_state["given"] == [("budget-changed", {"en": "Supplementary budget"}, {})]
    assert app.session_state["missing"] == 0 and len(app.text_input) == 1


def test_publish_form_refuses_an_invisible_or_reversing_reason_naming_the_row() -> None:
    """Issue 21, item 3: a reason of U+200B alone passed `.strip()`."""
    app = AppTest.from_function(_form, default_timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    for reason in ("\u200b", "\u202eevif", "ok\x07"):
        app.text_input[0].input(reason).run()
        assert app.session_state["given"] == [] and app.session_state["missing"] == 2
        assert any("(resource=projects, row=2)" in e.value for e in app.error), reason
    app.text_input[0].input(" متمم اعتبار يك ").run()
    assert app.session_state["given"] == [
        ("budget-changed", {"en": "متمم اعتبار يك"}, {"key": "p-1"})
    ]


def test_history_and_revision_read_as_cards_on_a_phone(revised: Settings) -> None:
    """Issue 22, item 1: the history and revision grids showed the wrong end on a phone;
    a narrow screen gets the same rows as cards (CSS shows one of the two)."""
    app = run("dataset", "fa", dataset=DATASET, rev_from="1", rev_to="2")
    cards = "".join(h.proto.body for h in app.get("html") if "gw-pcard" in h.proto.body)
    assert "<b>mrud-yazd-0003</b>" in cards
    assert "اعتبار: از ۳٬۲۸۳ میلیارد ریال به ۶٬۵۶۶ میلیارد ریال" in cards
    assert f"توضیح: {BUDGET_REASON['fa']}" in cards
    app = run("projects", "fa", project="mrud-yazd-0003")
    cards = "".join(h.proto.body for h in app.get("html") if "gw-pcard" in h.proto.body)
    assert "اعتبار: ۶٬۵۶۶ میلیارد ریال" in cards and "<b>نسخهٔ ۳، " in cards
