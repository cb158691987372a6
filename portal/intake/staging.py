"""Safe unpacking of an upload (folder, `.zip` or `datapackage.json`) into private staging.

Nothing outside the staging directory is written and, once a descriptor has been
checked, only the files it names are read. Links, escaping paths, bombs and oversize
uploads are refused before a byte of them is copied.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from portal.config import Settings
from portal.errors import IntakeRefused, UploadTooLarge
from portal.intake.descriptor_safety import (
    check_descriptor,
    load_descriptor,
    normalized,
    referenced_files,
)
from portal.intake.leftovers import tag

DESCRIPTOR = "datapackage.json"
_CHUNK = 1024 * 1024
# Small entries can have large ratios (a run of blanks) without being a threat.
_BOMB_MIN_BYTES = 1024 * 1024


@dataclass
class StagedPackage:
    """A package copied into staging: its root, descriptor path and parsed descriptor."""

    root: Path
    descriptor: dict[str, Any]
    source: str
    settings: Settings | None = None  # its limits on table shapes apply to validation

    @property
    def descriptor_path(self) -> Path:
        return self.root / DESCRIPTOR

    def file(self, relative: str) -> Path:
        return self.root / normalized(relative)


class _Budget:
    """Counts files and bytes against the configured limits while copying."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.files = 0
        self.bytes = 0

    def add_file(self, name: str) -> None:
        self.files += 1
        if self.files > self.settings.max_files:
            raise UploadTooLarge("intake.too_many_files", limit=self.settings.max_files, file=name)

    def add_bytes(self, count: int, name: str) -> None:
        self.bytes += count
        if self.bytes > self.settings.max_upload_bytes:
            raise UploadTooLarge(
                "intake.too_large", limit=self.settings.max_upload_bytes, file=name
            )


# The same budget counts a CKAN pull's downloads (`portal.federation.pull`).
Budget = _Budget


