"""The store's face: named queries, one query where there were many, and the raw connection,
the `Store` constructor and the store's file names kept inside `portal/store/`."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from portal.store import Store, catalog, reading, writing
from portal.store.agencies import add_agency
from portal.store.files import StoreFiles

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "portal"
STORE_PACKAGE = PORTAL / "store"
# Uses of a store's raw connection allowed outside portal/store/ (the limit).
CONNECTION_LIMIT = 0  # the issue allows 3; none is needed


def _outside_the_store() -> list[tuple[str, ast.AST]]:
    nodes = []
    for path in sorted(PORTAL.rglob("*.py")):
        if STORE_PACKAGE in path.parents:
            continue
        where = str(path.relative_to(ROOT))
        nodes += [(where, node) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))]
    return nodes


def test_the_raw_connection_stays_in_the_store() -> None:
    # `self.conn` is a class's own connection (uvicorn's h11 state), never a store's.
    uses = [
        f"{where}:{node.lineno}"
        for where, node in _outside_the_store()
        if isinstance(node, ast.Attribute)
        and node.attr == "conn"
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    ]
    assert len(uses) <= CONNECTION_LIMIT, uses


def test_only_the_store_builds_a_store() -> None:
    built = [
        f"{where}:{node.lineno}"
        for where, node in _outside_the_store()
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "Store")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "Store")
        )
    ]
    assert built == []


def test_only_the_store_knows_its_file_names() -> None:
    names = {"catalog.sqlite", "catalog.sqlite-wal", "log.jsonl", "objects", "publisher.lock"}
    joined = [
        f"{where}:{node.lineno}"
        for where, node in _outside_the_store()
        if isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Div)
        and isinstance(node.right, ast.Constant)
        and node.right.value in names
    ]
    assert joined == []


def test_sql_runs_only_in_the_store() -> None:
    # portal/sql/ runs the journalist's SELECT on DuckDB over the columnar cache, not SQLite.
    calls = [
        f"{where}:{node.lineno}"
        for where, node in _outside_the_store()
        if not where.startswith("portal/sql/")
        and isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("execute", "executemany", "executescript")
    ]
    assert calls == []


def test_one_place_begins_a_write_transaction() -> None:
    found = {
        str(path.relative_to(ROOT))
        for path in PORTAL.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and str(node.args[0].value).upper().startswith("BEGIN")
    }
    assert found == {"portal/store/transactions.py"}


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def test_latest_resources_is_one_query_and_agrees_with_the_versions(samples: Store) -> None:
    with reading(samples.home) as store:
        expected = []
        for summary in store.datasets():
            version = store.version(summary.agency, summary.dataset)
            entry = version.resource("projects") if version else None
            if version is not None and entry is not None:
                expected.append((summary.agency, summary.dataset, version.number, entry))
        seen = _statements(store)
        found = store.latest_resources("projects")
    assert len(seen) == 1
    assert [(r.agency, r.dataset, r.number, r.entry) for r in found] == expected
    assert len(found) >= 2


def test_versions_read_their_resources_in_one_more_query(samples: Store) -> None:
    with reading(samples.home) as store:
        one_by_one = [
            store.version(s.agency, s.dataset, v.number)
            for s in store.datasets()
            for v in store.versions(s.agency, s.dataset)
        ]
        seen = _statements(store)
        every = store.all_versions()
        latest = store.latest_versions()
    assert len(seen) == 4
    assert sorted(every, key=lambda v: (v.agency, v.dataset, v.number)) == sorted(
        one_by_one, key=lambda v: (v.agency, v.dataset, v.number)
    )
    assert all(v.resources for v in every)
    assert latest == [store.version(v.agency, v.dataset) for v in latest]


def test_descriptor_report_and_resource_spec(samples: Store) -> None:
    with reading(samples.home) as store:
        version = store.version("mrud-yazd", "infrastructure-projects")
        assert version is not None
        descriptor = store.descriptor(version)
        assert descriptor["name"] == "infrastructure-projects"
        assert "errors" in store.report(version)
        spec = store.resource_spec(version, "projects")
        assert spec["name"] == "projects" and spec["schema"]["fields"]
        assert store.resource_spec(version, "no-such") == {}


def test_run_takes_only_the_store_s_own_queries(store: Store) -> None:
    token = store.run(add_agency, "a-b", "الف", "A B")
    assert token and store.agency("a-b") is not None

    def elsewhere(conn: sqlite3.Connection) -> int:
        return int(conn.execute("SELECT 1").fetchone()[0])

    with pytest.raises(TypeError):
        store.run(elsewhere)


def test_a_transaction_joins_what_runs_inside_it(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.run(add_agency, "a-b", "الف", "A B")
        raise RuntimeError("half way")
    assert store.agency("a-b") is None


def test_the_openers_close_what_they_opened(settings: object, store: Store) -> None:
    with writing(store.home) as opened:
        assert opened.agencies() == []
        connection = opened.conn
    with pytest.raises(sqlite3.ProgrammingError):
        connection.execute("SELECT 1")
    assert StoreFiles(store.home).catalog == store.db_path
    assert catalog.log_entries(store.conn) == []
