"""The only code that writes versions: objects first, then one SQLite transaction, then the log.

Order is what makes a crash harmless:
1. objects are written under their hash (orphans are harmless, halves are impossible);
2. the version, its resources and its log row commit in one transaction;
3. the log line is appended to `log.jsonl` and its row marked `appended`.
A crash before 2 leaves no trace; after 2, `recover` finishes step 3 from the row.
A global file lock serialises publishers, so version numbers and the chain never fork.
What a version is checked against (the latest version, for the cross-version rules) is
decided under that lock too: a publisher that validated against an older latest redoes
its check (`recheck`) against the one it will actually follow.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.errors import BadParameter, NotFound
from portal.names import check_name
from portal.store import catalog
from portal.store.agencies import now
from portal.store.agency_log import adopt
from portal.store.disk import ensure_room, is_disk_full
from portal.store.log_rows import next_link, recover
from portal.store.public_log import canonical, seal
from portal.store.records import ResourceEntry, Version
from portal.store.transactions import transaction
from portal.store.withheld import sealed

if TYPE_CHECKING:
    from portal.store import Store


@dataclass(frozen=True)
class NewResource:
    """A staged file to be published as one resource."""

    name: str
    path: str
    file: Path
    mediatype: str
    rows: int | None


Recheck = Callable[[Version | None], dict[str, Any]]
"""Attachments computed against a given latest version (or none); may raise to refuse."""


def to_json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _withdraw(store: Store, entry: dict[str, Any]) -> None:
    """Undo a committed version whose log line the full disk refused: the torn line goes,
    then the rows (deleting frees pages). If even that fails, the row stays pending and
    `recover` appends its line once there is room, as after a crash."""
    seq = entry["seq"]
    try:
        store.log.truncate_fragment()
        with transaction(store.conn) as conn:
            found = conn.execute(
                "SELECT id, dataset_id FROM versions WHERE log_seq = ?", (seq,)
            ).fetchone()
            if found is not None:
                conn.execute("DELETE FROM resources WHERE version_id = ?", (found[0],))
                conn.execute("DELETE FROM versions WHERE id = ?", (found[0],))
                conn.execute(
                    "DELETE FROM datasets WHERE id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM versions WHERE dataset_id = ?)",
                    (found[1], found[1]),
                )
            conn.execute("DELETE FROM log WHERE seq = ? AND appended = 0", (seq,))
    except (OSError, sqlite3.Error):
        pass


def recover_store(store: Store) -> int:
    """`recover` under the publish lock, for the CLI and the server at start."""
    with store.lock:
        recovered = recover(store.conn, store.log)
    adopt(store.conn)  # a store made before agency titles were logged: once
    return recovered


def _same_content(
    latest: Version | None, descriptor_sha: str, entries: list[ResourceEntry]
) -> bool:
    if latest is None or latest.descriptor_sha256 != descriptor_sha:
        return False
    return [(r.name, r.sha256) for r in latest.resources] == [(r.name, r.sha256) for r in entries]


def _dataset_id(conn: sqlite3.Connection, agency_slug: str, dataset: str) -> int:
    row = conn.execute("SELECT id FROM agencies WHERE slug = ?", (agency_slug,)).fetchone()
    if row is None:
        raise NotFound("agency.not_found", agency=agency_slug)
    agency_id = int(row[0])
    found = conn.execute(
        "SELECT id FROM datasets WHERE agency_id = ? AND slug = ?", (agency_id, dataset)
    ).fetchone()
    if found:
        return int(found[0])
    cursor = conn.execute(
        "INSERT INTO datasets (agency_id, slug, created_at) VALUES (?, ?, ?)",
        (agency_id, dataset, now()),
    )
    return int(cursor.lastrowid or 0)


def build_manifest(
    agency_slug: str,
    dataset: str,
    number: int,
    title: str,
    created: str,
    hashes: tuple[str, str],
    entries: list[ResourceEntry],
    attachments: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest of a version: what its log entry's `manifest` hash covers. A sealed
    release builds it when it is scheduled, so its sha256 is the public commitment."""
    descriptor_sha, report_sha = hashes
    manifest: dict[str, Any] = {
        "agency": agency_slug,
        "dataset": dataset,
        "version": number,
        "title": title,
        "created_at": created,
        "descriptor": descriptor_sha,
        "report": report_sha,
        "resources": [
            {
                "name": r.name,
                "path": r.path,
                "sha256": r.sha256,
                "bytes": r.bytes,
                "rows": r.rows,
                "mediatype": r.mediatype,
            }
            for r in entries
        ],
    }
    if attachments:
        manifest["attachments"] = dict(sorted(attachments.items()))
    return manifest


def next_number(conn: sqlite3.Connection, agency_slug: str, dataset: str) -> int:
    latest = catalog.version(conn, agency_slug, dataset)
    return (latest.number if latest else 0) + 1