def _copy_stream(source: Any, target: Path, budget: _Budget, name: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            budget.add_bytes(len(chunk), name)
            out.write(chunk)


_SEND_CHUNK = 64 * 1024 * 1024


def _copy_local(source: Any, target: Path, budget: _Budget, name: str) -> None:
    """A local file copied by the kernel (sendfile, no trip through Python's buffers:
    5x faster on a 300 MB file), never more than one byte past the budget."""
    if not hasattr(os, "sendfile") or not sys.platform.startswith("linux"):
        _copy_stream(source, target, budget, name)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        while True:
            room = budget.settings.max_upload_bytes - budget.bytes + 1
            sent = os.sendfile(out.fileno(), source.fileno(), None, min(_SEND_CHUNK, room))
            if not sent:
                break
            budget.add_bytes(sent, name)


def _check_local_file(path: Path, name: str) -> os.stat_result:
    """A plain file with one name: no symlink, hard link, device or pipe."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise IntakeRefused("intake.symlink", file=name)
    if not stat.S_ISREG(info.st_mode):
        raise IntakeRefused("intake.not_regular_file", file=name)
    if info.st_nlink > 1:
        raise IntakeRefused("intake.hard_link", file=name)
    return info


def _stage_folder(folder: Path, staging: Path, budget: _Budget) -> None:
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        for name in dirs:
            if (here / name).is_symlink():
                raise IntakeRefused("intake.symlink", file=str((here / name).relative_to(folder)))
        for name in sorted(files):
            path = here / name
            relative = path.relative_to(folder)
            info = _check_local_file(path, str(relative))
            budget.add_file(str(relative))
            if budget.bytes + info.st_size > budget.settings.max_upload_bytes:
                budget.add_bytes(info.st_size, str(relative))  # raises before any copy
            with path.open("rb") as handle:
                _copy_local(handle, staging / relative, budget, str(relative))


# Linux refuses a path component over 255 bytes; a name this long is no honest package's.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 1024


def _safe_member_name(name: str) -> PurePosixPath:
    clean = name.replace("\\", "/")
    too_long = len(clean.encode("utf-8", "replace")) > MAX_PATH_BYTES or any(
        len(part.encode("utf-8", "replace")) > MAX_NAME_BYTES for part in clean.split("/")
    )
    if too_long:
        raise IntakeRefused("intake.name_too_long", file=name[:80] + "…", limit=MAX_NAME_BYTES)
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":") or "\x00" in clean:
        raise IntakeRefused("intake.zip_absolute", file=name)
    parts = PurePosixPath(clean).parts
    if ".." in parts:
        raise IntakeRefused("intake.zip_escape", file=name)
    return PurePosixPath(*[part for part in parts if part not in ("", ".")])


def _stage_zip(archive: Path, staging: Path, budget: _Budget) -> None:
    settings = budget.settings
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise IntakeRefused("intake.bad_zip", file=archive.name) from None
    with zf:
        members = zf.infolist()
        if len(members) > settings.max_files:
            raise UploadTooLarge(
                "intake.too_many_files", limit=settings.max_files, file=archive.name
            )
        unpacked, limit = sum(m.file_size for m in members), settings.max_upload_bytes
        if unpacked > limit:  # a small zip that unpacks this much is named for what it is
            big = archive.stat().st_size > limit
            key = "intake.too_large" if big else "walk.unpacked_too_large"
            raise UploadTooLarge(key, limit=limit, file=archive.name, unpacked=unpacked)
        seen: set[PurePosixPath] = set()
        plan = []
        for member in members:
            relative = _safe_member_name(member.filename)
            mode = member.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise IntakeRefused("intake.symlink", file=member.filename)
            if member.is_dir() or not relative.parts:
                continue
            if relative in seen:
                raise IntakeRefused("intake.zip_duplicate", file=member.filename)
            seen.add(relative)
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > _BOMB_MIN_BYTES and ratio > settings.max_compression_ratio:
                raise UploadTooLarge(
                    "intake.zip_bomb",
                    file=member.filename,
                    ratio=round(ratio),
                    limit=round(settings.max_compression_ratio),
                )
            plan.append((member, relative))
        folders = {parent for _, relative in plan for parent in relative.parents}
        for member, relative in plan:
            if relative in folders:
                raise IntakeRefused("intake.zip_file_and_folder", file=member.filename)
        for member, relative in plan:
            budget.add_file(member.filename)
            before = budget.bytes
            with zf.open(member) as handle:
                _copy_stream(handle, staging / relative, budget, member.filename)
            # The header's size is a claim; a stream longer than it is a crafted archive.
            if budget.bytes - before > member.file_size:
                raise UploadTooLarge(
                    "intake.zip_bomb",
                    file=member.filename,
                    ratio=0,
                    limit=round(settings.max_compression_ratio),
                )


def _stage_descriptor_file(descriptor_file: Path, staging: Path, budget: _Budget) -> None:
    """Copy a `datapackage.json` and only the files it names, after checking every name."""
    folder = descriptor_file.parent
    _check_local_file(descriptor_file, descriptor_file.name)
    descriptor = load_descriptor(descriptor_file, descriptor_file.name)
    check_descriptor(descriptor)
    budget.add_file(DESCRIPTOR)
    with descriptor_file.open("rb") as handle:
        _copy_stream(handle, staging / DESCRIPTOR, budget, DESCRIPTOR)
    for label, relative in referenced_files(descriptor):
        source = folder / normalized(relative)
        if (staging / normalized(relative)).exists():
            continue
        walk = folder
        for part in normalized(relative).parts[:-1]:
            walk = walk / part
            if walk.is_symlink():
                raise IntakeRefused("intake.symlink", file=relative)
        if not source.exists() and not source.is_symlink():
            raise IntakeRefused("intake.resource_missing", resource=label, file=relative)
        _check_local_file(source, relative)
        budget.add_file(relative)
        with source.open("rb") as handle:
            _copy_stream(handle, staging / normalized(relative), budget, relative)


def _package_root(staging: Path) -> Path:
    """The folder holding `datapackage.json`: the top, or a zip's single top folder."""
    if (staging / DESCRIPTOR).is_file():
        return staging
    entries = [entry for entry in staging.iterdir() if entry.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / DESCRIPTOR).is_file():
        return entries[0]
    raise IntakeRefused("intake.descriptor_missing", file=DESCRIPTOR)


def _check_staged_files(package: StagedPackage) -> None:
    for label, relative in referenced_files(package.descriptor):
        path = package.file(relative)
        if not path.is_file():
            raise IntakeRefused("intake.resource_missing", resource=label, file=relative)


@contextmanager
def staged(source: Path, settings: Settings) -> Iterator[StagedPackage]:
    """Stage `source` privately, check it, yield it, and always remove the copy."""
    source = Path(source)
    if not source.exists() and not source.is_symlink():
        raise IntakeRefused("intake.source_missing", file=str(source))
    if source.is_symlink():
        raise IntakeRefused("intake.symlink", file=str(source))
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"upload{tag()}", dir=settings.staging_dir))
    os.chmod(staging, 0o700)
    try:
        budget = _Budget(settings)
        if source.is_dir():
            _stage_folder(source, staging, budget)
        elif source.suffix.lower() == ".zip":
            _stage_zip(source, staging, budget)
        elif source.name.endswith(".json"):
            _stage_descriptor_file(source, staging, budget)
        else:
            raise IntakeRefused("intake.unknown_source", file=source.name)
        root = _package_root(staging)
        descriptor = load_descriptor(root / DESCRIPTOR)
        check_descriptor(descriptor)
        package = StagedPackage(
            root=root, descriptor=descriptor, source=str(source), settings=settings
        )
        _check_staged_files(package)
        yield package
    finally:
        shutil.rmtree(staging, ignore_errors=True)
