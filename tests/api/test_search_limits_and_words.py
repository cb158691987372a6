"""package_search polish (issue 23): limits said as numbers; indicator names are words."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from portal.store import Store


def search(client: TestClient, **params: str) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/api/3/action/package_search", params=params).json()
    return found


def test_an_indicators_name_finds_its_series(client: TestClient, samples: Store) -> None:
    for words in ("بیکاری", "unemployment insurance", "بیمه‌شدگان", "coop_jobs_share"):
        found = search(client, q=words)["result"]
        names = {p["name"] for p in found["results"]}
        assert names == {"mcls-khuzestan--labour-indicators", "mcls-yazd--labour-indicators"}, words
    assert search(client, q="بیکاری راه")["result"]["count"] == 0  # every word must match


def test_start_and_rows_limits_are_said_as_numbers(client: TestClient, samples: Store) -> None:
    answer = client.get("/api/3/action/package_search", params={"start": "2147483648"})
    assert answer.status_code == 409
    messages = answer.json()["error"]["messages"]
    assert "between 0 and 1,000,000,000" in messages["en"] and "∞" not in messages["en"]
    assert "۱٬۰۰۰٬۰۰۰٬۰۰۰" in messages["fa"]
    rows = client.get("/api/3/action/package_search", params={"rows": "5000"}).json()
    assert "between 0 and 1,000" in rows["error"]["messages"]["en"]
