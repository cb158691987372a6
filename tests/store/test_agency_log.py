"""An agency's titles are public facts: logged when it is created, verified against the
catalog, adopted once for a store made before they were logged (issue 21, partial)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.cli import app
from portal.errors import Forbidden
from portal.store import Store
from portal.store.agencies import add_agency, add_mirror
from portal.store.replica import mark
from portal.store.verify import verify_store

FIXTURE = Path(__file__).parent / "fixtures" / "store-0.1.0"


def _codes(store: Store) -> list[tuple[str, str]]:
    return [(p.code, p.where) for p in verify_store(store)]


def _entries(store: Store) -> list[dict[str, object]]:
    return [line.entry for line in store.log.read()[0] if line.entry]


def test_a_new_agency_enters_the_log_with_its_titles(store: Store) -> None:
    add_agency(store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads Yazd")
    add_mirror(store.conn, "other-portal", "درگاه دیگر", "Other portal", "https://x.example")
    assert [(e["type"], e["agency"], e["title_fa"], e["title_en"]) for e in _entries(store)] == [
        ("agency", "mrud-yazd", "راه و شهرسازی یزد", "Roads Yazd"),
        ("agency", "other-portal", "درگاه دیگر", "Other portal"),
    ]
    assert verify_store(store) == []


@pytest.mark.parametrize("column", ["title_fa", "title_en"])
def test_a_title_rewritten_in_sqlite_is_named(store: Store, column: str) -> None:
    add_agency(store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads Yazd")
    store.conn.execute(f"UPDATE agencies SET {column} = 'Ministry of Lies'")
    assert _codes(store) == [("agency_differs", "agencies/mrud-yazd")]
    assert column in verify_store(store)[0].message["en"]


def test_an_agency_row_added_by_hand_is_named(store: Store) -> None:
    add_agency(store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads Yazd")
    store.conn.execute(
        "INSERT INTO agencies (slug, title_fa, title_en, created_at) "
        "VALUES ('fake-office', 'جعلی', 'Fake', '2026-01-01')"
    )
    assert _codes(store) == [("agency_unlogged", "agencies/fake-office")]


def test_a_deleted_agency_row_is_named(store: Store) -> None:
    add_agency(store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads Yazd")
    store.conn.execute("PRAGMA foreign_keys=OFF")
    store.conn.execute("DELETE FROM tokens")
    store.conn.execute("DELETE FROM agencies")
    assert _codes(store) == [("agency_missing", "agencies/mrud-yazd")]


def test_a_replica_logs_no_agency_of_its_own(store: Store) -> None:
    mark(store, "http://127.0.0.1:9/")
    with pytest.raises(Forbidden):
        add_agency(store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads Yazd")
    assert _entries(store) == [] and store.conn.execute("SELECT * FROM agencies").fetchall() == []


def test_a_store_made_before_titles_were_logged_verifies_and_is_adopted_once(
    tmp_path: Path,
) -> None:
    home = tmp_path / "old"
    shutil.copytree(FIXTURE, home)
    runner = CliRunner()
    upgraded = runner.invoke(app, ["--lang", "en", "--home", str(home), "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    store = Store(home)
    before = _entries(store)
    assert before and all(e["type"] == "publish" for e in before)
    assert verify_store(store) == []  # as it stood: no agency entry yet, nothing to compare

    checked = runner.invoke(app, ["--lang", "en", "--home", str(home), "verify"])
    assert checked.exit_code == 0, checked.output
    after = _entries(store)
    assert after[: len(before)] == before  # the history is kept; titles appended after it
    adopted = after[len(before) :]
    rows = store.conn.execute("SELECT slug, title_fa, title_en FROM agencies ORDER BY id")
    assert [(e["agency"], e["title_fa"], e["title_en"]) for e in adopted] == [
        tuple(row) for row in rows
    ]
    again = runner.invoke(app, ["--lang", "en", "--home", str(home), "verify"])
    assert again.exit_code == 0 and _entries(store) == after  # once

    store.conn.execute("UPDATE agencies SET title_en = 'Forged' WHERE id = 1")
    forged = runner.invoke(app, ["--lang", "en", "--home", str(home), "verify"])
    assert forged.exit_code == 1 and "title_en" in forged.output
    store.close()


def test_the_log_entry_is_canonical_json(store: Store) -> None:
    add_agency(store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads Yazd")
    raw = store.log.path.read_text(encoding="utf-8").splitlines()[0]
    entry = json.loads(raw)
    assert set(entry) == {"seq", "time", "type", "agency", "title_fa", "title_en", "prev", "hash"}
