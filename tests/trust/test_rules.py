"""Cross-version rule types on small frames: what counts as a change and what does not."""

from __future__ import annotations

import pandas as pd

from portal.trust.check import cross_version
from portal.validation.rules.packs import SHIPPED


def _projects(**columns: list) -> pd.DataFrame:
    base = {
        "id": ["a", "b", "c"],
        "status": ["completion", "implementation", "cancelled"],
        "budget_irr": [100, 200, 300],
        "spent_irr": [90.0, 50.0, None],
        "physical_progress_pct": [100.0, 50.5, 1.0],
        "planned_end_date": ["2024-01-01", "2025-01-01", None],
        "actual_end_date": ["2023-12-01", None, None],
        "inauguration_date": [None, None, None],
    }
    return pd.DataFrame({**base, **columns})


def _found(after: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    findings = cross_version({"projects": _projects()}, {"projects": after}, SHIPPED)
    return [
        (f.code, dict(f.params)["key"], dict(f.params)["old"], dict(f.params)["new"])
        for f in findings
    ]


def test_identical_tables_and_growth_need_nothing() -> None:
    assert _found(_projects()) == []
    grown = _projects(spent_irr=[95.0, 60.0, 1.0], physical_progress_pct=[100.0, 60.0, 1.0])
    assert _found(grown) == []


def test_a_first_value_is_news_but_a_removed_one_is_a_change() -> None:
    assert _found(_projects(inauguration_date=["2024-02-01", None, None])) == []
    assert _found(_projects(actual_end_date=[None, None, None])) == [
        ("history-rewritten", "a", "2023-12-01", "")
    ]
    assert _found(_projects(spent_irr=[None, 50.0, None])) == [("spent-decreased", "a", "90", "")]


def test_status_order_and_leaving_cancelled() -> None:
    after = _projects(status=["implementation", "completion", "implementation"])
    assert sorted(_found(after)) == [
        ("status-regressed", "a", "completion", "implementation"),
        ("status-regressed", "c", "cancelled", "implementation"),
    ]
    assert _found(_projects(status=["completion", "cancelled", "cancelled"])) == []


def test_dates_of_unfinished_projects_are_not_history() -> None:
    after = _projects(actual_end_date=["2023-12-01", "2024-05-01", None])
    assert _found(after) == []  # b was not completed: its first actual end is news
    moved = _projects(planned_end_date=["2024-01-01", "2026-01-01", None])
    assert _found(moved) == [("end-date-moved", "b", "2025-01-01", "2026-01-01")]
