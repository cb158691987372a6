"""`glasswall agency member ...` and `agency policy`, against a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import Settings
from portal.errors import Unauthorized
from portal.store import Store
from portal.store.agencies import authenticate, token_hash
from portal.store.members import four_eyes, identify
from tests.cli_runs import run


@pytest.fixture(autouse=True)
def home(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GLASSWALL_HOME", str(settings.home))
    Store(settings.home).init()
    return settings.home


def _agency() -> str:
    code, out = run("agency", "add", "mrud-yazd", "--title-fa", "راه یزد", "--title-en", "Roads")
    assert code == 0
    return out.strip().splitlines()[-1]


def test_member_token_is_printed_last_stored_hashed_and_speaks_for_its_role(home: Path) -> None:
    agency_token = _agency()
    code, out = run("agency", "member", "add", "mrud-yazd", "--name", "Sara", "--role", "preparer")
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert token.startswith("gw_") and token != agency_token
    store = Store(home)
    assert token.encode() not in (home / "catalog.sqlite").read_bytes()
    stored = store.conn.execute("SELECT token_hash FROM members").fetchone()[0]
    assert stored == token_hash(token)
    signer = identify(store.conn, token)
    assert (signer.agency, signer.name, signer.role) == ("mrud-yazd", "Sara", "preparer")
    assert authenticate(store.conn, token).slug == "mrud-yazd"
    assert identify(store.conn, agency_token).role == "admin"  # the agency's own tokens


def test_member_list_and_remove_stops_the_token(home: Path) -> None:
    _agency()
    code, out = run("agency", "member", "add", "mrud-yazd", "--name", "Ali", "--role", "approver")
    token = out.strip().splitlines()[-1]
    code, out = run("agency", "member", "list", "mrud-yazd")
    assert code == 0 and "Ali" in out and "approver" in out
    code, out = run("agency", "member", "remove", "mrud-yazd", "Ali")
    assert code == 0
    with pytest.raises(Unauthorized):
        identify(Store(home).conn, token)
    code, out = run("agency", "member", "remove", "mrud-yazd", "Ali")
    assert code == 2 and "no member Ali" in out and "عضوی" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--name", "Sara", "--role", "boss"), "role boss is unknown"),
        (("--name", "  ", "--role", "admin"), "text name (agency=mrud-yazd) is empty"),
    ],
)
def test_bad_member_is_refused_bilingually(args: tuple[str, ...], said: str) -> None:
    _agency()
    code, out = run("agency", "member", "add", "mrud-yazd", *args)
    assert code == 2 and said in out and "traceback" not in out.lower()


def test_unknown_agency_and_duplicate_name_are_refused() -> None:
    code, out = run("agency", "member", "add", "nobody", "--name", "X", "--role", "admin")
    assert code == 2 and "nobody" in out
    _agency()
    assert run("agency", "member", "add", "mrud-yazd", "--name", "X", "--role", "admin")[0] == 0
    code, out = run("agency", "member", "add", "mrud-yazd", "--name", "X", "--role", "admin")
    assert code == 2 and "already has a member named X" in out


def test_policy_turns_four_eyes_on_and_off(home: Path) -> None:
    _agency()
    assert not four_eyes(Store(home).conn, "mrud-yazd")
    code, out = run("agency", "policy", "mrud-yazd", "--four-eyes")
    assert code == 0 and "Four eyes" in out
    assert four_eyes(Store(home).conn, "mrud-yazd")
    assert run("agency", "policy", "mrud-yazd", "--no-four-eyes")[0] == 0
    assert not four_eyes(Store(home).conn, "mrud-yazd")
