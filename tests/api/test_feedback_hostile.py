"""Hostile feedback (issue 13, items 8 and 10): hidden characters, stray pointers, junk."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from portal.store import Store

DATASET = "mrud-yazd/infrastructure-projects"


def send(client: TestClient, **item: Any) -> tuple[int, dict[str, Any]]:
    response = client.post("/api/feedback", json={"dataset": DATASET, **item})
    return response.status_code, response.json()


CHARACTERS = ["\u202e", "\u202a", "\u202d", "\u2066", "\u2069", "\x00"]
FIELDS = ["message", "value", "project", "name", "contact", "message"]


def test_direction_controls_and_nul_are_refused_in_every_text(
    client: TestClient, samples: Store
) -> None:
    for character, field in zip(CHARACTERS, FIELDS, strict=True):
        item = {"message": "why?", "resource": "projects", field: f"12{character}34"}
        status, body = send(client, **item)
        assert status == 400, (field, character)
        assert body["error"]["code"] == "feedback.hidden_character"
        assert f"U+{ord(character):04X}" in body["error"]["message"]["en"]
        assert body["error"]["message"]["fa"]


def test_zwnj_is_still_welcome(client: TestClient, samples: Store) -> None:
    assert send(client, message="راه\u200cآهن کی تمام می‌شود؟")[0] == 201


def test_a_pointer_without_its_table_or_out_of_range_is_refused(
    client: TestClient, samples: Store
) -> None:
    items: list[dict[str, Any]] = [
        {"field": "anything<script>"}, {"row": -5}, {"value": "1"}, {"row": 10**23},
        {"version": 0},
    ]  # fmt: skip
    for item in items:
        status, body = send(client, message="?", **item)
        assert status == 400, body
        assert body["error"]["code"] in ("feedback.needs_resource", "feedback.out_of_range")


def test_junk_from_one_client_does_not_lock_a_dataset(
    client: TestClient, samples: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client's allowance runs out long before the dataset's (X-Forwarded-For is ignored)."""
    statuses = [
        send(client, message=f"junk {n}")[0]
        for n in range(30)
        if client.headers.update({"X-Forwarded-For": f"198.51.100.{n}"}) is None
    ]
    assert statuses.count(201) == 10 and set(statuses[10:]) == {429}
    other = TestClient(client.app, client=("192.0.2.7", 50000))
    assert (
        other.post("/api/feedback", json={"dataset": DATASET, "message": "real"}).status_code == 201
    )
