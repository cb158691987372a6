"""Copies of a store that stand on their own: backup, restore, and the copy before an upgrade.

The catalog is copied with SQLite's online backup API while the publisher lock is held,
together with the log: the copy then holds exactly the versions whose log lines it has
(a publisher holds the same lock from its commit to its log line). Objects are immutable
and written before the version that names them commits, so copying them after the lock is
released still finds every object the copied catalog names. Each copy is verified.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from portal.errors import GlassWallError, StoreProblem
from portal.progress import Counter, Progress
from portal.store import Store, catalog
from portal.store.migrations import Migration, migrate, pending
from portal.store.verify import Problem, check_catalog, verify_store
from portal.store.writer import recover_store


@dataclass(frozen=True)
class Copied:
    target: Path
    objects: int
    entries: int
    versions: int
    problems: tuple[Problem, ...]
    refused: bool = False  # nothing copied: the source's catalog is damaged


def _empty_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise GlassWallError("store.backup_target_used", target=str(target))
    target.mkdir(parents=True, exist_ok=True)


def _copy_catalog_and_log(store: Store, target: Path) -> None:
    with store.lock:
        source = sqlite3.connect(store.db_path, timeout=30)
        copy = sqlite3.connect(target / "catalog.sqlite")
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        shutil.copyfile(store.log.path, target / "log.jsonl")


def _copy_objects(store: Store, target: Path, link: bool, progress: Progress | None) -> int:
    count = 0
    counter = Counter(progress, "objects")
    for name, path in store.objects.all():
        folder = target / "objects" / name[:2]
        folder.mkdir(parents=True, exist_ok=True)
        destination = folder / name[2:]
        try:
            if link:  # objects never change in place, so the pre-upgrade copy may share them
                os.link(path, destination)
            else:
                shutil.copyfile(path, destination)
                destination.chmod(0o444)
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise
            reason = error.strerror or str(error)
            raise StoreProblem("store.object_unreadable", path=str(path), reason=reason) from None
        count += 1
        counter.advance()
    counter.finish()
    return count


def _clear(target: Path) -> None:
    """Empty the folder a failed copy began in (it was new or empty before)."""
    for item in target.iterdir():
        if item.is_dir() and not item.is_symlink():
            for inner in item.rglob("*"):
                inner.chmod(0o755 if inner.is_dir() else 0o644)
            shutil.rmtree(item)
        else:
            item.unlink()


def copy_store(
    store: Store, target: Path, *, link_objects: bool = False, progress: Progress | None = None
) -> Copied:
    """A copy of `store` in `target` (a new or empty folder), verified as `verify` would.

    A catalog SQLite cannot read or an object that is no readable file stops the copy with
    its path, and the folder is left as empty as it was found."""
    _empty_target(target)
    try:
        _copy_catalog_and_log(store, target)
        objects = _copy_objects(store, target, link_objects, progress)
    except (StoreProblem, sqlite3.DatabaseError):
        _clear(target)
        raise
    copy = Store(target, readonly=True)  # any schema: the pre-upgrade copy is the old one
    try:
        problems = tuple(verify_store(copy))
        entries = len(copy.log.read()[0])
        versions = len(catalog.all_versions(copy.conn))
    finally:
        copy.close()
    return Copied(target, objects, entries, versions, problems)


def backup(store: Store, target: Path, progress: Progress | None = None) -> Copied:
    """`glasswall backup`: finish any interrupted publication, then copy and verify."""
    recover_store(store)
    return copy_store(store, target, progress=progress)


def restore(source: Path, home: Path, progress: Progress | None = None) -> Copied:
    """`glasswall restore`: a verified store at `source` copied into an empty `home`."""
    if not (source / "catalog.sqlite").exists():
        raise GlassWallError("store.source_not_a_store", source=str(source))
    backup_store = Store(source, readonly=True)
    try:
        damaged = check_catalog(backup_store)  # never into the home: serve would use it
    finally:
        backup_store.close()
    if damaged:
        _empty_target(home)
        return Copied(home, 0, 0, 0, tuple(damaged), refused=True)
    return copy_store(Store(source, readonly=True), home, progress=progress)


@dataclass(frozen=True)
class Upgraded:
    applied: tuple[Migration, ...]
    backup: Path | None
    version: int


def upgrade(home: Path) -> Upgraded:
    """Apply the pending schema steps, after a verified copy in `home/backups/`."""
    conn = catalog.connect(home / "catalog.sqlite", upgrading=True)
    try:
        steps = pending(conn)
        backup = None
        if steps:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            backup = home / "backups" / f"before-upgrade-{stamp}"
            copied = copy_store(Store(home, readonly=True), backup, link_objects=True)
            if copied.problems:
                raise StoreProblem(
                    "store.backup_failed", target=str(backup), problems=len(copied.problems)
                )
            migrate(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    return Upgraded(tuple(steps), backup, version)
