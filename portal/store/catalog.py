"""The SQLite index: agencies, tokens (hashes only), datasets, versions, resources, log rows.

WAL mode lets readers (web, api) read while one publisher writes; `synchronous=FULL`
makes a committed version survive a power cut.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from portal.errors import StoreProblem
from portal.store.migrations import prepare
from portal.store.records import Agency, DatasetSummary, PublishedResource, ResourceEntry, Version


def connect(path: Path, *, readonly: bool = False, upgrading: bool = False) -> sqlite3.Connection:
    """A connection to the catalog; a writer creates a new one or checks an old one's schema.

    `upgrading` is for `portal.store.upgrade` alone: it opens a store whose schema is behind.
    """
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            if not upgrading:
                prepare(conn, path.parent)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as error:
        conn.close()
        if isinstance(error, sqlite3.OperationalError):  # locked, disk I/O: not the file's fault
            raise
        raise StoreProblem("store.catalog_unreadable", path=str(path), reason=str(error)) from None
    conn.row_factory = sqlite3.Row
    return conn


def agencies(conn: sqlite3.Connection) -> list[Agency]:
    rows = conn.execute("SELECT slug, title_fa, title_en, created_at FROM agencies ORDER BY slug")
    return [Agency(*row) for row in rows]


def agency(conn: sqlite3.Connection, slug: str) -> Agency | None:
    row = conn.execute(
        "SELECT slug, title_fa, title_en, created_at FROM agencies WHERE slug = ?", (slug,)
    ).fetchone()
    return Agency(*row) if row else None


def datasets(conn: sqlite3.Connection, agency_slug: str | None = None) -> list[DatasetSummary]:
    query = """
      SELECT a.slug, d.slug, v.title, v.number, v.created_at,
        (SELECT created_at FROM versions WHERE dataset_id = d.id AND number = 1)
      FROM datasets d JOIN agencies a ON a.id = d.agency_id
      JOIN versions v ON v.dataset_id = d.id
      WHERE v.number = (SELECT MAX(number) FROM versions WHERE dataset_id = d.id)
        AND (? IS NULL OR a.slug = ?)
      ORDER BY a.slug, d.slug"""
    return [DatasetSummary(*row) for row in conn.execute(query, (agency_slug, agency_slug))]


_VERSION_SELECT = """
  SELECT v.id, a.slug, d.slug, v.number, v.manifest_sha256, v.descriptor_sha256,
         v.report_sha256, v.created_at, v.log_seq, v.title
  FROM versions v JOIN datasets d ON d.id = v.dataset_id JOIN agencies a ON a.id = d.agency_id
"""


def _versions(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[Version]:
    """Versions with their resources: one more query for all of them, not one per version."""
    ids = json.dumps([row[0] for row in rows])
    resources: dict[int, list[ResourceEntry]] = {row[0]: [] for row in rows}
    for r in conn.execute(
        "SELECT version_id, name, path, sha256, bytes, rows, mediatype FROM resources "
        "WHERE version_id IN (SELECT value FROM json_each(?)) ORDER BY version_id, position",
        (ids,),
    ):
        resources[r[0]].append(ResourceEntry(*tuple(r)[1:]))
    return [
        Version(
            agency=row[1],
            dataset=row[2],
            number=row[3],
            manifest_sha256=row[4],
            descriptor_sha256=row[5],
            report_sha256=row[6],
            created_at=row[7],
            log_seq=row[8],
            title=row[9],
            resources=tuple(resources[row[0]]),
        )
        for row in rows
    ]


def version(
    conn: sqlite3.Connection, agency_slug: str, dataset: str, number: int | None = None
) -> Version | None:
    """A version, or the latest when `number` is None."""
    if number is None:
        clause = "WHERE a.slug = ? AND d.slug = ? ORDER BY v.number DESC LIMIT 1"
        params: tuple[object, ...] = (agency_slug, dataset)
    else:
        clause = "WHERE a.slug = ? AND d.slug = ? AND v.number = ?"
        params = (agency_slug, dataset, number)
    row = conn.execute(_VERSION_SELECT + clause, params).fetchone()
    return _versions(conn, [row])[0] if row else None


def versions(conn: sqlite3.Connection, agency_slug: str, dataset: str) -> list[Version]:
    rows = conn.execute(
        _VERSION_SELECT + "WHERE a.slug = ? AND d.slug = ? ORDER BY v.number",
        (agency_slug, dataset),
    ).fetchall()
    return _versions(conn, rows)


def all_versions(conn: sqlite3.Connection) -> list[Version]:
    rows = conn.execute(_VERSION_SELECT + "ORDER BY v.log_seq").fetchall()
    return _versions(conn, rows)


_LATEST = "v.number = (SELECT MAX(number) FROM versions WHERE dataset_id = d.id)"


def latest_versions(conn: sqlite3.Connection) -> list[Version]:
    """Every dataset's latest version, by agency and dataset (two queries in all)."""
    rows = conn.execute(_VERSION_SELECT + f"WHERE {_LATEST} ORDER BY a.slug, d.slug").fetchall()
    return _versions(conn, rows)


def latest_resources(conn: sqlite3.Connection, name: str) -> list[PublishedResource]:
    """The resource `name` of every dataset's latest version that has one, in one query."""
    rows = conn.execute(
        "SELECT a.slug, d.slug, v.number, r.name, r.path, r.sha256, r.bytes, r.rows, r.mediatype"
        " FROM datasets d JOIN agencies a ON a.id = d.agency_id"
        " JOIN versions v ON v.dataset_id = d.id JOIN resources r ON r.version_id = v.id"
        f" WHERE {_LATEST} AND r.name = ?"
        " ORDER BY a.slug, d.slug, r.position",
        (name,),
    )
    found: dict[tuple[str, str], PublishedResource] = {}
    for row in rows:  # a name twice in one version: the first, as `Version.resource` says
        key = (row[0], row[1])
        if key not in found:
            found[key] = PublishedResource(row[0], row[1], row[2], ResourceEntry(*tuple(row)[3:]))
    return list(found.values())


def log_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT seq, entry, hash, appended FROM log ORDER BY seq").fetchall()


def log_entries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every entry of the catalog's copy of the public log, decoded, in order (an entry
    that is not a JSON object is left out)."""
    found = []
    for (raw,) in conn.execute("SELECT entry FROM log ORDER BY seq"):
        entry = _decoded(raw)
        if entry is not None:
            found.append(entry)
    return found


def log_entry(conn: sqlite3.Connection, seq: int) -> dict[str, Any]:
    """Log entry `seq`, decoded; empty when there is none."""
    row = conn.execute("SELECT entry FROM log WHERE seq = ?", (seq,)).fetchone()
    return (_decoded(row[0]) if row else None) or {}


def _decoded(raw: str) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def log_hash(conn: sqlite3.Connection, seq: int) -> str | None:
    """The hash of log entry `seq`: what a version's citation can be checked against."""
    row = conn.execute("SELECT hash FROM log WHERE seq = ?", (seq,)).fetchone()
    return str(row[0]) if row else None


def publishing_resource(conn: sqlite3.Connection, sha256: str) -> tuple[str, str] | None:
    """The latest version's descriptor that publishes the object `sha256`, and the name
    of the resource it is there: where the object's Table Schema is."""
    row = conn.execute(
        "SELECT v.descriptor_sha256, r.name FROM resources r JOIN versions v ON v.id = r.version_id"
        " WHERE r.sha256 = ? ORDER BY v.id DESC LIMIT 1",
        (sha256,),
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None
