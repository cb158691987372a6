"""The cross-version check finds a table by its profile, not by its name (issue 21, 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.config import Settings
from portal.errors import RevisionsUnexplained
from portal.profiles import profile_schema
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.store.writer import NewResource, commit_version
from tests.packages import copy_sample
from tests.trust.changes import remove_project


def test_a_projects_table_published_under_another_name_is_still_compared(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    """A version stored before names were enforced holds the projects as `projects-archive`:
    the next version's `projects` is compared with it, and a removed project is found."""
    folder = copy_sample(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0].update(name="projects-archive", schema=profile_schema("projects"))
    archive = NewResource(
        "projects-archive", "data/projects.csv", folder / "data/projects.csv", "text/csv", 32
    )
    commit_version(store, "mrud-yazd", descriptor["name"], "t", descriptor, {}, [archive], {})
    remove_project(folder)
    with pytest.raises(RevisionsUnexplained) as refused:
        publish(store, folder, settings, token=yazd_token)
    found = [(f.code, dict(f.params)["key"]) for f in refused.value.report.findings]
    assert found == [("project-removed", "mrud-yazd-0005")]
    assert len(catalog.versions(store.conn, "mrud-yazd", descriptor["name"])) == 1
