"""`glasswall replicate` against a hostile writer: a real HTTP server on 127.0.0.1 that serves
a correctly sealed log whose manifests break the writer's own rules (issue 21, item 6).

Every refusal names the log entry and the field, and nothing of the refused version is
applied: no catalog row, no log line, no object beyond what was already verified.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.replication.replicate import pull
from portal.store import Store, catalog
from portal.store.public_log import GENESIS, canonical, seal
from portal.store.verify import verify_store

CSV = b"id,budget_irr\n1,8200000000000\n2,100\n"
BIG = 300 * 1024 * 1024  # what the hostile writer is ready to stream for one object


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class HostileWriter:
    """Serves `/log.jsonl`, `/objects/{sha}` and organization_show like a portal would.

    `stream` maps a sha256 to a number of bytes streamed for it (zeros): an object that
    never ends where its manifest says it does. `sent` counts what was streamed."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.entries: list[dict[str, Any]] = []
        self.stream: dict[str, int] = {}
        self.sent = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path == "/log.jsonl":
                    body = "".join(canonical(e) + "\n" for e in outer.entries).encode()
                elif self.path.startswith("/objects/"):
                    sha = self.path.removeprefix("/objects/")
                    if sha in outer.stream:
                        return self._stream(outer.stream[sha])
                    if sha not in outer.objects:
                        self.send_error(404)
                        return
                    body = outer.objects[sha]
                else:
                    titles = {"fa": "دستگاه", "en": "Agency"}
                    body = _json({"success": True, "result": {"title_translated": titles}})
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _stream(self, size: int) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                block = b"0" * 65536
                try:
                    while outer.sent < size:
                        self.wfile.write(block)
                        outer.sent += len(block)
                except OSError:  # the replica hung up
                    return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def put(self, data: bytes) -> str:
        self.objects[_sha(data)] = data
        return _sha(data)

    def manifest(self, version: int, **changes: Any) -> dict[str, Any]:
        """A manifest as the writer writes it, with `changes` applied (None removes a key)."""
        descriptor = {
            "name": "projects-x",
            "title": "Projects",
            "resources": [
                {
                    "name": "projects",
                    "path": "data/projects.csv",
                    "schema": {
                        "fields": [
                            {"name": "id", "type": "integer"},
                            {"name": "budget_irr", "type": "integer"},
                        ]
                    },
                }
            ],
        }
        manifest = {
            "agency": "evil-agency",
            "dataset": "projects-x",
            "version": version,
            "title": "Projects",
            "created_at": "2026-01-01T00:00:00+00:00",
            "descriptor": self.put(_json(descriptor)),
            "report": self.put(_json({"valid": True})),
            "resources": [
                {
                    "name": "projects",
                    "path": "data/projects.csv",
                    "sha256": self.put(CSV),
                    "bytes": len(CSV),
                    "rows": 2,
                    "mediatype": "text/csv",
                }
            ],
        }
        for key, value in changes.items():
            if value is None:
                manifest.pop(key)
            else:
                manifest[key] = value
        return manifest

    def log(self, manifest: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """Seal a publish entry naming `manifest` onto the chain."""
        prev = self.entries[-1]["hash"] if self.entries else GENESIS
        body = {
            "seq": len(self.entries) + 1,
            "time": "2026-01-01T00:00:00+00:00",
            "type": "publish",
            "agency": manifest.get("agency"),
            "dataset": manifest.get("dataset"),
            "version": manifest.get("version"),
            "manifest": self.put(_json(manifest)),
            **changes,
        }
        entry = seal(body, prev)
        self.entries.append(entry)
        return entry

    def agency(self, **fields: Any) -> dict[str, Any]:
        """Seal an `agency` entry (an agency's titles) onto the chain."""
        prev = self.entries[-1]["hash"] if self.entries else GENESIS
        body = {
            "seq": len(self.entries) + 1,
            "time": "2026-01-01T00:00:00+00:00",
            "type": "agency",
            "agency": "evil-agency",
            "title_fa": "دستگاه نمونه",
            "title_en": "Sample office",
            **fields,
        }
        entry = seal(body, prev)
        self.entries.append(entry)
        return entry

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hostile() -> Iterator[HostileWriter]:
    writer = HostileWriter()
    yield writer
    writer.close()


def _nothing_applied(replica: Store, entries: int = 0) -> None:
    assert len(replica.log.read()[0]) == entries
    assert len(catalog.all_versions(replica.conn)) == entries
    assert verify_store(replica) == []


def test_an_honest_manifest_is_applied_and_verifies(hostile: HostileWriter, store: Store) -> None:
    """The fake writer's good case: what the refusals below differ from."""
    hostile.log(hostile.manifest(1))
    hostile.log(hostile.manifest(2, title="Second"))
    report = pull(store, hostile.url)
    assert report.problems == []
    assert report.applied == ["evil-agency/projects-x@1", "evil-agency/projects-x@2"]
    assert verify_store(store) == []


def test_a_resource_path_outside_the_store_is_refused(hostile: HostileWriter, store: Store) -> None:
    manifest = hostile.manifest(1)
    manifest["resources"][0]["path"] = "../../../../../tmp/escaped.csv"
    hostile.log(manifest)
    report = pull(store, hostile.url)
    assert [(p.code, p.where) for p in report.problems] == [
        ("field_refused", "log.jsonl:1 evil-agency/projects-x@1")
    ]
    message = report.problems[0].message
    assert "manifest.resources[0].path" in message["en"] and "../../" in message["en"]
    assert "manifest.resources[0].path" in message["fa"]
    assert report.applied == []
    _nothing_applied(store)


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "data\\..\\..\\x.csv", "file:///etc/passwd", "data/../../x.csv", ""]
)
def test_every_unsafe_path_is_refused(hostile: HostileWriter, store: Store, path: str) -> None:
    manifest = hostile.manifest(1)
    manifest["resources"][0]["path"] = path
    hostile.log(manifest)
    assert [p.code for p in pull(store, hostile.url).problems] == ["field_refused"]
    _nothing_applied(store)


