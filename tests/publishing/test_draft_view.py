"""Pre-release access: every read of a draft or sealed release is recorded and published."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.store import Store
from portal.store.agencies import add_agency
from portal.store.members import add_member, set_four_eyes
from portal.store.releases import release_due
from tests.cli_runs import ahead, run
from tests.packages import copy_sample

REF = "mrud-yazd/infrastructure-projects"


@pytest.fixture(autouse=True)
def home(cli_home: Path) -> Path:
    return cli_home


def test_every_read_before_the_release_is_published_with_it(
    tmp_path: Path, store: Store, yazd_token: str, home: Path, settings: Settings
) -> None:
    set_four_eyes(store.conn, "mrud-yazd", True)
    sara = add_member(store.conn, "mrud-yazd", "Sara", "preparer")
    reza = add_member(store.conn, "mrud-yazd", "Reza", "preparer")
    ali = add_member(store.conn, "mrud-yazd", "Ali", "approver")
    other = add_agency(store.conn, "mcls-yazd", "تعاون یزد", "Labour Yazd")
    folder = copy_sample(tmp_path / "pkg")
    code, out = run("publish", str(folder), "--token", sara, "--release-at", ahead(4))
    assert code == 0 and "waiting for approval" in out
    code, out = run("draft", "show", REF, "--token", reza)
    assert code == 0 and "projects" in out and "id," in out
    # each table: its rows counted and its size in units, in both languages
    assert re.search(r"^projects\t[\d,]+ rows\t[\d.]+ KB\tsha256 [0-9a-f]{64}$", out, re.M), out
    assert re.search(r"^projects\t[۰-۹٬]+ سطر\t[۰-۹٫]+ کیلوبایت\tsha256 ", out, re.M), out
    code, out = run("draft", "show", REF, "--token", other)
    assert code == 2 and "mcls-yazd" in out
    code, out = run("approve", REF, "--token", ali)
    assert code == 0 and "Sealed" in out, out
    code, out = run("draft", "show", REF, "--token", yazd_token)
    assert code == 0 and "sealed" in out
    time.sleep(5.2)
    assert len(release_due(Store(home))) == 1
    entries = [json.loads(line) for line in (home / "log.jsonl").read_text().splitlines()]
    (entry,) = [e for e in entries if e["type"] == "publish"]
    seen = [(a["name"], a["role"], a["what"]) for a in entry["release"]["access"]]
    assert seen == [
        ("Reza", "preparer", "draft show"),
        ("Ali", "approver", "approval review"),
        ("mrud-yazd token #1", "admin", "draft show"),
    ]
    assert entry["prepared_by"]["name"] == "Sara" and entry["approved_by"]["name"] == "Ali"
    (listed,) = TestClient(open_data_app(settings)).get("/api/releases").json()["releases"]
    assert [a["name"] for a in listed["access"]] == ["Reza", "Ali", "mrud-yazd token #1"]
    assert listed["prepared_by"]["name"] == "Sara"


def test_a_release_nobody_read_says_so(
    tmp_path: Path, yazd_token: str, home: Path, settings: Settings
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    assert run("publish", str(folder), "--token", yazd_token, "--release-at", ahead(2))[0] == 0
    time.sleep(3.2)
    release_due(Store(home))
    (listed,) = TestClient(open_data_app(settings)).get("/api/releases").json()["releases"]
    assert listed["status"] == "released" and listed["access"] == []
