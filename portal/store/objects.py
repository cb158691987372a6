"""Content-addressed files: `objects/ab/cdef...` named by their sha256.

A file reaches its final name only by an atomic rename after fsync, so a reader
never sees half an object, and writing the same content twice is a no-op.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1024 * 1024


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def _install(self, temp: Path, sha256: str) -> None:
        target = self.path(sha256)
        try:
            if target.exists():
                temp.unlink()
                return
            target.parent.mkdir(parents=True, exist_ok=True)  # a full disk may refuse it
            os.chmod(temp, 0o444)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        _fsync_dir(target.parent)

    @contextmanager
    def _temp(self) -> Iterator[tuple[BinaryIO, Path]]:
        """A temporary file to fill; removed when anything fails (a full disk leaves no
        half object behind to hold its space)."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix=f"obj-p{os.getpid()}-")
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                yield out, temp
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def put_file(self, source: Path) -> tuple[str, int]:
        """Copy `source` in; return (sha256, bytes)."""
        digest = hashlib.sha256()
        size = 0
        with self._temp() as (out, temp), source.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        self._install(temp, sha)
        return sha, size

    def put_verified(self, chunks: Iterable[bytes], sha256: str) -> int | None:
        """Store what arrives under the name it claims, if it hashes to it: its size, or None
        (nothing kept) when it does not (a replica takes nothing on trust)."""
        digest = hashlib.sha256()
        size = 0
        with self._temp() as (out, temp):
            for chunk in chunks:  # the source may stop the read by raising: nothing kept
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            temp.unlink()
            return None
        self._install(temp, sha256)
        return size

    def put_bytes(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if self.has(sha):
            return sha
        with self._temp() as (out, temp):
            out.write(data)
        self._install(temp, sha)
        return sha

    def read_bytes(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def all(self) -> Iterator[tuple[str, Path]]:
        """Every stored object as (name from its path, path)."""
        if not self.root.exists():
            return
        for bucket in sorted(self.root.iterdir()):
            if bucket.name == "tmp" or not bucket.is_dir():
                continue
            for item in sorted(bucket.iterdir()):
                yield bucket.name + item.name, item
