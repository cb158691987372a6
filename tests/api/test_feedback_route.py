"""`POST/GET /api/feedback`: what each item and each bad input gets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.store import Store, feedback

DATASET = "mrud-yazd/infrastructure-projects"


def send(client: TestClient, **body: Any) -> tuple[int, dict[str, Any]]:
    response = client.post("/api/feedback", json={"dataset": DATASET, **body})
    return response.status_code, response.json()


def test_an_item_is_public_only_once_approved_and_never_with_its_contact(
    client: TestClient, samples: Store
) -> None:
    status, body = send(
        client,
        kind="flag",
        message="بودجهٔ این طرح با گزارش سال قبل نمی‌خواند.",
        version=1,
        resource="projects",
        row=3,
        field="budget_irr",
        value="1084000000000",
        project="mrud-yazd-0003",
        name="Sara",
        contact="sara@example.org",
    )
    assert status == 201 and body["state"] == "waiting"
    item_id = body["id"]
    listed = client.get("/api/feedback", params={"dataset": DATASET}).json()
    assert listed["items"] == [] and listed["waiting"] == 1
    feedback.approve(samples.conn, "mrud-yazd", item_id)
    listed = client.get("/api/feedback", params={"dataset": DATASET}).json()
    (item,) = listed["items"]
    assert item["message"].startswith("بودجه") and item["row"] == 3 and item["name"] == "Sara"
    assert listed["waiting"] == 0
    by_agency = client.get("/api/feedback", params={"agency": "mrud-yazd"}).json()
    assert by_agency["items"] == listed["items"]
    everything = str(by_agency) + client.get("/api/feedback", params={"dataset": DATASET}).text
    assert "sara@example.org" not in everything
    # the contact is kept apart, for the agency alone
    stored = samples.conn.execute("SELECT contact FROM feedback_contacts").fetchall()
    assert [row[0] for row in stored] == ["sara@example.org"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"message": "x" * 501}, 400, "feedback.too_long"),
        ({"message": "   "}, 400, "feedback.missing"),
        ({"message": "ok", "kind": "praise"}, 400, "feedback.bad_kind"),
        ({"message": "ok", "name": "n" * 81}, 400, "feedback.too_long"),
        ({"message": "ok", "dataset": "nobody/nothing"}, 404, "feedback.no_dataset"),
        ({"message": "ok", "version": 9}, 404, "feedback.no_dataset"),
        ({"message": "ok", "resource": "budget"}, 404, "feedback.no_resource"),
        ({"message": "ok", "resource": "projects", "row": 33}, 400, "feedback.no_row"),
        ({"message": "ok", "resource": "projects", "field": "salary"}, 400, "feedback.no_field"),
        ({"message": "ok", "row": "3"}, 400, "feedback.expected_integer"),
        ({"message": 5}, 400, "feedback.expected_text"),
    ],
)
def test_each_bad_item_is_refused_and_nothing_is_stored(
    client: TestClient, samples: Store, body: dict[str, Any], status: int, code: str
) -> None:
    got, answer = send(client, **body)
    assert (got, answer["error"]["code"]) == (status, code)
    assert set(answer["error"]["message"]) == {"fa", "en"}
    assert samples.conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0


def test_a_500_character_message_is_taken(client: TestClient, samples: Store) -> None:
    assert send(client, message="ی" * 500)[0] == 201


def test_markup_is_stored_and_returned_as_text(client: TestClient, samples: Store) -> None:
    _, body = send(client, message="<script>alert(1)</script> **bold**")
    feedback.approve(samples.conn, "mrud-yazd", body["id"])
    (item,) = client.get("/api/feedback", params={"dataset": DATASET}).json()["items"]
    assert item["message"] == "<script>alert(1)</script> **bold**"


def test_rate_limits_answer_429(samples: Store, settings: Settings) -> None:
    client = TestClient(open_data_app(replace(settings, feedback_per_client=2)))
    assert send(client, message="one")[0] == 201
    assert send(client, message="two")[0] == 201
    response = client.post("/api/feedback", json={"dataset": DATASET, "message": "three"})
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["code"] == "feedback.rate_client"
    client = TestClient(
        open_data_app(replace(settings, feedback_per_client=100, feedback_per_dataset=2))
    )
    send(client, message="a")
    send(client, message="b")
    assert send(client, message="c")[1]["error"]["code"] == "feedback.rate_dataset"


def test_body_limits(client: TestClient, samples: Store) -> None:
    big = client.post("/api/feedback", content=b"{" + b" " * 20000 + b"}")
    assert big.status_code == 413
    broken = client.post("/api/feedback", content=b"[1, 2]")
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "feedback.bad_json"
    assert client.get("/api/feedback").status_code == 400


def test_moderation_rules(client: TestClient, samples: Store) -> None:
    _, first = send(client, message="Why so high?", version=1)
    conn = samples.conn
    with pytest.raises(Exception, match="reason"):
        feedback.hide(conn, "mrud-yazd", first["id"], " ")
    with pytest.raises(Exception, match="version 1"):
        feedback.answer(conn, "mrud-yazd", first["id"], "Fixed.", "corrected", 1)
    with pytest.raises(Exception, match="no item"):
        feedback.approve(conn, "mcls-yazd", first["id"])  # another agency's item
    feedback.answer(conn, "mrud-yazd", first["id"], "It includes land costs.", "explained")
    _, second = send(client, message="spam spam")
    feedback.hide(conn, "mrud-yazd", second["id"], "advertising")
    items = client.get("/api/feedback", params={"dataset": DATASET}).json()["items"]
    assert [(i["id"], i["outcome"]) for i in items] == [(first["id"], "explained")]
    assert "advertising" not in str(items)
    received, share, days = feedback.responsiveness(conn)["mrud-yazd"]
    assert (received, share) == (1, 1.0) and days is not None and days < 1
