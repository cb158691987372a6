"""The catalog's copy of the public log (`log` table) and `log.jsonl`, kept in step.

Every writer of the log (a publication, an agency's public facts) seals its entry onto the
chain inside its SQLite transaction (`next_link`), then appends the line under the publish
lock; `recover` finishes lines a crash committed but did not write.
"""

from __future__ import annotations

import json
import sqlite3

from portal.store.public_log import GENESIS, LogFile


def next_link(conn: sqlite3.Connection) -> tuple[int, str]:
    """The next entry's sequence number and the hash it chains to (inside a transaction)."""
    last = conn.execute("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)


def recover(conn: sqlite3.Connection, log: LogFile) -> int:
    """Finish log appends that a crashed publisher committed but did not write; return count.

    Only rows still marked not-appended are touched, so a line removed by hand from a
    confirmed entry is never silently restored: `verify` reports it.
    """
    pending = conn.execute("SELECT seq, entry, hash FROM log WHERE appended = 0 ORDER BY seq")
    pending_rows = pending.fetchall()
    if not pending_rows:
        return 0
    log.truncate_fragment()
    for seq, entry_text, entry_hash in pending_rows:
        lines, _ = log.read()
        if len(lines) >= seq:
            written = lines[seq - 1].entry
            if written is None or written.get("hash") != entry_hash:
                continue  # not ours to fix: verify names the mismatch
        elif len(lines) == seq - 1:
            log.append(json.loads(entry_text))
        else:
            continue
        conn.execute("UPDATE log SET appended = 1 WHERE seq = ?", (seq,))
    return len(pending_rows)
