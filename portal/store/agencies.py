"""Agencies and their publishing tokens. Tokens are shown once and stored only as hashes.

A token carries 256 random bits, so a plain sha256 is enough: there is nothing to
brute-force that a slow password hash would protect.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from datetime import UTC, datetime

from portal.errors import Forbidden, GlassWallError, NotFound, Unauthorized
from portal.public_text import clean
from portal.store.agency_log import finish, log_agency
from portal.store.records import Agency
from portal.store.transactions import transaction

AGENCY_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
TOKEN_PREFIX = "gw_"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _agency_id(conn: sqlite3.Connection, slug: str) -> int:
    row = conn.execute("SELECT id FROM agencies WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        raise NotFound("agency.not_found", agency=slug)
    return int(row[0])


def add_agency(conn: sqlite3.Connection, slug: str, title_fa: str, title_en: str) -> str:
    """Create an agency and its first token, together or not at all; return the token."""
    with transaction(conn):
        insert_agency(conn, slug, title_fa, title_en)
        token = create_token(conn, slug)
    finish(conn)  # the agency's titles, logged with it, written to log.jsonl
    return token


def add_mirror(
    conn: sqlite3.Connection, slug: str, title_fa: str, title_en: str, source: str
) -> None:
    """An agency whose datasets come only from another portal: it gets no token."""
    with transaction(conn):
        insert_agency(conn, slug, title_fa, title_en)
        conn.execute(
            "INSERT INTO mirrors (agency_id, source, created_at) VALUES (?, ?, ?)",
            (_agency_id(conn, slug), source, now()),
        )
    finish(conn)


def mirror_source(conn: sqlite3.Connection, slug: str) -> str | None:
    row = conn.execute(
        "SELECT m.source FROM mirrors m JOIN agencies a ON a.id = m.agency_id WHERE a.slug = ?",
        (slug,),
    ).fetchone()
    return str(row[0]) if row else None


def insert_agency(conn: sqlite3.Connection, slug: str, title_fa: str, title_en: str) -> None:
    """The agency row and its log entry (inside the caller's transaction), after checking
    its slug and titles."""
    if not AGENCY_SLUG.match(slug):
        raise GlassWallError("agency.bad_slug", agency=slug)
    if not title_fa.strip() or not title_en.strip():
        raise GlassWallError("agency.titles_required", agency=slug)
    # Agency titles are shown on every page: the one cleaner of public text.
    title_fa = clean(title_fa, "title_fa", persian=True, error=GlassWallError, agency=slug)
    title_en = clean(title_en, "title_en", error=GlassWallError, agency=slug)
    try:
        conn.execute(
            "INSERT INTO agencies (slug, title_fa, title_en, created_at) VALUES (?, ?, ?, ?)",
            (slug, title_fa, title_en, now()),
        )
    except sqlite3.IntegrityError:
        raise GlassWallError("agency.exists", agency=slug) from None
    log_agency(conn, slug)  # titles are public facts: sealed onto the log with the row


def create_token(conn: sqlite3.Connection, slug: str) -> str:
    agency_id = _agency_id(conn, slug)
    source = mirror_source(conn, slug)
    if source is not None:
        raise Forbidden("agency.mirror_no_tokens", agency=slug, source=source)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO tokens (agency_id, token_hash, created_at) VALUES (?, ?, ?)",
        (agency_id, token_hash(token), now()),
    )
    return token


def list_tokens(conn: sqlite3.Connection, slug: str) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT id, created_at, revoked_at FROM tokens WHERE agency_id = ? ORDER BY id",
        (_agency_id(conn, slug),),
    ).fetchall()


def revoke_token(conn: sqlite3.Connection, token_or_id: str) -> int:
    """Revoke by the token itself or by its numeric id; return the id."""
    if token_or_id.isdigit():
        row = conn.execute("SELECT id FROM tokens WHERE id = ?", (int(token_or_id),)).fetchone()
    else:
        row = conn.execute(
            "SELECT id FROM tokens WHERE token_hash = ?", (token_hash(token_or_id),)
        ).fetchone()
    if row is None:
        raise NotFound("token.not_found")
    conn.execute(
        "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now(), row[0])
    )
    return int(row[0])


def authenticate(conn: sqlite3.Connection, token: str | None) -> Agency:
    """The agency a live token (the agency's, or one of its members') belongs to;
    Unauthorized otherwise."""
    if not token:
        raise Unauthorized("token.missing")
    row = conn.execute(
        "SELECT a.slug, a.title_fa, a.title_en, a.created_at, t.revoked_at "
        "FROM tokens t JOIN agencies a ON a.id = t.agency_id WHERE t.token_hash = ?",
        (token_hash(token),),
    ).fetchone()
    if row is None:  # a member's own token (portal.store.members) speaks for the agency too
        row = conn.execute(
            "SELECT a.slug, a.title_fa, a.title_en, a.created_at, m.removed_at "
            "FROM members m JOIN agencies a ON a.id = m.agency_id WHERE m.token_hash = ?",
            (token_hash(token),),
        ).fetchone()
    if row is None:
        raise Unauthorized("token.unknown")
    if row[4] is not None:
        raise Unauthorized("token.revoked")
    return Agency(*tuple(row)[:4])