def _insert_version(
    store: Store,
    agency_slug: str,
    dataset: str,
    title: str,
    hashes: tuple[str, str],
    entries: list[ResourceEntry],
    attachments: dict[str, str] | None = None,
    signed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    number = next_number(store.conn, agency_slug, dataset)
    manifest = build_manifest(
        agency_slug, dataset, number, title, now(), hashes, entries, attachments
    )
    manifest_sha = store.objects.put_bytes(to_json_bytes(manifest))
    return insert_manifest(store, manifest, manifest_sha, signed)


def insert_manifest(
    store: Store,
    manifest: dict[str, Any],
    manifest_sha: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The version's rows and its log row, inside the caller's transaction: its sealed
    entry (the line `log.jsonl` gets after the commit)."""
    conn = store.conn
    agency_slug, dataset, number = manifest["agency"], manifest["dataset"], manifest["version"]
    dataset_id = _dataset_id(conn, agency_slug, dataset)
    seq, prev = next_link(conn)
    entry = seal(
        {
            "seq": seq,
            "time": now(),
            "type": "publish",
            "agency": agency_slug,
            "dataset": dataset,
            "version": number,
            "manifest": manifest_sha,
            **(extra or {}),
        },
        prev,
    )
    cursor = conn.execute(
        "INSERT INTO versions (dataset_id, number, title, manifest_sha256, descriptor_sha256, "
        "report_sha256, created_at, log_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            dataset_id,
            number,
            manifest["title"],
            manifest_sha,
            manifest["descriptor"],
            manifest["report"],
            manifest["created_at"],
            seq,
        ),
    )
    conn.executemany(
        "INSERT INTO resources (version_id, position, name, path, sha256, bytes, rows, mediatype)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                cursor.lastrowid,
                i,
                r["name"],
                r["path"],
                r["sha256"],
                r["bytes"],
                r["rows"],
                r["mediatype"],
            )
            for i, r in enumerate(manifest["resources"])
        ],
    )
    conn.execute(
        "INSERT INTO log (seq, entry, hash, appended) VALUES (?, ?, ?, 0)",
        (seq, canonical(entry), entry["hash"]),
    )
    return entry


def put_parts(
    store: Store,
    descriptor: dict[str, Any],
    report: dict[str, Any],
    resources: list[NewResource],
    attachments: dict[str, Any] | None,
) -> tuple[list[ResourceEntry], tuple[str, str], dict[str, str]]:
    """Every part of a version into the object store (harmless if never committed: a draft
    keeps them by name until it is approved); their entries and hashes."""
    for resource in resources:
        check_name(resource.name, "resource")
    entries = [
        ResourceEntry(r.name, r.path, *store.objects.put_file(r.file), r.rows, r.mediatype)
        for r in resources
    ]
    hashes = (
        store.objects.put_bytes(to_json_bytes(descriptor)),
        store.objects.put_bytes(to_json_bytes(report)),
    )
    attached = {
        name: store.objects.put_bytes(to_json_bytes(document))
        for name, document in (attachments or {}).items()
    }
    return entries, hashes, attached


def commit_version(
    store: Store,
    agency_slug: str,
    dataset: str,
    title: str,
    descriptor: dict[str, Any],
    report: dict[str, Any],
    resources: list[NewResource],
    attachments: dict[str, Any] | None = None,
    *,
    checked_against: int = 0,
    recheck: Recheck | None = None,
    signed: dict[str, Any] | None = None,
) -> tuple[Version, bool]:
    """Store a new version; return it and whether it was identical to the latest one.

    `attachments` are JSON documents that belong to the version (the changes made on the
    way in, the explanations of revisions, ...): each is stored as an object and named in
    the manifest, so the log entry's hash covers it like the data. They were computed
    against version `checked_against` (0: none); if another publisher committed since,
    `recheck` recomputes them, under the lock, against the version that is latest now.
    `signed` (who prepared and who approved it, under four eyes) goes on the log entry.
    """
    check_name(dataset, "dataset")
    entries, hashes, attached = put_parts(store, descriptor, report, resources, attachments)
    conn = store.conn
    with store.lock:
        recover(conn, store.log)
        planned = sealed(conn, agency_slug, dataset)
        if planned is not None:  # the sealed manifest names the version that follows latest
            raise BadParameter(
                "release.dataset_sealed",
                field="dataset",
                agency=agency_slug,
                dataset=dataset,
                planned=planned,
            )
        latest = catalog.version(conn, agency_slug, dataset)
        if _same_content(latest, hashes[0], entries):
            assert latest is not None
            return latest, True
        if recheck is not None and (latest.number if latest else 0) != checked_against:
            attached = {
                name: store.objects.put_bytes(to_json_bytes(document))
                for name, document in recheck(latest).items()
            }
        ensure_room(store.home)  # the log line after the commit must not meet a full disk
        with transaction(conn):
            entry = _insert_version(
                store, agency_slug, dataset, title, hashes, entries, attached, signed
            )
        try:
            store.log.append(entry)
        except OSError as error:
            if not is_disk_full(error):
                raise  # a crash-like failure: `recover` finishes the line at the next start
            _withdraw(store, entry)
            raise
        conn.execute("UPDATE log SET appended = 1 WHERE seq = ?", (entry["seq"],))
    version = catalog.version(conn, agency_slug, dataset, entry["version"])
    assert version is not None
    return version, False
