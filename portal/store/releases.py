"""Sealed releases: a version fixed now, committed to on the public log, published at its hour.

`schedule` builds the version's manifest when the package is validated (the version number
that follows the latest, and the planned time as its `created_at`), stores every part
withheld, and appends a `schedule` entry carrying the manifest's sha256 (the commitment) to
the public log at once. Until the hour nothing of it is public: the pages, API, feeds and
replicas read versions, and it is not one. `release_due` publishes every release whose hour
has come, exactly once (the status moves in the same transaction that inserts the version,
under the publish lock), and a release made after its hour is marked late by how much.
`move` and `cancel` keep the release on the calendar with a public reason: nothing is
dropped silently, and each change is a log entry.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from portal.errors import BadParameter, GlassWallError, NotFound
from portal.publishing.release_time import from_iso, future, iso
from portal.store import catalog
from portal.store.access import access_list
from portal.store.agencies import _agency_id, now
from portal.store.disk import ensure_room
from portal.store.log_rows import next_link, recover
from portal.store.public_log import canonical, seal
from portal.store.records import ResourceEntry, Version
from portal.store.transactions import transaction
from portal.store.withheld import parts_of, sealed, withhold
from portal.store.writer import build_manifest, insert_manifest, next_number, to_json_bytes

if TYPE_CHECKING:
    from portal.store import Store

CALENDAR = ("schedule", "move", "cancel")  # log entries that announce, not publish
LATE_AFTER = 60  # seconds: a release this much after its hour is reported late
Attachments = Callable[[Version | None], dict[str, str]]


@dataclass(frozen=True)
class Release:
    id: int
    agency: str
    dataset: str
    title: str
    version: int
    planned_at: str
    first_planned_at: str
    scheduled_at: str
    commitment: str
    signed: dict[str, Any]
    stored_status: str
    released_at: str | None
    late_seconds: int | None
    reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        """scheduled | moved | released | late | cancelled, as the calendar says it."""
        if self.stored_status == "released":
            return "late" if (self.late_seconds or 0) > LATE_AFTER else "released"
        if self.stored_status == "scheduled" and self.planned_at != self.first_planned_at:
            return "moved"
        return self.stored_status


_COLUMNS = (
    "r.id, a.slug, r.dataset, r.title, r.version, r.planned_at, r.first_planned_at, "
    "r.scheduled_at, r.commitment, r.signed, r.status, r.released_at, r.late_seconds, r.reasons"
)


def _release(row: sqlite3.Row | tuple[Any, ...]) -> Release:
    values = list(tuple(row))
    values[9] = json.loads(values[9])
    values[13] = json.loads(values[13])
    return Release(*values)


def announced_titles(title: str, descriptor: dict[str, Any]) -> dict[str, str]:
    """The dataset's Persian and English titles, as its descriptor gives them."""
    return {
        "title_fa": str(descriptor.get("title_fa") or title),
        "title_en": str(descriptor.get("title_en") or title),
    }


def all_releases(conn: sqlite3.Connection, agency: str | None = None) -> list[Release]:
    query = f"SELECT {_COLUMNS} FROM releases r JOIN agencies a ON a.id = r.agency_id"
    rows = conn.execute(
        query + (" WHERE a.slug = ?" if agency else "") + " ORDER BY r.planned_at, r.id",
        (agency,) if agency else (),
    ).fetchall()
    return [_release(row) for row in rows]


def scheduled(conn: sqlite3.Connection, agency: str, dataset: str) -> Release:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM releases r JOIN agencies a ON a.id = r.agency_id "
        "WHERE a.slug = ? AND r.dataset = ? AND r.status = 'scheduled'",
        (agency, dataset),
    ).fetchone()
    if row is None:
        raise NotFound("release.none_scheduled", agency=agency, dataset=dataset)
    return _release(row)


def _log(store: Store, body: dict[str, Any]) -> None:
    """A calendar entry on the public log, inside the caller's transaction."""
    seq, prev = next_link(store.conn)
    entry = seal({"seq": seq, "time": now(), **body}, prev)
    store.conn.execute(
        "INSERT INTO log (seq, entry, hash, appended) VALUES (?, ?, ?, 0)",
        (seq, canonical(entry), entry["hash"]),
    )


def schedule(
    store: Store,
    agency: str,
    dataset: str,
    title: str,
    planned: datetime,
    parts: tuple[tuple[str, str], list[ResourceEntry], dict[str, str]],
    recheck: Attachments,
    checked_against: int,
    signed: dict[str, Any] | None = None,
    draft_id: int | None = None,
) -> Release:
    """Seal the version for `planned`; its commitment goes on the public log now, with
    what the calendar may announce: the titles (from the descriptor), never a figure."""
    hashes, entries, attached = parts
    descriptor = json.loads(store.objects.read_bytes(hashes[0]))
    with store.lock:
        recover(store.conn, store.log)
        future(planned, from_iso(now()))
        if sealed(store.conn, agency, dataset) is not None:
            raise BadParameter(
                "release.already_scheduled", field="dataset", agency=agency, dataset=dataset
            )
        latest = catalog.version(store.conn, agency, dataset)
        if (latest.number if latest else 0) != checked_against:  # checked again, as publish
            attached = recheck(latest)
        number = next_number(store.conn, agency, dataset)
        manifest = build_manifest(
            agency, dataset, number, title, iso(planned), hashes, entries, attached
        )
        commitment = store.objects.put_bytes(to_json_bytes(manifest))
        ensure_room(store.home)  # the log line after the commit must not meet a full disk
        with transaction(store.conn) as conn:
            cursor = conn.execute(
                "INSERT INTO releases (agency_id, dataset, title, version, planned_at, "
                "first_planned_at, scheduled_at, commitment, signed, status, draft_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?)",
                (
                    _agency_id(conn, agency),
                    dataset,
                    title,
                    number,
                    iso(planned),
                    iso(planned),
                    now(),
                    commitment,
                    json.dumps(signed or {}, ensure_ascii=False),
                    draft_id,
                ),
            )
            release_id = int(cursor.lastrowid or 0)
            withhold(conn, [commitment, *parts_of(manifest)], release_id=release_id)
            _log(
                store,
                {
                    "type": "schedule",
                    "agency": agency,
                    "dataset": dataset,
                    "title": title,
                    **announced_titles(title, descriptor),
                    "version": number,
                    "release_at": iso(planned),
                    "commitment": commitment,
                    **(signed or {}),
                },
            )
        recover(store.conn, store.log)
    return scheduled(store.conn, agency, dataset)


