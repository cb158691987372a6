"""`ckan pull` against a hostile CKAN: a real HTTP server on 127.0.0.1 that lies.

Each package's `glasswall_descriptor` names a dangerous path or an oversized file, or its
resource URL points at another host that would like the API key. Nothing may be written
outside staging, nothing may be left in staging, and the key goes only to the portal.
Real sockets (the address guard checks the peer it connected to), no CKAN: not marked
`ckan`; fast push/pull logic without sockets is in test_pull.py and test_push.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from portal.config import Settings
from portal.federation.client import CkanPortal
from portal.federation.mapping import DESCRIPTOR_EXTRA
from portal.federation.pull import pull
from portal.store import Store
from tests.packages import SAMPLE_PROJECTS

SAMPLE = SAMPLE_PROJECTS


class FakeServer:
    """Serves `packages` as CKAN's package_search and `files` at /files/<name>."""

    def __init__(self) -> None:
        self.packages: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.auth_seen: list[tuple[str, str | None]] = []
        self.redirects: dict[str, str] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self) -> None:
                outer.auth_seen.append((self.path, self.headers.get("Authorization")))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                if self.path.startswith("/redirect/"):
                    self.send_response(302)
                    self.send_header("Location", outer.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path.startswith("/files/"):
                    body = outer.files.get(self.path.removeprefix("/files/"), b"")
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                else:
                    action = self.path.rsplit("/", 1)[-1].split("?")[0]
                    if action == "package_search":
                        result: Any = {"count": len(outer.packages), "results": outer.packages}
                    else:
                        result = {"name": "evil", "title": "Evil"}
                    body = json.dumps({"success": True, "result": result}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _answer
            do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.close()


@pytest.fixture
def thief() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.close()


def _package(name: str, descriptor: dict[str, Any], url: str) -> dict[str, Any]:
    resources = [{"name": r["name"], "url": url} for r in descriptor["resources"]]
    return {
        "name": name,
        "organization": {"name": "evil"},
        "extras": [{"key": DESCRIPTOR_EXTRA, "value": json.dumps(descriptor)}],
        "resources": resources,
    }


def _sample_descriptor(path: str) -> dict[str, Any]:
    descriptor = json.loads((SAMPLE / "datapackage.json").read_text("utf-8"))
    descriptor["resources"][0]["path"] = path
    descriptor.pop("agency", None)
    return descriptor


def _nothing_left(settings: Settings) -> None:
    staging = settings.staging_dir
    assert not staging.exists() or list(staging.iterdir()) == []


@pytest.mark.parametrize(
    "path",
    ["/tmp/glasswall-hostile/abs.csv", "../../../escaped.csv", "data/../../escaped.csv",
     "datapackage.json", "C:\\evil.csv", "file:///etc/passwd"],
)  # fmt: skip
def test_a_hostile_path_is_refused_before_anything_is_written(
    store: Store, settings: Settings, fake: FakeServer, tmp_path: Path, path: str
) -> None:
    fake.files["p.csv"] = b"id\n1\n"
    fake.packages = [_package("evil", _sample_descriptor(path), f"{fake.url}/files/p.csv")]
    outcomes = pull(store, settings, CkanPortal(fake.url), None, "evil")
    assert [o.status for o in outcomes] == ["refused"]
    assert outcomes[0].reason["fa"] and outcomes[0].reason["en"]
    assert not Path("/tmp/glasswall-hostile/abs.csv").exists()
    assert not (settings.home / "escaped.csv").exists()
    assert not (tmp_path / "escaped.csv").exists()
    assert not any(p.name == "escaped.csv" for p in tmp_path.rglob("*"))
    assert not any(path.endswith("/files/p.csv") for path, _ in fake.auth_seen)
    _nothing_left(settings)


@pytest.mark.parametrize("name", ["../other", "a/b", "a%2fb", "a\\b", ".."])
def test_a_hostile_resource_name_is_refused(
    store: Store, settings: Settings, fake: FakeServer, name: str
) -> None:
    descriptor = _sample_descriptor("data/projects.csv")
    descriptor["resources"][0]["name"] = name
    fake.packages = [_package("evil", descriptor, f"{fake.url}/files/p.csv")]
    outcomes = pull(store, settings, CkanPortal(fake.url), None, "evil")
    assert [o.status for o in outcomes] == ["refused"]
    assert "name" in outcomes[0].reason["en"]


def test_a_file_then_a_folder_of_the_same_name_is_refused(
    store: Store, settings: Settings, fake: FakeServer
) -> None:
    descriptor = _sample_descriptor("data/x")
    second = {**descriptor["resources"][0], "name": "second", "path": "data/x/y.csv"}
    descriptor["resources"].append(second)
    fake.files["p.csv"] = (SAMPLE / "data" / "projects.csv").read_bytes()
    fake.packages = [_package("evil", descriptor, f"{fake.url}/files/p.csv")]
    outcomes = pull(store, settings, CkanPortal(fake.url), None, "evil")
    assert [o.status for o in outcomes] == ["refused"]
    _nothing_left(settings)


def test_an_oversized_download_stops_at_the_intake_budget(
    store: Store, settings: Settings, fake: FakeServer
) -> None:
    small = replace(settings, max_upload_bytes=64 * 1024)
    fake.files["big.csv"] = b"id\n" + b"1\n" * 200_000
    fake.packages = [
        _package("evil", _sample_descriptor("data/projects.csv"), f"{fake.url}/files/big.csv")
    ]
    outcomes = pull(store, small, CkanPortal(fake.url), None, "evil")
    assert [o.status for o in outcomes] == ["refused"]
    assert "larger than" in outcomes[0].reason["en"]
    _nothing_left(small)


def test_the_api_key_goes_only_to_the_portal(
    store: Store, settings: Settings, fake: FakeServer, thief: FakeServer
) -> None:
    data = (SAMPLE / "data" / "projects.csv").read_bytes()
    fake.files["p.csv"] = data
    thief.files["p.csv"] = data
    own = _package("own", _sample_descriptor("data/projects.csv"), f"{fake.url}/files/p.csv")
    stolen = _package("other", _sample_descriptor("data/projects.csv"), f"{thief.url}/files/p.csv")
    stolen["extras"][0]["value"] = json.dumps(
        {**json.loads(stolen["extras"][0]["value"]), "name": "other-projects"}
    )
    fake.packages = [own, stolen]
    # the thief is on loopback too: allowed here explicitly, as an operator would
    thief_host = thief.url.removeprefix("http://")
    portal = CkanPortal(fake.url, apikey="secret-key", allow_hosts=[thief_host])
    pull(store, settings, portal, None, "evil")
    assert thief.auth_seen, "the thief's resource was downloaded"
    assert all(auth is None for _, auth in thief.auth_seen)
    assert ("/files/p.csv", "secret-key") in fake.auth_seen


def _projects_package(name: str, url: str) -> dict[str, Any]:
    descriptor = _sample_descriptor("data/projects.csv")
    descriptor["name"] = name
    return _package(name, descriptor, url)


def test_a_resource_on_another_loopback_service_is_refused(
    store: Store, settings: Settings, fake: FakeServer, thief: FakeServer
) -> None:
    """Issue 21 (SSRF): a CKAN names a resource on a private or loopback service (here
    another port of 127.0.0.1, standing for an admin page or cloud metadata): refused
    before a byte is asked of it, in both languages, naming the URL; nothing published."""
    thief.files["p.csv"] = (SAMPLE / "data" / "projects.csv").read_bytes()
    inside = f"{thief.url}/files/p.csv"
    fake.packages = [_projects_package("inside", inside)]
    (outcome,) = pull(store, settings, CkanPortal(fake.url), None, "evil")
    assert outcome.status == "refused"
    assert inside in outcome.reason["en"] and "127.0.0.1" in outcome.reason["en"]
    assert "not a public address" in outcome.reason["en"]
    assert inside in outcome.reason["fa"] and "عمومی نیست" in outcome.reason["fa"]
    assert thief.auth_seen == []  # the internal service was never asked
    assert store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    _nothing_left(settings)


def test_a_redirect_from_the_portal_to_a_private_address_is_refused(
    store: Store, settings: Settings, fake: FakeServer, thief: FakeServer
) -> None:
    """The portal's own origin is allowed (the operator named it), but each redirect hop
    is checked again: a 302 to a loopback service is refused and that service is never asked."""
    thief.files["p.csv"] = (SAMPLE / "data" / "projects.csv").read_bytes()
    fake.redirects["/redirect/p.csv"] = f"{thief.url}/files/p.csv"
    fake.packages = [_projects_package("hop", f"{fake.url}/redirect/p.csv")]
    (outcome,) = pull(store, settings, CkanPortal(fake.url), None, "evil")
    assert outcome.status == "refused" and f"{thief.url}/files/p.csv" in outcome.reason["en"]
    assert thief.auth_seen == []
    assert ("/redirect/p.csv", None) in fake.auth_seen


@pytest.mark.parametrize("where", ["localhost", "[::1]", "0.0.0.0", "127.1"])
def test_other_spellings_of_this_machine_are_refused(
    store: Store, settings: Settings, fake: FakeServer, where: str
) -> None:
    """Names and spellings that resolve to loopback or the unspecified address (DNS
    resolution is checked, not the written host)."""
    port = fake.url.rsplit(":", 1)[1]
    fake.packages = [_projects_package("spelled", f"http://{where}:{port}/files/p.csv")]
    (outcome,) = pull(store, settings, CkanPortal(fake.url), None, "evil")
    assert outcome.status == "refused" and "not a public address" in outcome.reason["en"]
    assert not any(path.startswith("/files/") for path, _ in fake.auth_seen)


def test_an_allowed_host_is_fetched_and_published(
    store: Store, settings: Settings, fake: FakeServer, thief: FakeServer
) -> None:
    """The operator's explicit allowance (`host:port` here) lets a private host through,
    and only that one: the same host on another port stays refused."""
    thief.files["p.csv"] = (SAMPLE / "data" / "projects.csv").read_bytes()
    fake.packages = [_projects_package("allowed", f"{thief.url}/files/p.csv")]
    allowed = CkanPortal(fake.url, allow_hosts=[thief.url.removeprefix("http://")])
    assert [o.status for o in pull(store, settings, allowed, None, "evil")] == ["published"]
    other_port = CkanPortal(fake.url, allow_hosts=["127.0.0.1:9"])
    fake.packages = [_projects_package("other", f"{thief.url}/files/p.csv")]
    assert [o.status for o in pull(store, settings, other_port, None, "evil")] == ["refused"]


@pytest.mark.slow  # two whole `glasswall` commands: ~5 s
def test_the_cli_refuses_then_allows_with_allow_host(
    store: Store, settings: Settings, fake: FakeServer, thief: FakeServer
) -> None:
    from typer.testing import CliRunner

    from portal.cli import app

    thief.files["p.csv"] = (SAMPLE / "data" / "projects.csv").read_bytes()
    fake.packages = [_projects_package("inside", f"{thief.url}/files/p.csv")]
    base = ["--home", str(settings.home), "ckan", "pull", "--url", fake.url, "--as", "evil"]
    env = {"GLASSWALL_CKAN_ALLOW_HOSTS": ""}
    refused = CliRunner().invoke(app, base, env=env)
    assert refused.exit_code == 1 and "not a public address" in refused.output
    assert thief.auth_seen == []
    host = thief.url.removeprefix("http://")
    allowed = CliRunner().invoke(app, [*base, "--allow-host", host], env=env)
    assert allowed.exit_code == 0, allowed.output
    assert ("/files/p.csv", None) in thief.auth_seen
