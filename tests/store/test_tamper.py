"""A forged catalog row never goes unnoticed (issue 13, item 4).

Generated over the core schema: every column of every core table is either tampered with
here (and `verify` must name it) or listed in EXEMPT with the reason it is no public fact.
A new column with neither fails `test_every_core_column_is_covered`.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.config import load_settings
from portal.publishing.demo import publish_samples
from portal.store import Store
from portal.store.schema import core
from portal.store.verify import verify_store
from portal.store.writer import to_json_bytes

# Columns no page, export or API answer serves as a fact of a publication.
EXEMPT = {
    ("agencies", "created_at"): "when the operator registered the agency, not a publication",
    ("tokens", "id"): "tokens are never served",
    ("tokens", "agency_id"): "tokens are never served",
    ("tokens", "token_hash"): "tokens are never served",
    ("tokens", "created_at"): "tokens are never served",
    ("tokens", "revoked_at"): "tokens are never served",
    ("datasets", "created_at"): "not served: a dataset's creation is its version 1's manifest time",
    ("mirrors", "agency_id"): "the operator's record of where a mirror agency comes from",
    ("mirrors", "source"): "the operator's record of where a mirror agency comes from",
    ("mirrors", "created_at"): "the operator's record of where a mirror agency comes from",
    ("log", "appended"): "recovery bookkeeping: `recover` re-derives it from log.jsonl",
}
# Which row to forge in each table: one whose change would show (a version with two
# resources, so their order is visible; the newest version).
ROW = {
    "resources": "SELECT rowid FROM resources WHERE version_id IN (SELECT version_id FROM "
    "resources GROUP BY version_id HAVING count(*) > 1) ORDER BY rowid LIMIT 1",
    "versions": "SELECT rowid FROM versions ORDER BY rowid DESC LIMIT 1",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four sample agencies published once; each test forges its own copy."""
    home = tmp_path_factory.mktemp("template") / "var"
    store = Store(home)
    store.init()
    publish_samples(store, load_settings(home))
    store.close()
    return home


@pytest.fixture
def samples(template: Path, tmp_path: Path) -> Iterator[Store]:
    home = tmp_path / "var"
    shutil.copytree(template, home)
    store = Store(home)
    yield store
    store.close()


def core_tables() -> list[str]:
    return [
        name
        for script in core.MIGRATIONS
        for name in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", script)
    ]


def core_columns(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(table, column, declared type) of every core table, as SQLite reports them."""
    found = []
    for table in core_tables():
        assert conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        for row in conn.execute(f"PRAGMA table_info({table})"):
            found.append((table, row[1], row[2].upper()))
    return found


def _forge(value: object, kind: str) -> object:
    if value is None:
        return 7 if "INT" in kind else "forged"
    if isinstance(value, int):
        return value + 1000
    return f"{value}x"


def _fresh_columns() -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(":memory:")
    for script in core.MIGRATIONS:
        conn.executescript(script)
    return core_columns(conn)


COLUMNS = [c for c in _fresh_columns() if (c[0], c[1]) not in EXEMPT]


def test_every_core_column_is_covered() -> None:
    """A column is tampered with below or exempt with a reason: nothing else."""
    columns = {(t, c) for t, c, _ in _fresh_columns()}
    assert set(EXEMPT) <= columns, "an exemption names a column that no longer exists"
    assert len(COLUMNS) + len(EXEMPT) == len(columns)


@pytest.mark.parametrize(("table", "column", "kind"), COLUMNS, ids=lambda v: str(v))
def test_a_forged_column_is_named_by_verify(
    samples: Store, table: str, column: str, kind: str
) -> None:
    assert verify_store(samples) == []
    conn = samples.conn
    conn.execute("PRAGMA foreign_keys=OFF")
    rowid = conn.execute(ROW.get(table, f"SELECT rowid FROM {table} ORDER BY rowid LIMIT 1"))
    (target,) = rowid.fetchone()
    (value,) = conn.execute(f"SELECT {column} FROM {table} WHERE rowid = ?", (target,)).fetchone()
    conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (_forge(value, kind), target))
    assert verify_store(samples) != [], f"{table}.{column} forged and verify saw nothing"


def test_a_forged_descriptor_object_is_named(samples: Store) -> None:
    """A new object under its own sha256 is a valid object: the manifest must disown it."""
    conn = samples.conn
    row = conn.execute("SELECT id, descriptor_sha256 FROM versions ORDER BY id DESC").fetchone()
    descriptor = json.loads(samples.objects.read_bytes(row[1]))
    descriptor["title"] = "Forged title"
    descriptor["licenses"] = [{"name": "forged-license"}]
    forged = samples.objects.put_bytes(to_json_bytes(descriptor))
    conn.execute("UPDATE versions SET descriptor_sha256 = ? WHERE id = ?", (forged, row[0]))
    assert [p.code for p in verify_store(samples)] == ["row_differs"]


def test_a_deleted_latest_version_is_named(samples: Store) -> None:
    conn = samples.conn
    conn.execute("PRAGMA foreign_keys=OFF")
    (latest,) = conn.execute("SELECT max(id) FROM versions").fetchone()
    conn.execute("DELETE FROM resources WHERE version_id = ?", (latest,))
    conn.execute("DELETE FROM versions WHERE id = ?", (latest,))
    assert "version_missing" in [p.code for p in verify_store(samples)]


def test_every_table_holds_rows_to_forge(samples: Store) -> None:
    for table in {t for t, _, _ in COLUMNS}:
        assert samples.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
