"""The crash windows, made deterministic: committed but not logged, and a torn log line."""

from __future__ import annotations

from pathlib import Path

from portal.store import Store
from portal.store.agencies import add_agency
from portal.store.public_log import canonical
from portal.store.records import ResourceEntry
from portal.store.verify import verify_store
from portal.store.writer import NewResource, _insert_version, commit_version, recover_store


def _resource(tmp_path: Path, text: str) -> NewResource:
    path = tmp_path / f"{abs(hash(text))}.csv"
    path.write_text(text, encoding="utf-8")
    return NewResource("table", "table.csv", path, "text/csv", 1)


def _commit_without_log(store: Store, tmp_path: Path) -> dict[str, object]:
    """Steps 1-2 of a publish (objects, transaction) and a crash before step 3."""
    entry = _resource(tmp_path, "id\n2\n")
    sha, size = store.objects.put_file(entry.file)
    store.conn.execute("BEGIN IMMEDIATE")
    logged = _insert_version(
        store,
        "crash",
        "loop",
        "Loop",
        (store.objects.put_bytes(b"{}"), store.objects.put_bytes(b"[]")),
        [ResourceEntry("table", "table.csv", sha, size, 1, "text/csv")],
    )
    store.conn.execute("COMMIT")
    return logged


def test_committed_version_missing_from_log_is_recovered(tmp_path: Path, store: Store) -> None:
    add_agency(store.conn, "crash", "آزمون", "Crash")
    commit_version(store, "crash", "loop", "Loop", {"n": 1}, {}, [_resource(tmp_path, "id\n1\n")])
    _commit_without_log(store, tmp_path)
    assert [p.code for p in verify_store(store)] == ["log_pending"]
    assert recover_store(store) == 1
    assert verify_store(store) == []
    assert len(store.log.read()[0]) == 3  # the agency's titles, version 1, version 2


def test_torn_log_line_is_completed(tmp_path: Path, store: Store) -> None:
    add_agency(store.conn, "crash", "آزمون", "Crash")
    commit_version(store, "crash", "loop", "Loop", {"n": 1}, {}, [_resource(tmp_path, "id\n1\n")])
    entry = _commit_without_log(store, tmp_path)
    with store.log.path.open("a", encoding="utf-8") as handle:
        handle.write(canonical(entry)[:40])  # the crash hit mid-write
    assert {p.code for p in verify_store(store)} == {"log_torn", "log_pending"}
    recover_store(store)
    assert verify_store(store) == []


def test_recovery_never_restores_a_confirmed_entry(tmp_path: Path, store: Store) -> None:
    add_agency(store.conn, "crash", "آزمون", "Crash")
    commit_version(store, "crash", "loop", "Loop", {"n": 1}, {}, [_resource(tmp_path, "id\n1\n")])
    store.log.path.write_text("", encoding="utf-8")  # someone erased the public log
    assert recover_store(store) == 0
    assert [p.code for p in verify_store(store)] == ["log_removed", "log_removed"]  # agency, v1
