"""A full disk is a refusal the person can read (507, exit 1), never a traceback.

The disk fills at any write: a staged upload, an object, SQLite's journal, the log.
`refused_when_full` turns each way it shows (OSError ENOSPC or EDQUOT, SQLite's
SQLITE_FULL, and SQLite's "disk I/O error" when the store's file system has no room: a
new WAL index cannot be made then) into `InsufficientStorage`; the writers make sure
nothing is left half done (temporary files removed, a version whose log line could not
be written withdrawn).
`ensure_room` refuses before the catalog commits when less than a small reserve is free,
so the one step that cannot be undone cheaply (the log line after the commit) is not the
one that meets the full disk.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal.errors import InsufficientStorage

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# Room a commit needs beyond the objects already written: SQLite's journal pages and one
# log line are a few kilobytes; the reserve leaves a wide margin.
RESERVE_BYTES = 256 * 1024


def has_room(folder: Path, needed: int = RESERVE_BYTES) -> bool:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize >= needed


def is_disk_full(error: BaseException, home: Path | None = None) -> bool:
    """True for the errors a full disk (or an exhausted quota) raises; with `home`, also
    SQLite's unspecific I/O error when the store's file system has no room left."""
    if isinstance(error, OSError):
        return error.errno in FULL_ERRNOS
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None) or 0
        if code & 0xFF == sqlite3.SQLITE_FULL:
            return True
        return code & 0xFF == sqlite3.SQLITE_IOERR and home is not None and not has_room(home)
    return False


@contextmanager
def refused_when_full(home: Path) -> Iterator[None]:
    """Raise `InsufficientStorage` for a full disk met inside the block (store at `home`)."""
    try:
        yield
    except (OSError, sqlite3.Error) as error:
        if is_disk_full(error, home):
            raise InsufficientStorage("server.disk_full") from error
        raise


def ensure_room(folder: Path, needed: int = RESERVE_BYTES) -> None:
    """Refuse (507) when the file system holding `folder` has less than `needed` bytes free."""
    if not has_room(folder, needed):
        raise InsufficientStorage("server.disk_full")
