"""A project's history across versions: its figures as each version published them, and
each change with its version, date and explanation (OC4IDS-style modifications)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from portal.errors import NotFound
from portal.tables.revisions import cell_text, compare
from portal.trust.published import explained_changes, table

if TYPE_CHECKING:
    from portal.store import Store
    from portal.store.records import Version

FIGURES = (
    "budget_irr",
    "spent_irr",
    "physical_progress_pct",
    "status",
    "planned_end_date",
    "actual_end_date",
    "inauguration_date",
)


def _row(store: Store, version: Any, project: str) -> pd.DataFrame | None:
    """The project's row of a version, its figures only (None when it is not listed)."""
    projects = table(store, version, "projects")
    if projects is None or "id" not in projects.column_names:
        return None
    found = projects.filter(pc.equal(projects["id"].cast(pa.string()), project)).slice(0, 1)
    if found.num_rows == 0:
        return None
    return found.select(["id", *(n for n in FIGURES if n in found.column_names)]).to_pandas()


def _figures(row: pd.DataFrame) -> dict[str, str]:
    return {name: cell_text(row[name]).iloc[0] for name in FIGURES if name in row}


def _reason(
    changes: list[dict[str, Any]], project: str, field: str, code: str | None = None
) -> dict[str, Any] | None:
    for change in changes:
        if change.get("project") != project:
            continue
        if (code and change.get("code") == code) or (not code and change.get("field") == field):
            return {"code": change.get("code"), "reason": change.get("reason")}
    return None


def project_history(store: Store, agency: str, project: str) -> dict[str, Any]:
    """Every version of the agency's dataset that lists `project`; NotFound if none does."""
    for summary in store.datasets(agency):
        versions = store.versions(agency, summary.dataset)
        rows = [(v, _row(store, v, project)) for v in versions]
        if any(row is not None for _, row in rows):
            return _history(store, agency, summary.dataset, project, rows)
    raise NotFound("api.project_not_found", agency=agency, project=project)


def _history(
    store: Store,
    agency: str,
    dataset: str,
    project: str,
    rows: list[tuple[Version, dict[str, str] | None]],
) -> dict[str, Any]:
    points, changes = [], []
    previous: pd.DataFrame | None = None
    for version, row in rows:
        point = {"version": version.number, "published_at": version.created_at}
        explained = explained_changes(store, version) if previous is not None else []
        if row is None:
            if previous is not None:
                why = _reason(explained, project, "id", "project-removed")
                changes.append({**point, "field": "id", "old": project, "new": "", **(why or {})})
                points.append({**point, "removed": True})
            previous = None
            continue
        points.append({**point, "figures": _figures(row)})
        if previous is not None:  # the one diff, on this project's row (`portal.tables.revisions`)
            for cell in compare(previous, row, ["id"]).changed:
                change = {**point, "field": cell["field"], "old": cell["old"], "new": cell["new"]}
                changes.append({**change, **(_reason(explained, project, cell["field"]) or {})})
        previous = row
    return {
        "agency": agency,
        "dataset": dataset,
        "project": project,
        "versions": points,
        "changes": changes,
    }
