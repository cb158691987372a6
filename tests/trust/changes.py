"""Each cross-version change alone, made to a copy of a published sample package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from portal.config import Settings
from portal.publish import publish
from portal.store import Store
from portal.trust.explanations import Explanation
from tests.packages import read_rows, set_cell, write_rows


def remove_project(folder: Path) -> None:
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    write_rows(path, [r for r in rows if r["id"] != "mrud-yazd-0005"])


def set_observation(folder: Path, value: str) -> None:
    path = folder / "data" / "observations.csv"
    rows = read_rows(path)
    for row in rows:
        if (row["indicator_id"], row["period"], row["county"]) == (
            "coop_jobs_share",
            "1403-07",
            "میبد",
        ):
            row["value"] = value
    write_rows(path, rows)


# code -> (change, key of the finding, field)
PROJECT_CHANGES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "project-removed": (remove_project, "mrud-yazd-0005", "id"),
    "status-regressed": (
        lambda f: set_cell(f, 1, "status", "implementation"),
        "mrud-yazd-0002",
        "status",
    ),
    "progress-decreased": (
        lambda f: set_cell(f, 2, "physical_progress_pct", "40.0"),
        "mrud-yazd-0003",
        "physical_progress_pct",
    ),
    "spent-decreased": (
        lambda f: set_cell(f, 2, "spent_irr", "1000000000000"),
        "mrud-yazd-0003",
        "spent_irr",
    ),
    "budget-changed": (
        lambda f: set_cell(f, 2, "budget_irr", "6566000000000"),
        "mrud-yazd-0003",
        "budget_irr",
    ),
    "end-date-moved": (
        lambda f: set_cell(f, 2, "planned_end_date", "2026-08-05"),
        "mrud-yazd-0003",
        "planned_end_date",
    ),
    "history-rewritten": (
        lambda f: set_cell(f, 0, "actual_end_date", "2022-10-10"),
        "mrud-yazd-0001",
        "actual_end_date",
    ),
}


BUDGET_REASON = {"fa": "متمم اعتبار مصوب ۱۴۰۳", "en": "Supplementary budget approved in 1403"}
PROGRESS_REASON = {"en": "Progress was overstated; re-measured on site"}
REMOVAL_REASON = {"fa": "طرح به استان دیگر منتقل شد", "en": "Transferred to another province"}


def publish_revisions(store: Store, settings: Settings, token: str, folder: Path) -> list[int]:
    """Versions 1-3 of the sample projects: v2 revises a budget, v3 lowers a progress
    figure and removes a project, each with its explanation."""
    numbers = [publish(store, folder, settings, token=token).version.number]
    set_cell(folder, 2, "budget_irr", "6566000000000")
    given = [Explanation("budget-changed", BUDGET_REASON, {"project": "mrud-yazd-0003"})]
    numbers.append(publish(store, folder, settings, token=token, explanations=given).version.number)
    set_cell(folder, 2, "physical_progress_pct", "40.0")
    remove_project(folder)
    given = [
        Explanation("progress-decreased", PROGRESS_REASON, {}),
        Explanation("project-removed", REMOVAL_REASON, {"project": "mrud-yazd-0005"}),
    ]
    numbers.append(publish(store, folder, settings, token=token, explanations=given).version.number)
    return numbers
