"""What is stored but not yet public: the objects of drafts and of sealed releases.

Every part of a draft or a sealed release sits in the object store under its sha256 (so a
release publishes exactly what was committed), and `/objects/{sha256}` serves objects by
name. A sealed release's commitment is public from the moment it is scheduled, and its
manifest names every data object: so each such object is listed here and withheld until
the release, unless a published version already holds the same bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.store.public_log import generation

if TYPE_CHECKING:
    from portal.store import Store


def withhold(
    conn: sqlite3.Connection,
    shas: Iterable[str],
    *,
    release_id: int | None = None,
    draft_id: int | None = None,
) -> None:
    """Inside the caller's transaction."""
    conn.executemany(
        "INSERT INTO withheld_objects (sha256, release_id, draft_id) VALUES (?, ?, ?)",
        [(sha, release_id, draft_id) for sha in set(shas)],
    )


def parts_of(manifest: dict[str, Any]) -> list[str]:
    """Every object a manifest (or a draft document) names."""
    shas = [manifest["descriptor"], manifest["report"]]
    shas += [r["sha256"] for r in manifest["resources"]]
    return shas + list((manifest.get("attachments") or {}).values())


def withheld(store: Store, sha: str) -> bool:
    """True for an object of a draft or an unreleased version that nothing published holds
    (a published version may hold the same bytes: the same signals, say, or the same file)."""
    conn = store.conn
    row = conn.execute(
        "SELECT 1 FROM withheld_objects WHERE sha256 = ? "
        "AND NOT EXISTS (SELECT 1 FROM resources WHERE sha256 = ?) "
        "AND NOT EXISTS (SELECT 1 FROM versions WHERE manifest_sha256 = ? "
        "OR descriptor_sha256 = ? OR report_sha256 = ?)",
        (sha, sha, sha, sha, sha),
    ).fetchone()
    return row is not None and sha not in _published_attachments(store)


_attachments: dict[Path, tuple[tuple[int, int], frozenset[str]]] = {}


def _published_attachments(store: Store) -> frozenset[str]:
    """The attachments every published manifest names, once per publication: asked only
    for an object that is withheld by name, which is rare."""
    stamp = generation(store.log.path)
    cached = _attachments.get(store.home)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found: set[str] = set()
    for (manifest_sha,) in store.conn.execute("SELECT manifest_sha256 FROM versions"):
        try:
            manifest = json.loads(store.objects.read_bytes(str(manifest_sha)))
        except (OSError, ValueError):
            continue
        found.update(str(sha) for sha in (manifest.get("attachments") or {}).values())
    _attachments[store.home] = (stamp, frozenset(found))
    return frozenset(found)


def sealed(conn: sqlite3.Connection, agency: str, dataset: str) -> str | None:
    """The planned time of the dataset's sealed release, if one is scheduled."""
    row = conn.execute(
        "SELECT r.planned_at FROM releases r JOIN agencies a ON a.id = r.agency_id "
        "WHERE a.slug = ? AND r.dataset = ? AND r.status = 'scheduled'",
        (agency, dataset),
    ).fetchone()
    return str(row[0]) if row else None
