"""An agency's public facts (its slug and its Persian and English titles) in the public log.

Every page, the Action API, DCAT and the feeds show an agency's titles, so they are facts a
citizen relies on like the figures: an `agency` entry is sealed onto the hash-chained log
when an agency is created (and whenever its titles change), and `verify` compares each
catalog row with the newest entry for its slug.

Stores made before titles were logged hold agencies and no `agency` entry: `adopt` logs
every agency's titles as they stand, once, the first time a writer store is recovered
(`glasswall verify`, `serve`, `backup`). Until then `verify` accepts such a store as it did;
once any agency entry exists, an agency without one is a forged row. A replica never
writes entries of its own: it applies the writer's.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from portal.errors import Forbidden
from portal.store.log_rows import next_link, recover
from portal.store.public_log import LogFile, canonical, seal
from portal.store.transactions import transaction

ENTRY_TYPE = "agency"
FACTS = ("title_fa", "title_en")


def _home(conn: sqlite3.Connection) -> Path:
    """The store's folder: where its catalog file is."""
    return Path(conn.execute("PRAGMA database_list").fetchone()[2]).parent


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")  # as `tokens.now` stamps rows


def log_agency(conn: sqlite3.Connection, slug: str) -> dict[str, Any]:
    """Seal the agency's current titles onto the log (its catalog row), inside the caller's
    transaction; the line is written by `finish` after the commit."""
    home = _home(conn)
    writer = _replica_source(home)
    if writer is not None:  # an entry made here would fork the writer's chain
        raise Forbidden("replica.read_only", source=writer)
    row = conn.execute("SELECT title_fa, title_en FROM agencies WHERE slug = ?", (slug,)).fetchone()
    seq, prev = next_link(conn)
    body = {"seq": seq, "time": _now(), "type": ENTRY_TYPE, "agency": slug}
    entry = seal({**body, "title_fa": str(row[0]), "title_en": str(row[1])}, prev)
    conn.execute(
        "INSERT INTO log (seq, entry, hash, appended) VALUES (?, ?, ?, 0)",
        (seq, canonical(entry), entry["hash"]),
    )
    return entry


def finish(conn: sqlite3.Connection) -> None:
    """Write the committed entries' lines, in order, under the publish lock (a caller
    still inside a larger transaction leaves them to its own commit and `recover`)."""
    if conn.in_transaction:
        return
    home = _home(conn)
    with FileLock(str(home / "publisher.lock")):
        recover(conn, LogFile(home / "log.jsonl"))


def _replica_source(home: Path) -> str | None:
    from portal.store.replica import source  # replica -> tokens -> this module: import late

    return source(home)


def adopt(conn: sqlite3.Connection) -> int:
    """Log every agency's titles once, for a store made before titles were logged; the
    number logged (0 when the log already holds agency entries, or on a replica)."""
    if _replica_source(_home(conn)) is not None:
        return 0
    with transaction(conn):
        if logged_facts(conn):
            return 0
        slugs = [row[0] for row in conn.execute("SELECT slug FROM agencies ORDER BY id")]
        for slug in slugs:
            log_agency(conn, slug)
    finish(conn)
    return len(slugs)


def logged_facts(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Slug -> the newest `agency` entry of the catalog's copy of the log."""
    return facts_of(row[0] for row in conn.execute("SELECT entry FROM log ORDER BY seq"))


def facts_of(entries: Any) -> dict[str, dict[str, Any]]:
    """Slug -> the newest `agency` entry among `entries` (JSON texts or parsed dicts)."""
    found: dict[str, dict[str, Any]] = {}
    for item in entries:
        try:
            entry = json.loads(item) if isinstance(item, str) else item
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("type") == ENTRY_TYPE:
            found[str(entry.get("agency"))] = entry
    return found
