"""A project's history across versions: its figures as each version published them, and
each change with its version, date and explanation (OC4IDS-style modifications)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.errors import NotFound
from portal.store import catalog
from portal.trust.published import explained_changes, table
from portal.trust.rules import shown

if TYPE_CHECKING:
    from portal.store import Store

FIGURES = (
    "budget_irr",
    "spent_irr",
    "physical_progress_pct",
    "status",
    "planned_end_date",
    "actual_end_date",
    "inauguration_date",
)


def _row(store: Store, version: Any, project: str) -> dict[str, str] | None:
    projects = table(store, version, "projects")
    if projects is None or "id" not in projects.column_names:
        return None
    ids = projects["id"].to_pylist()
    if project not in ids:
        return None
    position = ids.index(project)
    return {
        name: shown(projects[name][position].as_py())
        for name in FIGURES
        if name in projects.column_names
    }


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
    for summary in catalog.datasets(store.conn, agency):
        versions = catalog.versions(store.conn, agency, summary.dataset)
        rows = [(v, _row(store, v, project)) for v in versions]
        if any(row is not None for _, row in rows):
            return _history(store, agency, summary.dataset, project, rows)
    raise NotFound("api.project_not_found", agency=agency, project=project)


def _history(store: Store, agency: str, dataset: str, project: str, rows: list) -> dict[str, Any]:
    points, changes = [], []
    previous: dict[str, str] | None = None
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
        points.append({**point, "figures": row})
        for field in FIGURES:
            if previous is not None and previous.get(field, "") != row.get(field, ""):
                change = {
                    **point,
                    "field": field,
                    "old": previous.get(field, ""),
                    "new": row[field],
                }
                changes.append({**change, **(_reason(explained, project, field) or {})})
        previous = row
    return {
        "agency": agency,
        "dataset": dataset,
        "project": project,
        "versions": points,
        "changes": changes,
    }
