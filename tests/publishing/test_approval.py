"""Four eyes through the `glasswall` CLI over a real store: draft, refusals, approval."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.store import Store, catalog
from portal.store.drafts import waiting
from portal.store.members import add_member, set_four_eyes
from tests.cli_runs import run
from tests.packages import copy_sample, set_cell

REF = "mrud-yazd/infrastructure-projects"


@pytest.fixture(autouse=True)
def home(cli_home: Path) -> Path:
    return cli_home


@pytest.fixture
def team(store: Store, yazd_token: str) -> dict[str, str]:
    """Tokens of the agency (admin), two preparers and an approver; four eyes on."""
    set_four_eyes(store.conn, "mrud-yazd", True)
    return {
        "agency": yazd_token,
        "sara": add_member(store.conn, "mrud-yazd", "سارا احمدی", "preparer"),
        "reza": add_member(store.conn, "mrud-yazd", "Reza", "preparer"),
        "ali": add_member(store.conn, "mrud-yazd", "Ali Karimi", "approver"),
    }


def _publish_entries(home: Path) -> list[dict]:
    lines = (home / "log.jsonl").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["type"] == "publish"]


def _prepare(tmp_path: Path, token: str) -> tuple[str, str]:
    folder = tmp_path / "pkg" if not (tmp_path / "pkg").exists() else tmp_path / "pkg2"
    code, out = run("publish", str(copy_sample(folder)), "--token", token)
    assert code == 0, out
    return out, out.strip().splitlines()[-1].split()[-1]


def test_a_preparers_publish_is_a_draft_and_nothing_is_public(
    tmp_path: Path, team: dict[str, str], home: Path, settings: Settings
) -> None:
    out, sha = _prepare(tmp_path, team["sara"])
    assert "waiting for approval" in out and "در انتظار تأیید" in out
    assert len(sha) == 64
    store = Store(home)
    assert catalog.version(store.conn, "mrud-yazd", "infrastructure-projects") is None
    assert _publish_entries(home) == []
    client = TestClient(open_data_app(settings))
    answer = client.get(f"/download/{REF}/latest/projects.csv")
    assert answer.status_code == 404
    assert client.get("/api/3/action/package_list").json()["result"] == []


def test_self_approval_and_wrong_roles_are_refused_bilingually(
    tmp_path: Path, team: dict[str, str], home: Path
) -> None:
    _prepare(tmp_path, team["ali"])  # under four eyes an approver's upload is a draft too
    code, out = run("approve", REF, "--token", team["ali"])
    assert code == 2 and "may not approve it" in out and "نمی‌تواند خودش" in out
    code, out = run("approve", REF, "--token", team["sara"])
    assert code == 2 and "role preparer" in out
    assert _publish_entries(home) == []
    assert waiting(Store(home).conn, "mrud-yazd", "infrastructure-projects").status == "waiting"


def test_approval_publishes_exactly_the_draft_signed_by_both(
    tmp_path: Path, team: dict[str, str], home: Path
) -> None:
    _, sha = _prepare(tmp_path, team["sara"])
    code, out = run("approve", REF, "--token", team["ali"], "--sha256", "0" * 64)
    assert code == 2 and "changed since" in out
    code, out = run("approve", REF, "--token", team["ali"], "--sha256", sha)
    assert code == 0, out
    (entry,) = _publish_entries(home)
    assert entry["prepared_by"] == {"name": "سارا احمدی", "role": "preparer"}
    assert entry["approved_by"] == {"name": "Ali Karimi", "role": "approver"}
    store = Store(home)
    version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None and version.number == 1
    document = json.loads(store.objects.read_bytes(sha))
    assert [r.sha256 for r in version.resources] == [r["sha256"] for r in document["resources"]]
    assert version.descriptor_sha256 == document["descriptor"]
    assert run("verify")[0] == 0
    code, out = run("approve", REF, "--token", team["ali"])
    assert code == 2 and "no draft waiting" in out


def test_a_draft_changed_after_review_is_refused(
    tmp_path: Path, team: dict[str, str], home: Path
) -> None:
    _, sha = _prepare(tmp_path, team["sara"])
    store = Store(home)
    document = json.loads(store.objects.read_bytes(sha))
    target = store.objects.path(document["resources"][0]["sha256"])
    os.chmod(target, 0o644)
    target.write_bytes(target.read_bytes().replace(b"1", b"2", 1))
    code, out = run("approve", REF, "--token", team["ali"])
    assert code == 2 and "no longer matches" in out
    assert _publish_entries(home) == []
    assert waiting(store.conn, "mrud-yazd", "infrastructure-projects").sha256 == sha


def test_a_new_draft_replaces_the_reviewed_one(tmp_path: Path, team: dict[str, str]) -> None:
    _, first = _prepare(tmp_path, team["sara"])
    folder = copy_sample(tmp_path / "changed")
    set_cell(folder, 0, "title_en", "A renamed project")
    code, out = run("publish", str(folder), "--token", team["reza"])
    assert code == 0
    code, out = run("approve", REF, "--token", team["ali"], "--sha256", first)
    assert code == 2 and first in out


def test_reject_with_a_reason_and_a_stale_draft(
    tmp_path: Path, team: dict[str, str], home: Path
) -> None:
    _prepare(tmp_path, team["sara"])
    code, out = run("reject", REF, "--token", team["ali"], "--reason", "ستون بودجه را ببینید")
    assert code == 0 and "rejected" in out
    assert _publish_entries(home) == []
    code, out = run("approve", REF, "--token", team["agency"])
    assert code == 2 and "no draft waiting" in out
    # A draft checked against no version, while another version got published meanwhile.
    _prepare(tmp_path, team["sara"])
    set_four_eyes(Store(home).conn, "mrud-yazd", False)
    folder = copy_sample(tmp_path / "direct")
    set_cell(folder, 0, "title_en", "Another title")
    assert run("publish", str(folder), "--token", team["ali"])[0] == 0  # an approver, directly
    code, out = run("approve", REF, "--token", team["agency"])
    assert code == 2 and "checked against version 0" in out
    assert len(_publish_entries(home)) == 1
