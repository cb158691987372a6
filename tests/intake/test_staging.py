"""Each intake attack gets its own bilingual refusal; nothing outside staging is touched."""

from __future__ import annotations

import http.server
import json
import os
import stat
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest

from portal.config import Settings
from portal.errors import IntakeRefused, UploadTooLarge
from portal.intake.staging import staged
from portal.publishing.publish import validate_source
from tests.packages import copy_sample, edit_descriptor, generic_package, zip_folder


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"id,label\n1,x\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary.txt"
    path.write_text("untouched", encoding="utf-8")
    return path


def refusal(source: Path, settings: Settings) -> IntakeRefused:
    with pytest.raises(IntakeRefused) as caught, staged(source, settings):
        pass
    error = caught.value
    assert error.message["fa"] and error.message["en"]
    assert error.message["fa"] != error.message["en"]
    return error


def assert_staging_empty(settings: Settings) -> None:
    assert not settings.staging_dir.exists() or not any(settings.staging_dir.iterdir())


def test_folder_is_staged_and_cleaned_up(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    with staged(folder, settings) as package:
        assert package.root.is_relative_to(settings.staging_dir)
        assert (package.root / "data" / "projects.csv").is_file()
        assert package.root.stat().st_mode & 0o777 == 0o700  # private to the portal user
    assert_staging_empty(settings)


def test_zip_with_one_top_folder_is_accepted(tmp_path: Path, settings: Settings) -> None:
    archive = zip_folder(copy_sample(tmp_path / "pkg"), tmp_path / "pkg.zip", prefix="mypkg/")
    with staged(archive, settings) as package:
        assert package.root.name == "mypkg"
        assert package.descriptor["name"] == "infrastructure-projects"


def test_descriptor_input_copies_only_named_files(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    (folder / "private-notes.txt").write_text("not for staging", encoding="utf-8")
    with staged(folder / "datapackage.json", settings) as package:
        staged_files = {p.relative_to(package.root).as_posix() for p in package.root.rglob("*")}
    assert "private-notes.txt" not in staged_files
    assert "data/projects.csv" in staged_files


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ("../canary.txt", "intake.zip_escape"),
        ("a/../../canary.txt", "intake.zip_escape"),
        ("/tmp/absolute.csv", "intake.zip_absolute"),
        ("C:/windows.csv", "intake.zip_absolute"),
    ],
)
def test_zip_entries_escaping_the_package_are_refused(
    tmp_path: Path, settings: Settings, canary: Path, entry: str, key: str
) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("datapackage.json", json.dumps({"name": "x", "resources": []}))
        zf.writestr(entry, "overwritten")
    error = refusal(archive, settings)
    assert error.key == key
    assert entry in error.message["en"] and entry in error.message["fa"]
    assert canary.read_text(encoding="utf-8") == "untouched"
    assert not Path("/tmp/absolute.csv").exists()
    assert_staging_empty(settings)


def test_zip_symlink_entry_is_refused(tmp_path: Path, settings: Settings) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("datapackage.json", json.dumps({"name": "x", "resources": []}))
        info = zipfile.ZipInfo("data.csv")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    assert refusal(archive, settings).key == "intake.symlink"


def test_folder_symlink_is_refused(tmp_path: Path, settings: Settings, canary: Path) -> None:
    folder = copy_sample(tmp_path / "pkg")
    (folder / "data" / "projects.csv").unlink()
    (folder / "data" / "projects.csv").symlink_to(canary)
    error = refusal(folder, settings)
    assert error.key == "intake.symlink"
    assert "data/projects.csv" in error.message["en"]
    # The descriptor route checks the same file before reading it.
    assert refusal(folder / "datapackage.json", settings).key == "intake.symlink"


