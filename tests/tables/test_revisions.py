from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from portal.config import Settings
from portal.door.published import _revisions as door_revisions
from portal.publishing.publish import publish
from portal.store import Store
from portal.store.records import Version
from portal.tables.revisions import compare, versions_compared
from portal.trust import feeds
from portal.trust.explanations import Explanation
from portal.trust.history import FIGURES, project_history
from portal.trust.published import changed_figures, descriptor, explained_changes
from portal.web import context
from portal.web import data as web_data
from tests.packages import copy_sample, set_cell
from tests.trust.changes import BUDGET_REASON


def test_empty_to_empty_is_no_change_and_the_count_equals_the_cells() -> None:
    old = pd.DataFrame({"id": ["a", "b", "c"], "spent": [1.0, np.nan, 5.0], "note": ["", "", "x"]})
    new = pd.DataFrame(
        {"id": ["a", "b", "c"], "spent": [2.0, np.nan, np.nan], "note": ["", "y", "x"]}
    )
    revision = compare(old, new, ["id"])
    cells = {(c["key"], c["field"]): (c["old"], c["new"], c["kind"]) for c in revision.changed}
    assert cells == {
        ("a", "spent"): ("1", "2", "changed"),  # as the published file has it
        ("c", "spent"): ("5", "", "removed"),
        ("b", "note"): ("", "y", "added"),
    }
    assert len(revision.changed) == 3
    assert not any("nan" in (c["old"], c["new"]) for c in revision.changed)


def test_identical_tables_with_gaps_have_no_revision() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "value": [np.nan, 3.0], "text": ["", "t"]})
    assert compare(frame, frame.copy(), ["id"]).empty


def test_changed_figures_leaves_the_bookkeeping_date_out() -> None:
    """Issue 22, item 2: «۴ رقم تغییر کرده» counted the `updated` date as a figure."""
    old = pd.DataFrame({"id": ["a"], "budget_irr": [1], "updated": ["2026-01-01"]})
    new = pd.DataFrame({"id": ["a"], "budget_irr": [2], "updated": ["2026-02-01"]})
    assert len(compare(old, new, ["id"]).figures) == 1


@pytest.fixture
def two_versions(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> tuple[Version, Version]:
    """mrud-yazd's projects, then a version revising one budget (explained), emptying one
    project's beneficiaries (an integer column becomes decimal when read) and touching one
    row's bookkeeping date."""
    folder = copy_sample(tmp_path / "pkg")
    first = publish(store, folder, settings, token=yazd_token).published()
    set_cell(folder, 2, "budget_irr", "6566000000000")
    set_cell(folder, 4, "beneficiaries", "")
    set_cell(folder, 0, "updated", "2026-11-01")
    given = [Explanation("budget-changed", BUDGET_REASON, {"project": "mrud-yazd-0003"})]
    second = publish(store, folder, settings, token=yazd_token, explanations=given).published()
    context.register(settings)
    return first, second


def test_page_feed_door_history_and_explanations_count_the_same_changes(
    store: Store, two_versions: tuple[Version, Version]
) -> None:
    """Before issue 24 the dataset page compared cells as pandas text ("189000" against
    "189000.0" once a blank made the column decimal: 32 figures changed) while the feed
    and the server pages compared typed values (2); the history compared its own way."""
    before, after = two_versions
    specs = {r["name"]: r for r in descriptor(store, after)["resources"]}
    page = versions_compared(before, after, specs, web_data.object_table)  # as the page reads
    figures = {(c["key"], c["field"], c["old"], c["new"]) for c in page["projects"].figures}
    assert {(k, f) for k, f, _, _ in figures} == {
        ("mrud-yazd-0003", "budget_irr"),
        ("mrud-yazd-0005", "beneficiaries"),
    }
    assert changed_figures(store, before, after) == len(figures)  # the feeds
    feed = feeds.publications(store, "http://portal", "mrud-yazd").decode()
    assert f"{len(figures)} figures changed against version 1" in feed
    door = door_revisions(store, (before, after))
    assert [r.changed_figures for r in door] == [len(figures)]  # the server pages
    history = set()
    for project in ("mrud-yazd-0003", "mrud-yazd-0005"):
        for change in project_history(store, "mrud-yazd", project)["changes"]:
            history.add((project, change["field"], change["old"], change["new"]))
    assert history == {c for c in figures if c[1] in FIGURES}  # beneficiaries is no FIGURE
    explained = {
        (c["project"], c["field"], c["old"], c["new"]) for c in explained_changes(store, after)
    }
    assert explained and explained <= figures  # each explained change is one the page shows
