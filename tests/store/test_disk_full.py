"""Issue 21: a full disk answered 500 (publish, feedback). Now it is a bilingual 507 (exit 1)
wherever the disk fills, and nothing is half-written: the store stays verifiable.

The real test puts the store on a small tmpfs and fills it, leaving from 0 bytes to a few
hundred kilobytes free, so the disk runs out at a different write each time (the rate
limit's row, a staged upload, an object, SQLite's journal, the log line). Mounting needs
root; the narrow test beside it (the log line refused half-written, after the catalog
committed) needs nothing.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from portal.app import open_data_app
from portal.cli import app
from portal.config import Settings
from portal.store import Store
from portal.store.agencies import create_token
from portal.store.public_log import LogFile
from portal.store.verify import verify_store
from tests.packages import copy_sample, edit_descriptor

DATASET = "mrud-yazd/infrastructure-projects"


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _package(tmp_path: Path, title: str) -> Path:
    folder = copy_sample(tmp_path / f"pkg-{len(list(tmp_path.iterdir()))}")
    edit_descriptor(folder, title=title)
    return folder


def _state(home: Path) -> tuple[int, int]:
    store = Store(home)
    try:
        versions = store.conn.execute("SELECT count(*) FROM versions").fetchone()[0]
    finally:
        store.close()
    lines, fragment = LogFile(home / "log.jsonl").read()
    assert fragment == ""  # never a torn log line
    publications = [line for line in lines if line.entry and line.entry.get("type") == "publish"]
    return int(versions), len(publications)


def _clean(home: Path) -> None:
    """Nothing half-written: verify finds no problem; no staged or temporary leftovers."""
    store = Store(home)
    try:
        assert verify_store(store) == []
    finally:
        store.close()
    assert not list((home / "staging").glob("*")) if (home / "staging").exists() else True
    assert not list((home / "objects" / "tmp").glob("*"))
    versions, lines = _state(home)
    assert versions == lines


def _bilingual_507(answer: Any) -> None:
    assert answer.status_code == 507, answer.text
    body = answer.json()
    assert body["error"]["code"] == "server.disk_full"
    assert "دیسک" in body["error"]["message"]["fa"] and "disk" in body["error"]["message"]["en"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs of its own, unmounted afterwards (skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode()[:200]}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount: Path, leave: int) -> Path:
    """A file taking all but `leave` bytes of the file system."""
    filler = mount / "filler"
    stats = os.statvfs(mount)
    size = max(stats.f_bavail * stats.f_frsize - leave, 0)
    with filler.open("wb") as out:
        try:
            while size > 0:
                out.write(b"\0" * min(size, 1 << 20))
                size -= 1 << 20
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


@pytest.mark.slow
def test_a_full_disk_is_507_at_every_write_and_nothing_is_half_written(
    small_disk: Path, published_template: Path, tmp_path: Path
) -> None:
    home = small_disk / "var"
    shutil.copytree(published_template, home, copy_function=shutil.copy)
    settings = Settings(home=home, publish_per_hour=1000, feedback_per_client=1000)
    store = Store(home)
    token = create_token(store.conn, "mrud-yazd")
    store.close()
    client = TestClient(open_data_app(settings), raise_server_exceptions=False)
    packages = tmp_path / "packages"
    packages.mkdir()
    statuses: dict[str, set[int]] = {"publish": set(), "feedback": set()}
    for leave in (0, 4096, 16384, 40960, 65536, 131072, 262144, 300_000, 400_000, 2 << 20):
        before = _state(home)
        filler = _fill(small_disk, leave)
        folder = _package(packages, f"Projects of Yazd, revised title with {leave} bytes free")
        answer = client.post(
            "/api/publish",
            headers={"Authorization": f"Bearer {token}"},
            files={"package": ("p.zip", _zip(folder), "application/zip")},
        )
        statuses["publish"].add(answer.status_code)
        if answer.status_code != 201:
            _bilingual_507(answer)
        feedback = client.post("/api/feedback", json={"dataset": DATASET, "message": "چرا؟"})
        statuses["feedback"].add(feedback.status_code)
        if feedback.status_code != 201:
            _bilingual_507(feedback)
        filler.unlink()  # (the catalog cannot even be opened on the full disk)
        published = answer.status_code == 201
        assert _state(home) == (before[0] + published, before[1] + published)
        _clean(home)
    assert 507 in statuses["publish"] and statuses["publish"] <= {201, 507}
    assert 507 in statuses["feedback"] and statuses["feedback"] <= {201, 507}
    assert 201 in statuses["publish"]  # with room again, publishing works

    # The command line says the same, with exit code 1.
    filler = _fill(small_disk, 0)
    folder = _package(packages, "Projects of Yazd, a title for the command line")
    said = CliRunner().invoke(app, ["--home", str(home), "publish", str(folder), "--token", token])
    assert said.exit_code == 1 and "disk is full" in said.output
    filler.unlink()
    _clean(home)


def test_a_log_line_refused_by_a_full_disk_withdraws_the_version(
    samples: Store, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one write after the catalog commits: half the log line reaches the disk, then
    ENOSPC. The version is withdrawn, the torn line removed, and the answer is 507."""
    token = create_token(samples.conn, "mrud-yazd")
    before = _state(settings.home)

    def half_then_full(self: LogFile, entry: dict[str, Any]) -> None:
        with self.path.open("ab") as handle:
            handle.write(b'{"seq": 5, "half')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(LogFile, "append", half_then_full)
    client = TestClient(open_data_app(settings))
    folder = _package(tmp_path, "Projects of Yazd, a title the log could not take")
    answer = client.post(
        "/api/publish",
        headers={"Authorization": f"Bearer {token}"},
        files={"package": ("p.zip", _zip(folder), "application/zip")},
    )
    _bilingual_507(answer)
    assert _state(settings.home) == before
    monkeypatch.undo()
    _clean(settings.home)