def test_an_agency_slug_with_markup_is_refused(hostile: HostileWriter, store: Store) -> None:
    hostile.log(hostile.manifest(1, agency="../<script>x"))
    report = pull(store, hostile.url)
    assert [p.code for p in report.problems] == ["field_refused"]
    assert "entry.agency" in report.problems[0].message["en"]
    assert "log.jsonl:1" in report.problems[0].where
    _nothing_applied(store)


def test_a_version_gap_is_refused(hostile: HostileWriter, store: Store) -> None:
    hostile.log(hostile.manifest(1))
    hostile.log(hostile.manifest(3))
    report = pull(store, hostile.url)
    assert report.applied == ["evil-agency/projects-x@1"]
    assert [(p.code, p.where) for p in report.problems] == [
        ("version_gap", "log.jsonl:2 evil-agency/projects-x@3")
    ]
    assert "version 1" in report.problems[0].message["en"]
    _nothing_applied(store, entries=1)


def test_a_duplicate_version_is_refused_without_a_traceback(
    hostile: HostileWriter, store: Store
) -> None:
    hostile.log(hostile.manifest(1))
    hostile.log(hostile.manifest(1, title="Again"))
    report = pull(store, hostile.url)
    assert [p.code for p in report.problems] == ["version_duplicate"]
    _nothing_applied(store, entries=1)


@pytest.mark.parametrize("key", ["report", "descriptor", "created_at", "resources"])
def test_a_missing_manifest_key_is_named(hostile: HostileWriter, store: Store, key: str) -> None:
    hostile.log(hostile.manifest(1, **{key: None}))
    report = pull(store, hostile.url)
    assert [p.code for p in report.problems] == ["field_missing"]
    assert f"manifest.{key}" in report.problems[0].message["en"]
    _nothing_applied(store)


@pytest.mark.parametrize(
    ("field", "value"),
    [("bytes", "12"), ("bytes", -1), ("rows", 2.5), ("sha256", "../x"), ("name", "A B")],
)
def test_a_mistyped_resource_field_is_named(
    hostile: HostileWriter, store: Store, field: str, value: Any
) -> None:
    manifest = hostile.manifest(1)
    manifest["resources"][0][field] = value
    hostile.log(manifest)
    report = pull(store, hostile.url)
    assert [p.code for p in report.problems] == ["field_refused"]
    assert f"manifest.resources[0].{field}" in report.problems[0].message["en"]
    _nothing_applied(store)


def test_an_object_longer_than_its_manifest_says_is_not_read_whole(
    hostile: HostileWriter, store: Store
) -> None:
    manifest = hostile.manifest(1)
    huge = "ab" * 32
    manifest["resources"][0].update(sha256=huge, bytes=1000)
    hostile.stream[huge] = BIG
    hostile.log(manifest)
    report = pull(store, hostile.url)
    assert [p.code for p in report.problems] == ["object_too_large"]
    assert huge in report.problems[0].message["en"]
    assert hostile.sent < 16 * 1024 * 1024, f"{hostile.sent} bytes streamed"
    assert not store.objects.has(huge)
    assert not any((store.objects.root / "tmp").iterdir())
    _nothing_applied(store)


def test_a_shorter_object_than_listed_is_refused(hostile: HostileWriter, store: Store) -> None:
    manifest = hostile.manifest(1)
    manifest["resources"][0]["bytes"] = len(CSV) + 5
    hostile.log(manifest)
    assert [p.code for p in pull(store, hostile.url).problems] == ["object_size_differs"]
    _nothing_applied(store)


def test_a_descriptor_naming_a_url_is_refused(hostile: HostileWriter, store: Store) -> None:
    manifest = hostile.manifest(1)
    descriptor = json.loads(hostile.objects[manifest["descriptor"]])
    descriptor["resources"][0]["path"] = "https://evil.example/x.csv"
    manifest["descriptor"] = hostile.put(_json(descriptor))
    hostile.log(manifest)
    report = pull(store, hostile.url)
    assert [p.code for p in report.problems] == ["descriptor_refused"]
    assert "evil.example" in report.problems[0].message["en"]
    _nothing_applied(store)


