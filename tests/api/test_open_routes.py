"""The public log and the objects: what `glasswall verify --portal` reads from outside."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from portal.store import Store


@pytest.mark.parametrize(
    ("range_", "status"),
    [("bytes=abc", 400), ("bytes=5-2", 400), ("items=0-1", 400), ("bytes=999999999-", 416)],
)
def test_a_bad_range_of_the_log_is_said_in_both_languages(
    client: TestClient, samples: Store, range_: str, status: int
) -> None:
    """A verifier fetches what is new in the log with a Range request; a range that cannot
    be served got Starlette's English text ('Range header: range must be requested') or
    an empty 416, where the downloads say it in both languages with the file's size."""
    size = len(client.get("/log.jsonl").content)
    assert size > 0
    answer = client.get("/log.jsonl", headers={"Range": range_})
    assert answer.status_code == status, answer.text[:200]
    message = answer.json()["error"]["message"]
    assert message["fa"] and message["en"] and range_ in message["en"]
    if status == 416:
        assert answer.headers["content-range"] == f"bytes */{size}"
    tail = client.get("/log.jsonl", headers={"Range": f"bytes={size - 10}-"})
    assert tail.status_code == 206 and tail.content == client.get("/log.jsonl").content[-10:]