def release_due(store: Store, moment: datetime | None = None) -> list[Version]:
    """Publish every sealed release whose hour has come; each exactly once."""
    moment = moment or from_iso(now())
    due = store.conn.execute(
        "SELECT id FROM releases WHERE status = 'scheduled' AND planned_at <= ? "
        "ORDER BY planned_at",
        (iso(moment),),
    ).fetchall()
    released = []
    for (release_id,) in due:
        version = _release_one(store, int(release_id), moment)
        if version is not None:
            released.append(version)
    return released


def _release_one(store: Store, release_id: int, moment: datetime) -> Version | None:
    with store.lock:
        recover(store.conn, store.log)
        row = store.conn.execute(
            f"SELECT {_COLUMNS} FROM releases r JOIN agencies a ON a.id = r.agency_id "
            "WHERE r.id = ? AND r.status = 'scheduled'",
            (release_id,),
        ).fetchone()
        if row is None:  # another process released it first
            return None
        release = _release(row)
        data = store.objects.read_bytes(release.commitment)
        if hashlib.sha256(data).hexdigest() != release.commitment:
            raise GlassWallError(
                "release.commitment_broken",
                agency=release.agency,
                dataset=release.dataset,
                commitment=release.commitment,
            )
        manifest = json.loads(data)
        late = max(0, int((moment - from_iso(release.planned_at)).total_seconds()))
        draft_id = store.conn.execute(
            "SELECT draft_id FROM releases WHERE id = ?", (release_id,)
        ).fetchone()[0]
        access = access_list(store.conn, release_id, draft_id)
        ensure_room(store.home)  # the log line after the commit must not meet a full disk
        with transaction(store.conn) as conn:
            conn.execute(
                "UPDATE releases SET status = 'released', released_at = ?, late_seconds = ? "
                "WHERE id = ?",
                (iso(moment), late, release_id),
            )
            conn.execute("DELETE FROM withheld_objects WHERE release_id = ?", (release_id,))
            insert_manifest(
                store,
                manifest,
                release.commitment,
                {
                    "release": {
                        "planned": release.planned_at,
                        "late_seconds": late,
                        "commitment": release.commitment,
                        "access": access,  # who saw it before the public; [] is said too
                    },
                    **release.signed,
                },
            )
        recover(store.conn, store.log)
    return catalog.version(store.conn, release.agency, release.dataset, release.version)


def _change(
    store: Store,
    agency: str,
    dataset: str,
    kind: str,
    reasons: tuple[str, str],
    planned: datetime | None = None,
) -> Release:
    with store.lock:
        recover(store.conn, store.log)
        release = scheduled(store.conn, agency, dataset)
        reason = {"kind": kind, "at": now(), "fa": reasons[0], "en": reasons[1]}
        if planned is not None:
            future(planned, from_iso(now()), "to")
            reason.update({"from": release.planned_at, "to": iso(planned)})
        ensure_room(store.home)  # the log line after the commit must not meet a full disk
        with transaction(store.conn) as conn:
            conn.execute(
                "UPDATE releases SET status = ?, planned_at = ?, reasons = ? WHERE id = ?",
                (
                    "cancelled" if kind == "cancel" else "scheduled",
                    iso(planned) if planned is not None else release.planned_at,
                    json.dumps([*release.reasons, reason], ensure_ascii=False),
                    release.id,
                ),
            )
            _log(
                store,
                {
                    "type": kind,
                    "agency": agency,
                    "dataset": dataset,
                    "commitment": release.commitment,
                    "reason_fa": reasons[0],
                    "reason_en": reasons[1],
                    **({"release_at": iso(planned)} if planned is not None else {}),
                },
            )
        recover(store.conn, store.log)
        found = store.conn.execute(
            f"SELECT {_COLUMNS} FROM releases r JOIN agencies a ON a.id = r.agency_id "
            "WHERE r.id = ?",
            (release.id,),
        ).fetchone()
    return _release(found)


def move(
    store: Store, agency: str, dataset: str, to: datetime, reasons: tuple[str, str]
) -> Release:
    """A new hour, with the public reason; the release stays sealed to the same commitment."""
    return _change(store, agency, dataset, "move", reasons, to)


def cancel(store: Store, agency: str, dataset: str, reasons: tuple[str, str]) -> Release:
    """Never released; it stays on the calendar with the public reason."""
    return _change(store, agency, dataset, "cancel", reasons)
