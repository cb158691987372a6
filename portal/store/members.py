"""People inside an agency: members with a role, their tokens, and the four-eyes policy.

An agency's own tokens (`glasswall agency add`, `token create`) act as admin, so a portal
that never names members works as before. Who signs a version (who prepared it, who
approved it) is a `Signer`: the name and role the agency registered, and a key that tells
two people apart (a member, or one of the agency's tokens).
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from portal.errors import GlassWallError, NotFound, Unauthorized
from portal.public_text import clean
from portal.store.agencies import TOKEN_PREFIX, _agency_id, mirror_source, now, token_hash
from portal.store.transactions import transaction

ROLES = ("preparer", "approver", "admin")
APPROVING = ("approver", "admin")


@dataclass(frozen=True)
class Signer:
    """Who holds a token: the agency, the person's registered name and role, and a key."""

    agency: str
    name: str
    role: str
    key: str  # "member:ID" or "token:ID": approving one's own draft compares these

    def public(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


@dataclass(frozen=True)
class Member:
    id: int
    agency: str
    name: str
    role: str
    created_at: str
    removed_at: str | None


def add_member(conn: sqlite3.Connection, slug: str, name: str, role: str) -> str:
    """Register a person with a role; return their own token (shown once, stored hashed)."""
    if role not in ROLES:
        raise GlassWallError("member.bad_role", role=role, roles=", ".join(ROLES))
    if mirror_source(conn, slug) is not None:
        raise GlassWallError("member.mirror", agency=slug)
    name = clean(name, "name", persian=True, error=GlassWallError, agency=slug)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(conn):
        agency_id = _agency_id(conn, slug)
        taken = conn.execute(
            "SELECT 1 FROM members WHERE agency_id = ? AND name = ? AND removed_at IS NULL",
            (agency_id, name),
        ).fetchone()
        if taken:
            raise GlassWallError("member.exists", agency=slug, name=name)
        conn.execute(
            "INSERT INTO members (agency_id, name, role, token_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (agency_id, name, role, token_hash(token), now()),
        )
    return token


def list_members(conn: sqlite3.Connection, slug: str) -> list[Member]:
    rows = conn.execute(
        "SELECT id, name, role, created_at, removed_at FROM members WHERE agency_id = ? "
        "ORDER BY id",
        (_agency_id(conn, slug),),
    ).fetchall()
    return [Member(int(r[0]), slug, str(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows]


def remove_member(conn: sqlite3.Connection, slug: str, name_or_id: str) -> Member:
    """Remove a member (by name or id): their token stops working; their signatures stay."""
    with transaction(conn):
        agency_id = _agency_id(conn, slug)
        row = conn.execute(
            "SELECT id FROM members WHERE agency_id = ? AND removed_at IS NULL "
            "AND (name = ? OR CAST(id AS TEXT) = ?)",
            (agency_id, name_or_id, name_or_id),
        ).fetchone()
        if row is None:
            raise NotFound("member.not_found", agency=slug, member=name_or_id)
        conn.execute("UPDATE members SET removed_at = ? WHERE id = ?", (now(), row[0]))
    return next(m for m in list_members(conn, slug) if m.id == int(row[0]))


def set_four_eyes(conn: sqlite3.Connection, slug: str, on: bool) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO agency_policies (agency_id, four_eyes, changed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (agency_id) DO UPDATE SET four_eyes = excluded.four_eyes, "
            "changed_at = excluded.changed_at",
            (_agency_id(conn, slug), int(on), now()),
        )


def four_eyes(conn: sqlite3.Connection, slug: str) -> bool:
    row = conn.execute(
        "SELECT p.four_eyes FROM agency_policies p JOIN agencies a ON a.id = p.agency_id "
        "WHERE a.slug = ?",
        (slug,),
    ).fetchone()
    return bool(row and row[0])


def identify(conn: sqlite3.Connection, token: str | None) -> Signer:
    """The person behind a live token: a member, or one of the agency's tokens (admin)."""
    if not token:
        raise Unauthorized("token.missing")
    hashed = token_hash(token)
    row = conn.execute(
        "SELECT a.slug, t.id, t.revoked_at FROM tokens t JOIN agencies a "
        "ON a.id = t.agency_id WHERE t.token_hash = ?",
        (hashed,),
    ).fetchone()
    if row is not None:
        if row[2] is not None:
            raise Unauthorized("token.revoked")
        return Signer(str(row[0]), f"{row[0]} token #{row[1]}", "admin", f"token:{row[1]}")
    found = conn.execute(
        "SELECT a.slug, m.id, m.name, m.role, m.removed_at FROM members m JOIN agencies a "
        "ON a.id = m.agency_id WHERE m.token_hash = ?",
        (hashed,),
    ).fetchone()
    if found is None:
        raise Unauthorized("token.unknown")
    if found[4] is not None:
        raise Unauthorized("token.revoked")
    return Signer(str(found[0]), str(found[2]), str(found[3]), f"member:{found[1]}")
