"""The SQLite index: agencies, tokens (hashes only), datasets, versions, resources, log rows.

WAL mode lets readers (web, api) read while one publisher writes; `synchronous=FULL`
makes a committed version survive a power cut.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from portal.errors import StoreProblem
from portal.store.migrations import prepare
from portal.store.records import Agency, DatasetSummary, ResourceEntry, Version


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


def _version(conn: sqlite3.Connection, row: sqlite3.Row) -> Version:
    resources = tuple(
        ResourceEntry(*r)
        for r in conn.execute(
            "SELECT name, path, sha256, bytes, rows, mediatype FROM resources "
            "WHERE version_id = ? ORDER BY position",
            (row[0],),
        )
    )
    return Version(
        agency=row[1],
        dataset=row[2],
        number=row[3],
        manifest_sha256=row[4],
        descriptor_sha256=row[5],
        report_sha256=row[6],
        created_at=row[7],
        log_seq=row[8],
        title=row[9],
        resources=resources,
    )


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
    return _version(conn, row) if row else None


def versions(conn: sqlite3.Connection, agency_slug: str, dataset: str) -> list[Version]:
    rows = conn.execute(
        _VERSION_SELECT + "WHERE a.slug = ? AND d.slug = ? ORDER BY v.number",
        (agency_slug, dataset),
    ).fetchall()
    return [_version(conn, row) for row in rows]


def all_versions(conn: sqlite3.Connection) -> list[Version]:
    rows = conn.execute(_VERSION_SELECT + "ORDER BY v.log_seq").fetchall()
    return [_version(conn, row) for row in rows]


def log_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT seq, entry, hash, appended FROM log ORDER BY seq").fetchall()


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