def test_a_manifest_that_is_not_json_is_named(hostile: HostileWriter, store: Store) -> None:
    sha = hostile.put(b"\xff not json")
    prev = GENESIS
    entry = seal(
        {
            "seq": 1,
            "time": "2026-01-01T00:00:00+00:00",
            "type": "publish",
            "agency": "evil-agency",
            "dataset": "projects-x",
            "version": 1,
            "manifest": sha,
        },
        prev,
    )
    hostile.entries.append(entry)
    assert [p.code for p in pull(store, hostile.url).problems] == ["document_unreadable"]
    _nothing_applied(store)


def test_a_zip_slip_manifest_already_stored_is_never_served(
    store: Store, settings: Settings, hostile: HostileWriter
) -> None:
    """A store that applied a bad manifest before these checks: package.zip stays inside."""
    hostile.log(hostile.manifest(1))
    assert pull(store, hostile.url).problems == []
    store.conn.execute("UPDATE resources SET path = '../../../../../tmp/evil.csv'")
    second = "../datapackage.json"
    store.conn.execute(
        "INSERT INTO resources (version_id, position, name, path, sha256, bytes, rows, mediatype)"
        " SELECT version_id, 1, 'other', ?, sha256, bytes, rows, mediatype FROM resources",
        (second,),
    )
    response = TestClient(open_data_app(settings)).get(
        "/download/evil-agency/projects-x/1/package.zip"
    )
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert all(not n.startswith("/") and ".." not in n.split("/") for n in names), names
    assert len(names) == len(set(names)), names
    assert "tmp/evil.csv" in names
    assert names.count("datapackage.json") == 1


def test_package_zip_member_names_are_inside(tmp_path: Path) -> None:
    from portal.api.exports.formats import write_package_zip

    source = tmp_path / "a.csv"
    source.write_bytes(CSV)
    target = tmp_path / "p.zip"
    write_package_zip(
        [("datapackage.json", b"{}"), ("/abs/x.csv", source), ("..\\..\\w.csv", source)], target
    )
    names = zipfile.ZipFile(target).namelist()
    assert names == ["datapackage.json", "abs/x.csv", "w.csv"]


def test_verify_names_a_stored_manifest_that_breaks_the_rules(
    store: Store, hostile: HostileWriter
) -> None:
    """A replica that applied a bad manifest before these checks: verify says so."""
    hostile.log(hostile.manifest(1))
    assert pull(store, hostile.url).problems == []
    version = catalog.all_versions(store.conn)[0]
    manifest = json.loads(store.objects.read_bytes(version.manifest_sha256))
    manifest["resources"][0]["path"] = "../../../../etc/x.csv"
    forged = store.objects.put_bytes(_json(manifest))
    store.conn.execute("UPDATE versions SET manifest_sha256 = ?", (forged,))
    problems = verify_store(store)
    assert ("field_refused", "evil-agency/projects-x@1") in [(p.code, p.where) for p in problems]


def test_agency_titles_come_from_the_log_and_verify(hostile: HostileWriter, store: Store) -> None:
    hostile.agency()
    hostile.log(hostile.manifest(1))
    hostile.agency(title_en="Sample office, renamed")
    report = pull(store, hostile.url)
    assert report.problems == [] and len(report.applied) == 3
    agency = catalog.agency(store.conn, "evil-agency")
    assert agency is not None
    assert (agency.title_fa, agency.title_en) == ("دستگاه نمونه", "Sample office, renamed")
    assert verify_store(store) == []


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"agency": "../<script>x"}, "field_refused", "entry.agency"),
        ({"title_en": "   "}, "field_refused", "entry.title_en"),
        ({"title_fa": ["not", "text"]}, "field_refused", "entry.title_fa"),
        ({"title_fa": "x" * 501}, "field_refused", "entry.title_fa"),
    ],
)
def test_an_agency_entry_that_breaks_the_rules_is_refused(
    hostile: HostileWriter, store: Store, fields: dict[str, Any], code: str, field: str
) -> None:
    hostile.agency(**fields)
    report = pull(store, hostile.url)
    assert [(p.code, p.where) for p in report.problems] == [(code, "log.jsonl:1")]
    assert field in report.problems[0].message["en"]
    assert store.conn.execute("SELECT * FROM agencies").fetchall() == []
    _nothing_applied(store)


def test_verify_portal_names_a_missing_manifest_key_without_a_traceback(
    hostile: HostileWriter,
) -> None:
    from portal.replication.remote_verify import verify_portal

    hostile.log(hostile.manifest(1, descriptor=None))
    problems = verify_portal(hostile.url).problems
    assert ("field_missing", "log.jsonl:1 evil-agency/projects-x@1") in [
        (p.code, p.where) for p in problems
    ]
