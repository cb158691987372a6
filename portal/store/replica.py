"""A read-only copy of another portal's store, built from its public log and objects.

A replica holds the writer's log line for line (the same bytes, so the same hash chain)
and the same content-addressed objects; its catalog rows are rebuilt from the manifests
the log names. It never publishes: `commit_version` refuses on a replica, since a version
made here would fork the chain. Versions are applied in the writer's order (objects
first, then one transaction, then the log line), so a crash leaves the previous state
readable and `recover` finishes a committed one, as for the writer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.errors import StoreProblem
from portal.store.agencies import now
from portal.store.log_rows import recover
from portal.store.public_log import canonical
from portal.store.transactions import transaction

if TYPE_CHECKING:
    from portal.store import Store

MARKER = "replica-of"  # a file in the home naming the writer this store copies


def source(home: Path) -> str | None:
    """The writer's address if the store at `home` is a replica."""
    try:
        return (home / MARKER).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def mark(store: Store, url: str) -> None:
    """Make the store a replica of `url`; a store that published on its own cannot be one."""
    known = source(store.home)
    if known is None and store.log.read()[0]:
        raise StoreProblem("replica.not_empty", home=str(store.home))
    if known is not None and known != url:
        raise StoreProblem("replica.other_source", home=str(store.home), source=known)
    (store.home / MARKER).write_text(url + "\n", encoding="utf-8")


def _agency_id(conn: sqlite3.Connection, slug: str, titles: tuple[str, str]) -> int:
    row = conn.execute("SELECT id FROM agencies WHERE slug = ?", (slug,)).fetchone()
    if row:
        return int(row[0])
    cursor = conn.execute(
        "INSERT INTO agencies (slug, title_fa, title_en, created_at) VALUES (?, ?, ?, ?)",
        (slug, titles[0], titles[1], now()),
    )
    return int(cursor.lastrowid or 0)


def _dataset_id(conn: sqlite3.Connection, agency_id: int, slug: str, created: str) -> int:
    found = conn.execute(
        "SELECT id FROM datasets WHERE agency_id = ? AND slug = ?", (agency_id, slug)
    ).fetchone()
    if found:
        return int(found[0])
    cursor = conn.execute(
        "INSERT INTO datasets (agency_id, slug, created_at) VALUES (?, ?, ?)",
        (agency_id, slug, created),
    )
    return int(cursor.lastrowid or 0)


def _insert(
    conn: sqlite3.Connection,
    entry: dict[str, Any],
    manifest: dict[str, Any],
    title: str,
    titles: tuple[str, str],
) -> None:
    agency_id = _agency_id(conn, str(manifest["agency"]), titles)
    dataset_id = _dataset_id(conn, agency_id, str(manifest["dataset"]), manifest["created_at"])
    cursor = conn.execute(
        "INSERT INTO versions (dataset_id, number, title, manifest_sha256, descriptor_sha256, "
        "report_sha256, created_at, log_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            dataset_id,
            manifest["version"],
            title,
            entry["manifest"],
            manifest["descriptor"],
            manifest["report"],
            manifest["created_at"],
            entry["seq"],
        ),
    )
    conn.executemany(
        "INSERT INTO resources (version_id, position, name, path, sha256, bytes, rows, mediatype)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                cursor.lastrowid,
                position,
                r["name"],
                r["path"],
                r["sha256"],
                r["bytes"],
                r.get("rows"),
                r["mediatype"],
            )
            for position, r in enumerate(manifest["resources"])
        ],
    )


def _apply(
    store: Store, entry: dict[str, Any], insert: Callable[[sqlite3.Connection], None]
) -> None:
    """Catalog rows (`insert`) and the log row in one transaction, then the log line."""
    conn = store.conn
    with store.lock:
        recover(conn, store.log)
        lines, _ = store.log.read()
        if len(lines) != int(entry["seq"]) - 1:
            raise StoreProblem("replica.out_of_step", home=str(store.home), seq=entry["seq"])
        with transaction(conn):
            insert(conn)
            conn.execute(
                "INSERT INTO log (seq, entry, hash, appended) VALUES (?, ?, ?, 0)",
                (entry["seq"], canonical(entry), entry["hash"]),
            )
        store.log.append(entry)
        conn.execute("UPDATE log SET appended = 1 WHERE seq = ?", (entry["seq"],))


def apply_publication(store: Store, entry: dict[str, Any], titles: tuple[str, str]) -> None:
    """Add the version that log `entry` names; its objects must already be stored, verified."""
    manifest = json.loads(store.objects.read_bytes(str(entry["manifest"])))
    title = manifest.get("title")
    if not isinstance(title, str):  # manifests written before titles were listed in them
        descriptor = json.loads(store.objects.read_bytes(str(manifest["descriptor"])))
        title = str(descriptor.get("title") or manifest["dataset"])
    _apply(store, entry, lambda conn: _insert(conn, entry, manifest, title, titles))


def apply_agency(store: Store, entry: dict[str, Any]) -> None:
    """An agency's titles as the writer logged them: the row created or its titles set."""
    slug, titles = str(entry["agency"]), (str(entry["title_fa"]), str(entry["title_en"]))

    def insert(conn: sqlite3.Connection) -> None:
        _agency_id(conn, slug, titles)
        conn.execute(
            "UPDATE agencies SET title_fa = ?, title_en = ? WHERE slug = ?", (*titles, slug)
        )

    _apply(store, entry, insert)


def apply_calendar(store: Store, entry: dict[str, Any]) -> None:
    """A release calendar entry (scheduled, moved, cancelled): it changes no catalog row;
    the calendar is read from the log itself, the same on the writer and its replicas."""
    _apply(store, entry, lambda conn: None)
