"""Each cross-version change alone, made to a copy of a published sample package."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from portal.config import Settings
from portal.profiles import profile_schema
from portal.publishing.publish import publish
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


# Silent revisions of issue 21: each was published (201) with no explanation before.


def rename_projects(folder: Path, keep: int = 2) -> None:
    """v2 calls the projects table `projects-archive` (with the profile's schema as its
    own, so that it validates as a generic table) and keeps `keep` of its rows."""
    path = folder / "data" / "projects.csv"
    write_rows(path, read_rows(path)[:keep])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["name"] = "projects-archive"
    descriptor["resources"][0]["schema"] = profile_schema("projects")
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def drop_projects(folder: Path) -> None:
    """v2 holds no projects table at all, only a small generic one."""
    (folder / "data" / "projects.csv").unlink()
    (folder / "data" / "notes.csv").write_text("note,count\nmoved,1\n", encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [
        {
            "name": "notes",
            "path": "data/notes.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "schema": {
                "fields": [{"name": "note", "type": "string"}, {"name": "count", "type": "integer"}]
            },
        }
    ]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def own_schema(folder: Path, loosen: Callable[[dict[str, Any]], None]) -> None:
    """The package declares the profile's schema as its own, loosened by `loosen`."""
    schema = profile_schema("projects")
    loosen(schema)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"] = schema
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def _without(field: str, constraint: str) -> Callable[[dict[str, Any]], None]:
    def loosen(schema: dict[str, Any]) -> None:
        for entry in schema["fields"]:
            if entry["name"] == field:
                entry.get("constraints", {}).pop(constraint, None)

    return loosen


def shadow_row(folder: Path) -> None:
    """An own schema without primaryKey (nor `unique` on id), and a second row for
    mrud-yazd-0003 with its budget tripled, after the published one."""

    def loosen(schema: dict[str, Any]) -> None:
        schema.pop("primaryKey")
        _without("id", "unique")(schema)

    own_schema(folder, loosen)
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    shadow = dict(rows[2], budget_irr=str(3 * int(rows[2]["budget_irr"])))
    write_rows(path, [*rows, shadow])


def status_back(folder: Path) -> None:
    """An own schema without the status enum (nor `required`), and three statuses moved
    back in ways the order does not know: empty, capitalised, with a trailing space."""

    def loosen(schema: dict[str, Any]) -> None:
        _without("status", "enum")(schema)
        _without("status", "required")(schema)

    own_schema(folder, loosen)
    for row, status in ((2, ""), (4, "Identification"), (9, "identification ")):
        set_cell(folder, row, "status", status)  # projects under way: no other rule trips


def duplicate_point(folder: Path) -> None:
    """A second, different value for a published county share (a share is not summed, so
    no total check trips): the same indicator, period, province and county twice."""
    path = folder / "data" / "observations.csv"
    rows = read_rows(path)
    point = next(r for r in rows if r["indicator_id"] == "coop_jobs_share" and r["county"])
    write_rows(path, [*rows, dict(point, value="99")])


def invisible_twin(folder: Path) -> None:
    """A second mrud-yazd-0003 that differs by a zero-width space, its budget tripled."""
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    twin = dict(
        rows[2], id=rows[2]["id"] + "\u200b", budget_irr=str(3 * int(rows[2]["budget_irr"]))
    )
    write_rows(path, [*rows, twin])
