"""Every route's 404 speaks the HTTP API's own words: a neutral error code, not the CLI's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from portal.store import Store

API = Path(__file__).resolve().parents[2] / "portal" / "api"
MISSING = [
    "/download/mcls-khuzestan/labour-indicators/9/datapackage.json",
    "/download/nobody/nothing/latest/projects.csv",
    "/download/no/such/address/at/all",
    "/api/no/such/thing",
    "/objects/not-a-hash",
    "/objects/" + "0" * 64,
    "/catalog/nobody/nothing.jsonld",
    "/feeds/nobody.atom",
    "/feeds/no/such/feed/here",
    "/cite/too/short",
    "/embed/too/short",
]


@pytest.mark.parametrize("address", MISSING)
def test_a_missing_address_has_a_neutral_http_code(
    client: TestClient, samples: Store, address: str
) -> None:
    answer = client.get(address)
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["code"] == "api.not_found", error
    assert error["message"]["en"].endswith("was not found.") and error["message"]["fa"]


def test_no_http_route_raises_a_cli_message() -> None:
    """The HTTP API names its errors itself: a `cli.` key there leaks a command's wording."""
    leaks = {
        str(path.relative_to(API)): found
        for path in API.rglob("*.py")
        if (found := re.findall(r"""["']cli\.[a-z_.]+["']""", path.read_text(encoding="utf-8")))
    }
    assert not leaks, leaks
