"""Each glass wall page, run by Streamlit's AppTest against a real store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store, feedback
from portal.store.agencies import create_token
from portal.store.feedback_records import NewFeedback
from tests.packages import copy_sample, set_cell

# The page under test inside the real navigation (links need it), without running the rest.
SCRIPT = """
import streamlit as st
from portal.web.navigation import build
from portal.web.site import RENDERERS
st.navigation(build(RENDERERS), position="hidden")
RENDERERS["{module}"]()
"""


def run(module: str, lang: str = "fa", **params: str) -> AppTest:
    app = AppTest.from_string(SCRIPT.format(module=module), default_timeout=60)
    app.query_params["lang"] = lang
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _links(app: AppTest) -> list[Any]:
    return [element.proto for element in app.get("page_link")]


def texts(app: AppTest) -> str:
    parts = (
        [m.value for m in app.markdown]
        + [m.value for m in app.title]
        + [m.value for m in app.caption]
    )
    parts += [m.value for m in app.warning] + [str(m.label) + str(m.value) for m in app.metric]
    parts += [f"[{p.label}](/{p.page}?{p.query_string})" for p in _links(app)]
    return "\n".join(parts)


def test_home_in_persian_shows_headline_figures(published: Settings) -> None:
    app = run("home")
    labels = {m.label: m.value for m in app.metric}
    assert labels["طرح‌ها"] == "۸۰" and labels["دستگاه‌ها"] == "۴"
    assert "دادهٔ نمونه" in app.warning[0].value
    assert "mrud-khuzestan" in texts(app)


def test_home_in_english(published: Settings) -> None:
    app = run("home", "en")
    labels = {m.label: m.value for m in app.metric}
    assert labels["Projects"] == "80"
    assert "Agency transparency ranking" in [s.value for s in app.subheader]


def test_projects_filter_and_search(published: Settings) -> None:
    app = run("projects", "en")
    assert "80 of 80 projects" in texts(app)
    app.multiselect(key="f_province.en").set_value(["Khuzestan"]).run()  # by its label
    assert "48 of 80 projects" in texts(app)
    app.text_input(key="f_search").set_value("راه‌آهن").run()
    shown = next(c.value for c in app.caption if "of 80" in c.value)
    assert shown != "48 of 80 projects"


def test_persian_search_ignores_spelling(published: Settings) -> None:
    app = run("projects", "fa")
    app.text_input(key="f_search").set_value("ميبد").run()  # Arabic yeh
    caption = next(c.value for c in app.caption if "طرح از" in c.value)
    assert not caption.startswith("۰")


def test_project_card(published: Settings) -> None:
    app = run("projects", "en", project="mrud-yazd-0001")
    # Markdown-escaped, as every uploaded text is: it shows as mrud-yazd-0001.
    assert any("mrud\\-yazd\\-0001" in c.value for c in app.caption)
    assert app.metric[0].label == "Budget"
    # Each figure of the card links to its permalink in this version (issue 23, item 4).
    cited = next(c.value for c in app.caption if c.value.startswith("Cite these figures"))
    for field in ("budget_irr", "spent_irr", "physical_progress_pct", "status"):
        assert f"/projects/1/{field}?lang=en)" in cited
    assert "(/cite/mrud-yazd/infrastructure-projects/1/projects/1/budget_irr" in cited


def test_indicators_page(published: Settings) -> None:
    app = run("indicators", "en")
    assert app.selectbox(key="i_pick.en").value
    assert "Unit:" in texts(app)


def test_agencies_and_agency_page(published: Settings) -> None:
    app = run("agencies", "en")
    assert "mcls-yazd" in texts(app)
    page = run("agencies", "en", agency="mcls-yazd")
    assert "Publication history" in [s.value for s in page.subheader]


def test_dataset_page_with_revision_view(tmp_path: Path, published: Settings, store: Store) -> None:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "beneficiaries", "999000")
    publish(store, folder, published, token=create_token(store.conn, "mrud-yazd"))
    app = run("dataset", "en", dataset="mrud-yazd/infrastructure-projects")
    body = texts(app)
    assert "projects: 0 rows added, 0 removed, 1 figure changed." in body
    assert "/download/mrud-yazd/infrastructure-projects/2/projects.csv" in body
    changed = app.dataframe[-1].value
    assert list(changed.iloc[0]) == [
        "mrud-yazd-0001",
        "Beneficiaries",
        "changed",
        changed.iloc[0, 3],
        "999,000",
    ]


def test_uploaded_text_is_never_markup(tmp_path: Path, published: Settings, store: Store) -> None:
    import json

    folder = copy_sample(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    descriptor["title_fa"] = descriptor["title"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    publish(store, folder, published, token=create_token(store.conn, "mrud-yazd"))
    app = run("dataset", "en", dataset="mrud-yazd/infrastructure-projects")
    assert app.title[0].value.startswith("\\<script\\>")


def test_uploaded_text_is_isolated(tmp_path: Path, published: Settings, store: Store) -> None:
    """A U+202E in a title cannot reverse the page around it (issue 13, item 10)."""
    import json

    folder = copy_sample(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    # Closed on its line (an open one is refused at intake since issue 21; old data with
    # one is tested in tests/web/test_pages_hostile.py).
    descriptor["title"] = "Budget \u202e0001\u202c IRR"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    publish(store, folder, published, token=create_token(store.conn, "mrud-yazd"))
    app = run("dataset", "en", dataset="mrud-yazd/infrastructure-projects")
    shown = app.title[0].value
    assert "\u202e" in shown and shown.startswith("\u2068") and shown.endswith("\u2069")


@pytest.mark.parametrize("module", ["about", "publish"])
def test_other_pages_render(published: Settings, module: str) -> None:
    run(module, "fa")
    run(module, "en")


def test_publish_page_refuses_a_wrong_token(published: Settings) -> None:
    app = run("publish", "en")
    app.text_input(key="token").set_value("gw_wrong").run()
    assert "This token is not valid." in [e.value for e in app.error]


def test_a_new_version_shows_on_the_next_run_without_a_restart(
    published: Settings, tmp_path: Path
) -> None:
    app = run("projects", "en", project="mrud-yazd-0001")
    assert "From this dataset, version 1" in texts(app)
    store = Store(published.home)
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "beneficiaries", "77")
    publish(store, folder, published, agency_slug="mrud-yazd")
    store.close()
    app.run()
    assert "From this dataset, version 2" in texts(app)


def test_home_ranking_shows_responsiveness(published: Settings) -> None:
    assert "no questions yet" in texts(run("home", "en"))
    store = Store(published.home)
    first = feedback.submit(store.conn, NewFeedback("mrud-yazd/infrastructure-projects", "Why?"))
    feedback.submit(store.conn, NewFeedback("mrud-yazd/infrastructure-projects", "And this?"))
    feedback.answer(store.conn, "mrud-yazd", first, "Because.", "explained")
    store.close()
    shown = texts(run("home", "en"))
    line = next(x for x in shown.splitlines() if "answered" in x)
    assert "answered 50% · median 0 days to answer" in line, line  # 0.0 reads as 0


def _drawn(app: AppTest) -> list[str]:
    """Every element the run drew, by kind and content, in order (a download button's
    file id is made anew on each run)."""
    return [
        re.sub(r'deferred_file_id: "\w+"', "", f"{node.type}:{getattr(node, 'proto', '')}")
        for node in app.main
    ]


@pytest.mark.parametrize(
    ("module", "params"),
    [
        ("home", {}),
        ("dataset", {"dataset": "mrud-yazd/infrastructure-projects"}),
        ("dataset", {}),
        ("indicators", {}),
        ("projects", {"project": "mrud-yazd-0001"}),
    ],
)
def test_a_replayed_page_is_the_page_drawn(
    published: Settings, module: str, params: dict[str, str]
) -> None:
    """What a page draws once per publication is replayed on later runs (and in other
    sessions): the elements, their order and their content are those of the first run."""
    first = run(module, "fa", **params)
    again = run(module, "fa", **params)  # a new session: everything from the caches
    assert _drawn(again) == _drawn(first)
    assert len(first.main) > 5
    first.run()  # the same session's next run
    assert _drawn(first) == _drawn(again)


def test_the_public_record_shows_an_answer_on_the_next_run(published: Settings) -> None:
    """The record is drawn once per thread state: an approval or answer shows at once."""
    app = run("dataset", "en", dataset="mrud-yazd/infrastructure-projects")
    assert "No public questions yet" in texts(app) or "Why so late?" not in texts(app)
    store = Store(published.home)
    asked = feedback.submit(
        store.conn, NewFeedback("mrud-yazd/infrastructure-projects", "Why so late?")
    )
    feedback.approve(store.conn, "mrud-yazd", asked)
    store.close()
    app.run()
    assert "Why so late?" in [t.value for t in app.text]
    store = Store(published.home)
    feedback.answer(store.conn, "mrud-yazd", asked, "The contractor changed.", "explained")
    store.close()
    app.run()
    assert "The contractor changed." in [t.value for t in app.text]


def test_choices_survive_a_language_switch(
    tmp_path: Path, published: Settings, store: Store
) -> None:
    """A filter, a revision pair and an indicator chosen in Persian are the same choices in
    English (Streamlit keeps a choice by its label, which the switch changes)."""
    projects = run("projects", "fa")
    projects.multiselect(key="f_province.fa").set_value(["IR-06"]).run()
    projects.query_params["lang"] = "en"
    projects.run()
    assert not projects.exception, projects.exception
    assert projects.multiselect(key="f_province.en").value == ["IR-06"]
    assert "48 of 80 projects" in texts(projects)

    for number, beneficiaries in ((2, "999000"), (3, "888000")):
        folder = copy_sample(tmp_path / f"v{number}")
        set_cell(folder, 0, "beneficiaries", beneficiaries)
        publish(store, folder, published, token=create_token(store.conn, "mrud-yazd"))
    dataset = run("dataset", "fa", dataset="mrud-yazd/infrastructure-projects")
    dataset.selectbox(key="rev_old.fa").set_value(1).run()
    dataset.query_params["lang"] = "en"
    dataset.run()
    assert not dataset.exception, dataset.exception
    assert (
        dataset.selectbox(key="rev_old.en").value,
        dataset.selectbox(key="rev_new.en").value,
    ) == (1, 3)


def test_the_card_follows_a_search(published: Settings) -> None:
    """A card opened by its address stays while it is among the results; a search that
    leaves it out opens the first result instead (the card showed a project the search
    had excluded)."""
    app = run("projects", "en", project="mrud-yazd-0024")
    assert "mrud\\-yazd\\-0024" in texts(app)
    app.text_input(key="f_search").set_value("Ahvaz").run()
    assert not app.exception, app.exception
    shown = app.selectbox[0].value
    assert shown != "mrud-yazd-0024" and app.query_params["project"] == shown


def test_projects_that_read_the_same_are_told_apart_in_the_picker() -> None:
    from portal.web.project_card_ui import picker_labels

    rows = pd.DataFrame(
        {
            "id": ["a-1", "a-2", "a-3"],
            "title_fa": ["پل", "پل", "سد"],
            "title_en": ["Bridge", "Bridge", "Dam"],
            "county": ["Ahvaz", "Ahvaz", "Ahvaz"],
            "agency": ["a", "a", "a"],
        }
    )
    labels = picker_labels(rows, {"a": "Agency"})
    assert len(set(labels.values())) == 3
    assert labels["a-3"] == "Dam · Ahvaz · Agency" or labels["a-3"].startswith("سد")
