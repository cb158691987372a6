"""A project's history across versions, and the ranking's revision figures."""

from __future__ import annotations

import pytest

from portal.errors import NotFound
from portal.store import Store
from portal.trust.history import project_history
from portal.trust.ranking import revision_stats
from tests.trust.changes import BUDGET_REASON, PROGRESS_REASON, REMOVAL_REASON


def test_history_lists_figures_per_version_and_explained_changes(revised: Store) -> None:
    history = project_history(revised, "mrud-yazd", "mrud-yazd-0003")
    assert history["dataset"] == "infrastructure-projects"
    budgets = [p["figures"]["budget_irr"] for p in history["versions"]]
    assert budgets == ["3283000000000", "6566000000000", "6566000000000"]
    assert [p["figures"]["physical_progress_pct"] for p in history["versions"]] == [
        "50.2",
        "50.2",
        "40",
    ]
    changes = [
        (c["version"], c["field"], c["old"], c["new"], c.get("reason")) for c in history["changes"]
    ]
    assert changes == [
        (2, "budget_irr", "3283000000000", "6566000000000", BUDGET_REASON),
        (3, "physical_progress_pct", "50.2", "40", PROGRESS_REASON),
    ]
    assert all(c["published_at"] for c in history["changes"])


def test_a_removed_project_shows_its_removal_and_reason(revised: Store) -> None:
    history = project_history(revised, "mrud-yazd", "mrud-yazd-0005")
    assert history["versions"][-1] == {
        "version": 3,
        "published_at": history["versions"][-1]["published_at"],
        "removed": True,
    }
    [removal] = history["changes"]
    assert (removal["field"], removal["code"], removal["reason"]) == (
        "id",
        "project-removed",
        REMOVAL_REASON,
    )


def test_unknown_project_is_not_found(revised: Store) -> None:
    with pytest.raises(NotFound) as missing:
        project_history(revised, "mrud-yazd", "nope")
    assert "nope" in missing.value.message["fa"] and "nope" in missing.value.message["en"]


def test_ranking_counts_explained_revisions(revised: Store) -> None:
    stats = revision_stats(revised)["mrud-yazd"]
    assert (stats.explained, stats.revised, stats.removed) == (3, 0, 1)
    assert stats.median_days == 0  # published minutes apart: explained the same day