def test_folder_symlinked_directory_is_refused(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    (folder / "outside").symlink_to(tmp_path)
    assert refusal(folder, settings).key == "intake.symlink"


def test_hard_link_is_refused(tmp_path: Path, settings: Settings, canary: Path) -> None:
    folder = generic_package(tmp_path / "pkg")
    os.link(canary, folder / "notes.txt")
    assert refusal(folder, settings).key == "intake.hard_link"


@pytest.mark.parametrize("where", ["path", "schema", "dialect", "profile", "$schema"])
def test_remote_urls_are_refused_without_a_request(
    tmp_path: Path, settings: Settings, loopback: str, where: str
) -> None:
    folder = generic_package(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    resource = descriptor["resources"][0]
    resource[where] = f"{loopback}/{where}.json"
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    error = refusal(folder, settings)
    assert error.key == "intake.remote_url"
    assert loopback in error.message["en"] and loopback in error.message["fa"]
    with pytest.raises(IntakeRefused):
        validate_source(folder, settings)
    assert _Recorder.requests == []


def test_package_level_profile_url_is_refused(
    tmp_path: Path, settings: Settings, loopback: str
) -> None:
    folder = generic_package(tmp_path / "pkg")
    edit_descriptor(folder, profile=f"{loopback}/profile.json")
    assert refusal(folder, settings).key == "intake.remote_url"
    assert _Recorder.requests == []


def test_official_profile_identifiers_are_allowed(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    edit_descriptor(folder, **{"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"})
    with staged(folder, settings) as package:
        assert package.descriptor["$schema"].endswith("datapackage.json")


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("file:///etc/passwd", "intake.file_url"),
        ("FILE:table.csv", "intake.file_url"),
        ("/etc/passwd", "intake.absolute_path"),
        ("C:\\data\\table.csv", "intake.absolute_path"),
        ("../canary.txt", "intake.path_escape"),
        ("data/../../canary.txt", "intake.path_escape"),
        ("ftp://127.0.0.1/table.csv", "intake.remote_url"),
    ],
)
def test_local_escapes_in_descriptor_are_refused(
    tmp_path: Path, settings: Settings, canary: Path, value: str, key: str
) -> None:
    folder = generic_package(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = value
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    for source in (folder, folder / "datapackage.json"):
        error = refusal(source, settings)
        assert error.key == key
        assert "resources[0].path" in error.message["en"]
    assert canary.read_text(encoding="utf-8") == "untouched"


def test_too_many_files_is_refused(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    for index in range(5):
        (folder / f"extra{index}.txt").write_text("x")
    small = replace(settings, max_files=3)
    assert isinstance(refusal(folder, small), UploadTooLarge)
    assert refusal(folder, small).key == "intake.too_many_files"
    assert refusal(zip_folder(folder, tmp_path / "p.zip"), small).key == "intake.too_many_files"


def test_too_many_bytes_is_refused(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    (folder / "big.bin").write_bytes(os.urandom(4096))
    small = replace(settings, max_upload_bytes=2048)
    error = refusal(folder, small)
    assert error.key == "intake.too_large" and error.http_status == 413
    assert refusal(zip_folder(folder, tmp_path / "p.zip"), small).key == "intake.too_large"
    assert_staging_empty(settings)


def test_zip_bomb_is_refused(tmp_path: Path, settings: Settings) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("datapackage.json", json.dumps({"name": "x", "resources": []}))
        zf.writestr("zeros.csv", b"0" * (20 * 1024 * 1024))
    error = refusal(archive, settings)
    assert error.key == "intake.zip_bomb"
    assert "zeros.csv" in error.message["fa"]


def test_not_a_zip_is_refused(tmp_path: Path, settings: Settings) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"this is not a zip")
    assert refusal(archive, settings).key == "intake.bad_zip"


def test_missing_descriptor_is_refused(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    (folder / "datapackage.json").unlink()
    assert refusal(folder, settings).key == "intake.descriptor_missing"


def test_unparsable_descriptor_says_line_and_column(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    (folder / "datapackage.json").write_text('{\n  "name": "x",\n  "resources": [,]\n}')
    error = refusal(folder, settings)
    assert error.key == "intake.descriptor_unparsable"
    assert error.params["line"] == 3
    assert "۳" in error.message["fa"]


def test_descriptor_without_resources_is_refused(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    (folder / "datapackage.json").write_text('{"name": "x"}')
    assert refusal(folder, settings).key == "intake.descriptor_not_package"


def test_missing_resource_file_is_refused(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    (folder / "data" / "projects.csv").unlink()
    for source in (folder, folder / "datapackage.json"):
        error = refusal(source, settings)
        assert error.key == "intake.resource_missing"
        assert "data/projects.csv" in error.message["en"]
        assert "projects" in error.message["fa"]


def test_inline_data_is_refused(tmp_path: Path, settings: Settings) -> None:
    folder = generic_package(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["data"] = [["id"], [1]]
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    assert refusal(folder, settings).key == "intake.inline_data"


def test_unknown_source_kind_is_refused(tmp_path: Path, settings: Settings) -> None:
    source = tmp_path / "package.tar"
    source.write_bytes(b"x")
    assert refusal(source, settings).key == "intake.unknown_source"
    assert refusal(tmp_path / "nothing-here", settings).key == "intake.source_missing"
    for error in (refusal(source, settings), refusal(tmp_path / "nothing-here", settings)):
        for lang in ("fa", "en"):  # a clerk's workbook is a source too: the message says so
            assert ".xlsx" in error.message[lang] and ".csv" in error.message[lang]


def test_a_small_zip_that_unpacks_too_large_says_unpacked(
    tmp_path: Path, settings: Settings
) -> None:
    """A 5 kB zip holding 5 MB was refused as "the upload is larger than 1,048,576 bytes":
    the clerk's file is far smaller than that, what it unpacks to is not."""
    archive = tmp_path / "small.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("datapackage.json", json.dumps({"name": "x", "resources": []}))
        zf.writestr("zeros.csv", b"0" * (5 * 1024 * 1024))
    limit = 1024 * 1024
    assert archive.stat().st_size < limit
    error = refusal(archive, replace(settings, max_upload_bytes=limit))
    assert isinstance(error, UploadTooLarge) and error.http_status == 413
    assert error.key == "walk.unpacked_too_large"
    assert "small.zip" in error.message["en"] and "small.zip" in error.message["fa"]
    assert "unpacks to 5 MB, more than the 1 MB an upload may hold" in error.message["en"]
    assert "۵ مگابایت" in error.message["fa"] and "۱ مگابایت" in error.message["fa"]
    assert_staging_empty(settings)
