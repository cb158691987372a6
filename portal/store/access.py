"""Pre-release access: who read a draft or a sealed release before the public could.

The UK Code of Practice for Statistics publishes the list of everyone given access to
statistics before their release; here each read of a draft or a sealed release (the
preview, `glasswall draft show`, the approver's review) is recorded (name, role, time,
how) and the list is put on the public log with the release.
"""

from __future__ import annotations

import sqlite3

from portal.store.agencies import now
from portal.store.members import Signer
from portal.store.transactions import transaction


def record(
    conn: sqlite3.Connection,
    signer: Signer,
    what: str,
    *,
    release_id: int | None = None,
    draft_id: int | None = None,
) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO prerelease_access (release_id, draft_id, name, role, at, what) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (release_id, draft_id, signer.name, signer.role, now(), what),
        )


def access_list(
    conn: sqlite3.Connection, release_id: int, draft_id: int | None
) -> list[dict[str, str]]:
    """Every recorded read of the release, and of the draft it was approved from."""
    rows = conn.execute(
        "SELECT name, role, at, what FROM prerelease_access "
        "WHERE release_id = ? OR (? IS NOT NULL AND draft_id = ?) ORDER BY at, id",
        (release_id, draft_id, draft_id),
    ).fetchall()
    return [{"name": r[0], "role": r[1], "at": r[2], "what": r[3]} for r in rows]
