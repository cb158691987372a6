"""Leftovers of killed publishers: staging folders and half-written objects.

A publisher killed mid-way leaves its private staging copy and the temporary file of an
object it was writing. Each is named after the process that made it (`…-{pid}-…`), so
start-up and `glasswall verify` can remove those whose process is gone without touching
the work of a publisher still running; unnamed ones count as abandoned after an hour.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from portal.config import Settings

ABANDONED_AFTER = 3600.0
_PID = re.compile(r"-p(\d+)-")


def tag() -> str:
    """The prefix part that names this process in a staging folder or a temporary object."""
    return f"-p{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(path: Path, now: float) -> bool:
    found = _PID.search(path.name)
    if found:
        pid = int(found.group(1))
        return pid != os.getpid() and not _alive(pid)
    try:
        return now - path.lstat().st_mtime > ABANDONED_AFTER
    except FileNotFoundError:
        return False


def _size(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@dataclass(frozen=True)
class Cleaned:
    entries: int
    bytes: int


def clean_leftovers(settings: Settings) -> Cleaned:
    """Remove abandoned staging entries and temporary objects; how many and how many bytes."""
    now = time.time()
    entries = freed = 0
    from portal.store.files import StoreFiles  # the store's package, only when cleaning

    for folder in (settings.staging_dir, StoreFiles(settings.home).objects_tmp):
        if not folder.is_dir():
            continue
        for path in list(folder.iterdir()):
            if not _abandoned(path, now):
                continue
            size = _size(path)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            entries += 1
            freed += size
    return Cleaned(entries, freed)
