"""Four eyes over HTTP: `POST /api/publish` answers 202 for a draft, then approve/reject."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from portal.replication.remote import zip_source
from portal.store import Store, catalog
from portal.store.members import add_member, set_four_eyes
from tests.packages import copy_sample


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_draft_then_self_approval_refused_then_approved(
    tmp_path: Path, client: TestClient, store: Store, yazd_token: str
) -> None:
    set_four_eyes(store.conn, "mrud-yazd", True)
    sara = add_member(store.conn, "mrud-yazd", "Sara", "approver")
    ali = add_member(store.conn, "mrud-yazd", "Ali", "approver")
    folder = copy_sample(tmp_path / "pkg")
    answer = client.post(
        "/api/publish",
        headers=_bearer(sara),
        files={"package": ("pkg.zip", zip_source(folder), "application/zip")},
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["waiting_for_approval"] is True
    assert "waiting for approval" in body["message"]["en"] and body["message"]["fa"]
    sha = body["draft"]["sha256"]
    ref = {"agency": "mrud-yazd", "dataset": "infrastructure-projects"}
    assert (
        client.get("/download/mrud-yazd/infrastructure-projects/latest/projects.csv").status_code
        == 404
    )

    refused = client.post("/api/approve", headers=_bearer(sara), json=ref)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "approval.self"
    assert set(refused.json()["error"]["message"]) == {"fa", "en"}
    assert client.post("/api/approve", json=ref).status_code == 401
    assert client.post("/api/approve", headers=_bearer(ali), content=b"[").status_code == 409
    other = {**ref, "sha256": "f" * 64}
    assert client.post("/api/approve", headers=_bearer(ali), json=other).status_code == 409

    done = client.post("/api/approve", headers=_bearer(ali), json={**ref, "sha256": sha})
    assert done.status_code == 201, done.text
    assert done.json()["prepared_by"] == {"name": "Sara", "role": "approver"}
    assert done.json()["approved_by"] == {"name": "Ali", "role": "approver"}
    assert catalog.version(store.conn, "mrud-yazd", "infrastructure-projects") is not None
    assert (
        client.get("/download/mrud-yazd/infrastructure-projects/latest/projects.csv").status_code
        == 200
    )


def test_reject_needs_a_reason_and_an_agency_member(
    tmp_path: Path, client: TestClient, store: Store, yazd_token: str
) -> None:
    preparer = add_member(store.conn, "mrud-yazd", "Sara", "preparer")
    folder = copy_sample(tmp_path / "pkg")
    answer = client.post(
        "/api/publish",
        headers=_bearer(preparer),
        files={"package": ("pkg.zip", zip_source(folder), "application/zip")},
    )
    assert answer.status_code == 202  # a preparer never publishes alone, four eyes or not
    ref = {"agency": "mrud-yazd", "dataset": "infrastructure-projects"}
    assert client.post("/api/reject", headers=_bearer(yazd_token), json=ref).status_code == 409
    rejected = client.post(
        "/api/reject", headers=_bearer(yazd_token), json={**ref, "reason": "Budget column"}
    )
    assert rejected.status_code == 200 and rejected.json()["message"]["en"]
    gone = client.post("/api/approve", headers=_bearer(yazd_token), json=ref)
    assert gone.status_code == 404


def test_publish_with_release_at_is_sealed_and_a_past_time_refused(
    tmp_path: Path, client: TestClient, store: Store, yazd_token: str
) -> None:
    folder = copy_sample(tmp_path / "pkg")

    def post(when: str) -> tuple[int, dict]:
        answer = client.post(
            "/api/publish",
            headers=_bearer(yazd_token),
            files={"package": ("pkg.zip", zip_source(folder), "application/zip")},
            data={"release_at": when},
        )
        return answer.status_code, answer.json()

    status, body = post("2001-01-01T09:30+03:30")
    assert status == 409 and body["error"]["code"] == "release.in_past"
    assert set(body["error"]["message"]) == {"fa", "en"}
    status, body = post("1405/99/99 09:30")
    assert status == 409 and body["error"]["code"] == "release.bad_time"
    status, body = post("2099-01-01T09:30+03:30")
    assert status == 202 and len(body["sealed"]["commitment"]) == 64
    assert body["sealed"]["release_at"] == "2099-01-01T06:00:00+00:00"
    assert catalog.version(store.conn, "mrud-yazd", "infrastructure-projects") is None
    status, body = post("2099-02-01T09:30+03:30")
    assert status == 409 and body["error"]["code"] == "release.already_scheduled"
