"""Per agency: how openly it revises what it published (for the transparency ranking).

- explained: changes against a published version, each explained (publishing requires it);
- revised: past indicator figures revised (`past-figure-revised`);
- removed: projects removed (`project-removed`);
- median_days: median days from a change to its explanation being public. A change is
  dated by the row's `updated` date in the new version when it has one (the agency's own
  record of when the project changed), else by the previous version's publication; its
  explanation is public when the new version is published. Days are Tehran's (UTC+03:30),
  as the pages and citations date a publication.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import TYPE_CHECKING

from portal.publishing.release_time import tehran_day
from portal.store.records import Version
from portal.trust.published import explained_changes, table

if TYPE_CHECKING:
    from portal.store import Store


@dataclass(frozen=True)
class RevisionStats:
    explained: int = 0
    revised: int = 0
    removed: int = 0
    median_days: float | None = None


def _updated(store: Store, version: Version) -> dict[str, str]:
    projects = table(store, version, "projects")
    if projects is None or not {"id", "updated"} <= set(projects.column_names):
        return {}
    ids, stamps = projects["id"].to_pylist(), projects["updated"].to_pylist()
    return {str(i): str(s) for i, s in zip(ids, stamps, strict=True) if s}


def revision_stats(store: Store) -> dict[str, RevisionStats]:
    counts: dict[str, list[int]] = {}
    days: dict[str, list[int]] = {}
    previous: dict[tuple[str, str], str] = {}
    for version in store.all_versions():
        key = (version.agency, version.dataset)
        changes = explained_changes(store, version) if key in previous else []
        tally = counts.setdefault(version.agency, [0, 0, 0])
        if changes:
            published = tehran_day(version.created_at)
            updated = _updated(store, version)
            for change in changes:
                tally[0] += 1
                tally[1] += change.get("code") == "past-figure-revised"
                tally[2] += change.get("code") == "project-removed"
                since = tehran_day(previous[key])
                stamp = updated.get(str(change.get("project", "")))
                if stamp:
                    with suppress(ValueError):  # an unreadable date keeps the version's
                        since = max(since, min(date.fromisoformat(stamp), published))
                days.setdefault(version.agency, []).append((published - since).days)
        previous[key] = version.created_at
    return {
        agency: RevisionStats(
            explained, revised, removed, median(days[agency]) if days.get(agency) else None
        )
        for agency, (explained, revised, removed) in counts.items()
    }
