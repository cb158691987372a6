"""A store made by an earlier release upgrades without losing anything; backups verify."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.cli import app
from portal.config import Settings
from portal.errors import StoreProblem
from portal.publishing.publish import publish
from portal.serving.launch import free_port, start_server, wait_until_healthy
from portal.store import Store, catalog
from portal.store.backup import backup, restore
from portal.store.migrations import registered
from portal.store.verify import verify_store
from tests.packages import copy_sample, set_cell

FIXTURE = Path(__file__).parent / "fixtures" / "store-0.1.0"
NEW_AGENCY = (
    "INSERT INTO agencies (slug, title_fa, title_en, created_at) VALUES ('a-b', 'x', 'y', 'z')"
)
TABLES = ("agencies", "tokens", "datasets", "versions", "resources", "log", "feedback")


def _rows(home: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        found = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
        found["contacts"] = conn.execute("SELECT * FROM feedback_contacts").fetchall()
    finally:
        conn.close()
    return found


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    home = tmp_path / "old"
    shutil.copytree(FIXTURE, home)
    return home


def test_an_old_store_is_refused_until_upgraded_then_keeps_everything(old_store: Path) -> None:
    before = _rows(old_store)
    assert before["versions"] and before["contacts"]
    with pytest.raises(StoreProblem) as refused:
        _ = Store(old_store).conn
    assert (
        "feedback#2" in refused.value.message["en"]
        and str(old_store) in refused.value.message["en"]
    )

    result = CliRunner().invoke(app, ["--lang", "en", "--home", str(old_store), "upgrade"])
    assert result.exit_code == 0, result.output
    assert "feedback#2" in result.output
    copies = list((old_store / "backups").iterdir())
    assert len(copies) == 1 and _rows(copies[0]) == before  # the copy is the old store

    assert _rows(old_store) == before
    store = Store(old_store)
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(registered())
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM feedback WHERE agency_id = 1 AND dataset = 'x'"
    ).fetchall()
    assert "feedback_by_dataset" in str([tuple(row) for row in plan])
    assert verify_store(store) == []
    assert len(catalog.versions(conn, "mrud-yazd", "infrastructure-projects")) == 2

    again = CliRunner().invoke(app, ["--lang", "en", "--home", str(old_store), "upgrade"])
    assert again.exit_code == 0 and "up to date" in again.output
    assert len(list((old_store / "backups").iterdir())) == 1


@pytest.mark.slow
def test_serve_upgrades_an_old_store_before_serving(old_store: Path, tmp_path: Path) -> None:
    port = free_port()
    with (tmp_path / "server.log").open("w") as log:
        server = start_server(old_store, port, log)
        try:
            assert wait_until_healthy(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(timeout=20)
    assert len(list((old_store / "backups").iterdir())) == 1
    assert verify_store(Store(old_store)) == []


@pytest.mark.slow
def test_a_backup_taken_while_publishing_verifies_and_restores(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    folders = []
    for index in range(6):
        folder = copy_sample(tmp_path / f"pkg{index}")
        set_cell(folder, 0, "beneficiaries", str(100 + index))
        folders.append(folder)
    publish(store, folders[0], settings, token=yazd_token)

    def publisher() -> None:
        own = Store(settings.home)  # its own connection, as a second process would have
        for folder in folders[1:]:
            publish(own, folder, settings, token=yazd_token)
        own.close()

    thread = threading.Thread(target=publisher)
    thread.start()
    copies = []
    for index in range(3):
        copies.append(backup(Store(settings.home), tmp_path / f"backup{index}"))
    thread.join()
    for copied in copies:
        assert copied.problems == (), copied.problems
        assert copied.versions + 1 == copied.entries >= 2  # one agency's titles, then versions
    last = backup(Store(settings.home), tmp_path / "final")
    assert last.problems == () and last.versions == 6

    home = tmp_path / "restored"
    restored = restore(last.target, home)
    assert restored.problems == () and restored.versions == 6
    assert _rows(home) == _rows(settings.home)
    result = CliRunner().invoke(app, ["--home", str(home), "verify"])
    assert result.exit_code == 0, result.output


def test_backup_and_restore_refuse_a_used_folder(samples: Store, tmp_path: Path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "note.txt").write_text("keep me", encoding="utf-8")
    home = str(samples.home)
    result = CliRunner().invoke(app, ["--lang", "en", "--home", home, "backup", str(used)])
    assert result.exit_code == 2 and "already holds files" in result.output
    good = CliRunner().invoke(app, ["--lang", "en", "--home", home, "backup", str(tmp_path / "b")])
    assert good.exit_code == 0 and "verified" in good.output, good.output
    onto_a_store = CliRunner().invoke(
        app, ["--lang", "en", "--home", home, "restore", str(tmp_path / "b")]
    )
    assert onto_a_store.exit_code == 2 and "already holds files" in onto_a_store.output
    assert (used / "note.txt").read_text(encoding="utf-8") == "keep me"


def test_a_transaction_commits_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.conn.execute(NEW_AGENCY)
        raise RuntimeError("half way")
    assert catalog.agency(store.conn, "a-b") is None
    with store.transaction():
        store.conn.execute(NEW_AGENCY)
    assert catalog.agency(store.conn, "a-b") is not None


# Issue 21: a damaged catalog or object is refused by backup and restore, with its path.


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--lang", "en", *args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output.replace("\n", "")


def _garble_tokens(store: Store) -> None:
    conn = store.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tokens'").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    store.close()
    with store.db_path.open("r+b") as handle:
        handle.seek((root - 1) * size + size // 2)
        handle.write(b"\xa5" * (size // 2))


def test_backup_and_restore_refuse_a_catalog_sqlite_calls_damaged(
    samples: Store, settings: Settings, tmp_path: Path
) -> None:
    _garble_tokens(samples)
    code, out = _cli("--home", str(settings.home), "backup", str(tmp_path / "copy"))
    assert code == 1 and "integrity check" in out and "catalog.sqlite" in out, out
    restored = tmp_path / "restored"
    code, out = _cli("--home", str(restored), "restore", str(tmp_path / "copy"))
    assert code == 1 and "integrity check" in out and "Nothing was restored" in out, out
    assert not any(restored.iterdir())  # never a damaged catalog in the home serve reads


def test_backup_names_an_object_that_is_a_directory_and_leaves_no_copy(
    samples: Store, settings: Settings, tmp_path: Path
) -> None:
    name, path = next(samples.objects.all())
    path.unlink()
    path.mkdir()
    samples.close()
    target = tmp_path / "copy"
    code, out = _cli("--home", str(settings.home), "backup", str(target))
    assert code == 1 and f"{name[:2]}/{name[2:]}" in out, out
    assert not target.exists() or not any(target.iterdir())
