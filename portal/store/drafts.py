"""Drafts: validated versions kept aside until a second member approves them (four eyes).

A draft is one JSON document in the object store naming every part of the version by
sha256 (descriptor, report, resources, attachments) and the version it was checked
against; the draft's row names that document's sha256. Approval is of a sha256: the
approver's review and the publication read the same bytes, and a document or object that
no longer hashes to its name is refused. Nothing of a draft is public: the public pages
read versions, and a draft is not one until it is approved.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portal.errors import Forbidden, GlassWallError, NotFound
from portal.store.agencies import _agency_id, now
from portal.store.members import Signer
from portal.store.records import ResourceEntry
from portal.store.transactions import transaction
from portal.store.withheld import parts_of, withhold

if TYPE_CHECKING:
    from portal.store import Store

WAITING = "waiting"


@dataclass(frozen=True)
class Draft:
    id: int
    agency: str
    dataset: str
    sha256: str
    prepared_by: str  # the preparer's key (member:ID or token:ID)
    prepared_name: str
    prepared_role: str
    created_at: str
    status: str
    reason: str | None

    def preparer(self) -> dict[str, str]:
        return {"name": self.prepared_name, "role": self.prepared_role}


@dataclass(frozen=True)
class DraftParts:
    """What a draft publishes, read back from its verified document."""

    title: str
    descriptor: dict[str, Any]
    report: dict[str, Any]
    resources: list[ResourceEntry]
    attachments: dict[str, Any]
    checked_against: int
    attachment_shas: dict[str, str]
    descriptor_sha: str
    report_sha: str
    release_at: str | None  # sealed for this hour once approved


_COLUMNS = (
    "d.id, a.slug, d.dataset, d.sha256, d.prepared_by, d.prepared_name, d.prepared_role, "
    "d.created_at, d.status, d.reason"
)


def _draft(row: sqlite3.Row | tuple[Any, ...]) -> Draft:
    return Draft(*tuple(row))


def keep(store: Store, signer: Signer, dataset: str, document: dict[str, Any]) -> Draft:
    """Store the draft document and make it the dataset's waiting draft; an earlier waiting
    draft of the same dataset is replaced (an approval of its sha256 is then refused)."""
    data = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    sha = store.objects.put_bytes(data)
    with transaction(store.conn) as conn:
        agency_id = _agency_id(conn, signer.agency)
        conn.execute(
            "UPDATE drafts SET status = 'replaced', decided_at = ? "
            "WHERE agency_id = ? AND dataset = ? AND status = ?",
            (now(), agency_id, dataset, WAITING),
        )
        cursor = conn.execute(
            "INSERT INTO drafts (agency_id, dataset, sha256, prepared_by, prepared_name, "
            "prepared_role, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (agency_id, dataset, sha, signer.key, signer.name, signer.role, now(), WAITING),
        )
        draft_id = int(cursor.lastrowid or 0)
        withhold(conn, [sha, *parts_of(document)], draft_id=draft_id)
    found = by_id(store.conn, draft_id)
    assert found is not None
    return found


def by_id(conn: sqlite3.Connection, draft_id: int) -> Draft | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM drafts d JOIN agencies a ON a.id = d.agency_id WHERE d.id = ?",
        (draft_id,),
    ).fetchone()
    return _draft(row) if row else None


def waiting(conn: sqlite3.Connection, agency: str, dataset: str) -> Draft:
    """The dataset's draft waiting for approval; NotFound when there is none."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM drafts d JOIN agencies a ON a.id = d.agency_id "
        "WHERE a.slug = ? AND d.dataset = ? AND d.status = ? ORDER BY d.id DESC LIMIT 1",
        (agency, dataset, WAITING),
    ).fetchone()
    if row is None:
        raise NotFound("draft.none_waiting", agency=agency, dataset=dataset)
    return _draft(row)


def all_waiting(conn: sqlite3.Connection, agency: str) -> list[Draft]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM drafts d JOIN agencies a ON a.id = d.agency_id "
        "WHERE a.slug = ? AND d.status = ? ORDER BY d.id",
        (agency, WAITING),
    ).fetchall()
    return [_draft(row) for row in rows]


def _verified(store: Store, sha: str, where: str) -> bytes:
    try:
        data = store.objects.read_bytes(sha)
    except OSError:
        raise GlassWallError("draft.changed", where=where, sha256=sha) from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise GlassWallError("draft.changed", where=where, sha256=sha)
    return data


def parts(store: Store, draft: Draft) -> DraftParts:
    """The draft's document and every object it names, each checked against its sha256."""
    where = f"{draft.agency}/{draft.dataset}"
    document = json.loads(_verified(store, draft.sha256, where))
    resources = [ResourceEntry(**entry) for entry in document["resources"]]
    for entry in resources:
        _verified(store, entry.sha256, where)
    attachments = {
        name: json.loads(_verified(store, sha, where))
        for name, sha in document.get("attachments", {}).items()
    }
    return DraftParts(
        str(document["title"]),
        json.loads(_verified(store, document["descriptor"], where)),
        json.loads(_verified(store, document["report"], where)),
        resources,
        attachments,
        int(document["checked_against"]),
        dict(document.get("attachments", {})),
        str(document["descriptor"]),
        str(document["report"]),
        document.get("release_at"),
    )


def decide(
    conn: sqlite3.Connection, draft: Draft, status: str, signer: Signer, reason: str | None
) -> None:
    """Mark the waiting draft approved or rejected, once: a second decision is refused."""
    with transaction(conn):
        changed = conn.execute(
            "UPDATE drafts SET status = ?, decided_by = ?, decided_name = ?, decided_role = ?, "
            "decided_at = ?, reason = ? WHERE id = ? AND status = ?",
            (status, signer.key, signer.name, signer.role, now(), reason, draft.id, WAITING),
        ).rowcount
    if changed != 1:
        raise Forbidden("draft.already_decided", agency=draft.agency, dataset=draft.dataset)


def reopen(conn: sqlite3.Connection, draft: Draft) -> None:
    """An approval whose publication failed leaves the draft waiting, as it was."""
    with transaction(conn):
        conn.execute(
            "UPDATE drafts SET status = ?, decided_by = NULL, decided_name = NULL, "
            "decided_role = NULL, decided_at = NULL WHERE id = ?",
            (WAITING, draft.id),
        )


def published(conn: sqlite3.Connection, draft: Draft) -> None:
    """An approved draft's objects are public now (or held by its sealed release)."""
    with transaction(conn):
        conn.execute("DELETE FROM withheld_objects WHERE draft_id = ?", (draft.id,))
