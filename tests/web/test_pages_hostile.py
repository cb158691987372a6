"""One agency's odd data never breaks a page for every visitor (issue 21, item 5), and
people's text is shown isolated (issue 21, partial): stored straight through the writer,
as old data was, then every page run by AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import Settings
from portal.store import Store
from tests.stored_text import (
    REVERSED,
    reorders_its_surroundings,
    store_hostile_answer,
    store_hostile_version,
)
from tests.web.test_pages import run, texts

PAGES = [
    ("home", {}),
    ("projects", {}),
    ("dataset", {}),  # the catalogue
    ("dataset", {"dataset": "mrud-yazd/infrastructure-projects"}),
    ("agencies", {"agency": "mrud-yazd"}),
]


@pytest.fixture
def hostile(published: Settings, store: Store, tmp_path: Path) -> Settings:
    store_hostile_version(store, tmp_path)
    store_hostile_answer(store)
    return published


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize(("module", "params"), PAGES, ids=[p[0] + str(p[1]) for p in PAGES])
def test_off_list_statuses_and_control_characters_break_no_page(
    hostile: Settings, module: str, params: dict[str, str], lang: str
) -> None:
    run(module, lang, **params)  # `run` fails on any exception the page raised


def _status_labels(lang: str, column: str) -> set[str]:
    tables = [table.value for table in run("home", lang).table]
    return set(next(table for table in tables if column in table.columns)[column])


def test_off_list_statuses_show_as_written_and_marked_or_unknown(hostile: Settings) -> None:
    labels = _status_labels("en", "Status")
    assert {"unknown", "Under way", "Identification (not on the list)"} <= labels
    assert "identification (not on the list)" in labels
    persian = _status_labels("fa", "وضعیت")
    assert {"نامشخص", "Identification (خارج از فهرست)"} <= persian


@pytest.mark.parametrize("project", ["mrud-yazd-0001", "mrud-yazd-0004"])
def test_the_project_card_of_an_off_list_status(hostile: Settings, project: str) -> None:
    for lang in ("fa", "en"):
        card = texts(run("projects", lang, project=project))
        assert "\\*\\*x\\*\\*" in card or project == "mrud-yazd-0001"


def test_an_agency_answer_is_isolated_on_the_dataset_page(hostile: Settings) -> None:
    app = run("dataset", "en", dataset="mrud-yazd/infrastructure-projects")
    answers = [t.value for t in app.text if REVERSED in t.value]
    assert answers, [t.value for t in app.text]
    for answer in answers:
        assert answer.startswith("\u2068") and not reorders_its_surroundings(answer)
    assert "\u202e" in app.title[0].value
    shown = [m.value for m in app.markdown] + [c.value for c in app.caption] + [app.title[0].value]
    for block in shown:
        assert not reorders_its_surroundings(block), repr(block)
