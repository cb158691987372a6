"""Feedback in the catalog database: one committed transaction per change.

The catalog runs with `synchronous=FULL`, so an item the citizen was told is "received"
survives a killed process or a power cut. Contacts live in their own table, read by
nothing that answers the public.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from statistics import median

from portal.errors import FeedbackRefused, GlassWallError, NotFound
from portal.public_text import clean
from portal.store import catalog
from portal.store.agencies import now
from portal.store.feedback_records import OUTCOMES, FeedbackItem, NewFeedback
from portal.store.transactions import transaction

_SELECT = """
  SELECT f.id, a.slug, f.dataset, f.kind, f.message, f.name, f.created_at, f.state,
         f.version, f.resource, f.row, f.field, f.value, f.project, f.answer, f.outcome,
         f.outcome_version, f.answered_at, f.hidden_reason
  FROM feedback f JOIN agencies a ON a.id = f.agency_id
"""


def _items(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> list[FeedbackItem]:
    rows = conn.execute(_SELECT + where + " ORDER BY f.id", params).fetchall()
    return [FeedbackItem(*tuple(row)) for row in rows]


def submit(conn: sqlite3.Connection, item: NewFeedback) -> int:
    """Store a checked item (and its contact, apart); return its id once committed."""
    agency, _, dataset = item.dataset.partition("/")
    row = conn.execute("SELECT id FROM agencies WHERE slug = ?", (agency,)).fetchone()
    if row is None:
        raise NotFound("feedback.no_dataset", dataset=item.dataset)
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO feedback (agency_id, dataset, kind, message, name, created_at, version,"
            " resource, row, field, value, project) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row[0], dataset, item.kind, item.message, item.name, now(), item.version,
             item.resource, item.row, item.field, item.value, item.project),
        )  # fmt: skip
        new_id = int(cursor.lastrowid or 0)
        if item.contact:
            conn.execute(
                "INSERT INTO feedback_contacts (feedback_id, contact) VALUES (?, ?)",
                (new_id, item.contact),
            )
    return new_id


def public_items(
    conn: sqlite3.Connection, agency: str, dataset: str | None = None
) -> list[FeedbackItem]:
    if dataset is None:
        return _items(conn, "WHERE a.slug = ? AND f.state = 'public'", (agency,))
    return _items(
        conn, "WHERE a.slug = ? AND f.dataset = ? AND f.state = 'public'", (agency, dataset)
    )


def waiting_count(conn: sqlite3.Connection, agency: str, dataset: str | None = None) -> int:
    query = (
        "SELECT COUNT(*) FROM feedback f JOIN agencies a ON a.id = f.agency_id "
        "WHERE a.slug = ? AND f.state = 'waiting' AND (? IS NULL OR f.dataset = ?)"
    )
    return int(conn.execute(query, (agency, dataset, dataset)).fetchone()[0])


def queue(conn: sqlite3.Connection, agency: str) -> list[FeedbackItem]:
    """The agency's open items: waiting for approval, or public and not yet answered."""
    where = (
        "WHERE a.slug = ? AND (f.state = 'waiting' OR (f.state = 'public' AND f.answer IS NULL))"
    )
    return _items(conn, where, (agency,))


def item(conn: sqlite3.Connection, agency: str, item_id: int) -> FeedbackItem:
    found = _items(conn, "WHERE a.slug = ? AND f.id = ?", (agency, item_id))
    if not found:
        raise NotFound("feedback.no_item", id=item_id)
    return found[0]


def contact(conn: sqlite3.Connection, agency: str, item_id: int) -> str | None:
    """The contact a citizen left, for the agency that owns the item and no one else."""
    item(conn, agency, item_id)
    row = conn.execute(
        "SELECT contact FROM feedback_contacts WHERE feedback_id = ?", (item_id,)
    ).fetchone()
    return str(row[0]) if row else None


def _update(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> None:
    with transaction(conn):
        conn.execute(sql, params)


def approve(conn: sqlite3.Connection, agency: str, item_id: int) -> None:
    item(conn, agency, item_id)
    _update(
        conn,
        "UPDATE feedback SET state = 'public', moderated_at = ? WHERE id = ?",
        (now(), item_id),
    )


def hide(conn: sqlite3.Connection, agency: str, item_id: int, reason: str) -> None:
    """Abuse stays in the record with its reason; it is only never shown."""
    item(conn, agency, item_id)
    if not reason.strip():
        raise GlassWallError("feedback.reason_required", id=item_id)
    said = clean(reason, "reason", multiline=True, error=FeedbackRefused, item=item_id)
    _update(
        conn,
        "UPDATE feedback SET state = 'hidden', hidden_reason = ?, moderated_at = ? WHERE id = ?",
        (said, now(), item_id),
    )


def answer(
    conn: sqlite3.Connection,
    agency: str,
    item_id: int,
    text: str,
    outcome: str | None = None,
    outcome_version: int | None = None,
) -> None:
    """A public answer (which also approves the item); a flag can be closed with an outcome."""
    found = item(conn, agency, item_id)
    if not text.strip():
        raise GlassWallError("feedback.answer_required", id=item_id)
    said = clean(text, "answer", multiline=True, error=FeedbackRefused, item=item_id)
    if outcome is not None and outcome not in OUTCOMES:
        raise GlassWallError("feedback.bad_outcome", outcome=outcome)
    if outcome == "corrected":
        number = outcome_version or 0
        if catalog.version(conn, agency, found.dataset, number) is None or number <= (
            found.version or 0
        ):
            raise GlassWallError("feedback.bad_correction", version=number, dataset=found.dataset)
    _update(
        conn,
        "UPDATE feedback SET state = 'public', answer = ?, outcome = ?, outcome_version = ?,"
        " answered_at = ?, moderated_at = COALESCE(moderated_at, ?) WHERE id = ?",
        (
            said,
            outcome,
            outcome_version if outcome == "corrected" else None,
            now(),
            now(),
            item_id,
        ),
    )


def responsiveness(conn: sqlite3.Connection) -> dict[str, tuple[int, float | None, float | None]]:
    """Per agency: items received (not hidden), share answered, median days to answer."""
    rows = conn.execute(
        "SELECT a.slug, f.created_at, f.answered_at FROM feedback f "
        "JOIN agencies a ON a.id = f.agency_id WHERE f.state != 'hidden'"
    ).fetchall()
    by_agency: dict[str, list[tuple[str, str | None]]] = {}
    for slug, created, answered in rows:
        by_agency.setdefault(slug, []).append((created, answered))
    result = {}
    for slug, items in by_agency.items():
        days = [_days(c, a) for c, a in items if a]
        share = len(days) / len(items) if items else None
        result[slug] = (len(items), share, median(days) if days else None)
    return result


def _days(created: str, answered: str) -> float:
    delta = datetime.fromisoformat(answered) - datetime.fromisoformat(created)
    return delta.total_seconds() / 86400
