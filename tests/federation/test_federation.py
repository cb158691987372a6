"""Push into and pull from a real CKAN 2.11: round trip, idempotence, updates and errors."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from portal.config import Settings, load_settings
from portal.federation.client import CkanPortal
from portal.federation.pull import pull
from portal.federation.push import PushOptions, push
from portal.metadata.snapshot import SNAPSHOTS
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.store.agencies import create_token
from tests.federation.conftest import Stand
from tests.packages import copy_sample, edit_descriptor, set_cell

pytestmark = [pytest.mark.ckan, pytest.mark.slow]
YAZD = "mrud-yazd--infrastructure-projects"


def push_all(store: Store, portal: CkanPortal, **options: object) -> dict[str, int]:
    report = push(store, SNAPSHOTS.current(store.home), portal, PushOptions(**options))  # type: ignore[arg-type]
    actions = [s.action for s in report.steps]
    return {a: actions.count(a) for a in set(actions)}


def modified(portal: CkanPortal) -> dict[str, str]:
    return {
        n: portal.call("package_show", id=n)["metadata_modified"]
        for n in portal.call("package_list")
    }


def findings(store: Store, agency: str, dataset: str) -> list[tuple]:

    version = catalog.version(store.conn, agency, dataset)
    assert version is not None
    report = json.loads(store.objects.read_bytes(version.report_sha256))
    rows = [
        (f["code"], f["severity"], f.get("resource"), f.get("row"), f.get("field"))
        for f in report["findings"]
    ]
    return [*sorted(rows, key=repr), ("score", report["score"]["total"])]


def test_round_trip_through_ckan(samples: Store, ckan: Stand, tmp_path: Path) -> None:
    portal = ckan.portal()
    first = push_all(samples, portal)
    assert first == {"create_organization": 4, "create_package": 4, "upload_resource": 6}
    package = portal.call("package_show", id=YAZD)
    version = catalog.version(samples.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["glasswall_manifest_sha256"] == version.manifest_sha256
    assert package["organization"]["name"] == "mrud-yazd" and package["title"]
    (resource,) = package["resources"]
    assert resource["hash"] == version.resources[0].sha256 and '"primaryKey"' in resource["schema"]
    body = httpx.get(resource["url"], headers={"Authorization": ckan.apikey}).content
    assert hashlib.sha256(body).hexdigest() == version.resources[0].sha256
    org = portal.call("organization_show", id="mrud-yazd", include_datasets=True)
    assert [p["name"] for p in org["packages"]] == [YAZD]
    assert portal.call("package_search", fq="organization:mrud-yazd")["count"] == 1

    # A second push with nothing new changes nothing on CKAN.
    before = modified(portal)
    portal.calls = 0
    assert push_all(samples, portal) == {"unchanged": 4}
    assert modified(portal) == before

    # Pull everything into a fresh store: same datasets, bytes and findings.
    other = Store(tmp_path / "mirror")
    other.init()
    settings = load_settings(tmp_path / "mirror")
    outcomes = pull(other, settings, portal, None, None)
    assert sorted((o.package, o.status) for o in outcomes) == sorted(
        (name, "published") for name in before
    )
    for summary in catalog.datasets(samples.conn):
        mine = catalog.version(samples.conn, summary.agency, summary.dataset)
        theirs = catalog.version(other.conn, summary.agency, summary.dataset)
        assert mine is not None and theirs is not None
        assert [(r.name, r.sha256) for r in mine.resources] == [
            (r.name, r.sha256) for r in theirs.resources
        ]
        assert findings(samples, summary.agency, summary.dataset) == findings(
            other, summary.agency, summary.dataset
        )
    with pytest.raises(Exception, match="mirror"):
        create_token(other.conn, "mrud-yazd")
    assert {o.status for o in pull(other, settings, portal, "mrud-yazd", None)} == {"unchanged"}


def test_a_new_version_updates_only_its_package(
    samples: Store, ckan: Stand, settings: Settings, tmp_path: Path
) -> None:
    portal = ckan.portal()
    push_all(samples, portal)
    before = modified(portal)
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "beneficiaries", "77")
    publish(samples, folder, settings, agency_slug="mrud-yazd")
    assert push_all(samples, portal) == {"update_package": 1, "upload_resource": 1, "unchanged": 3}
    after = modified(portal)
    assert {n for n in after if after[n] != before[n]} == {YAZD}
    package = portal.call("package_show", id=YAZD)
    version = catalog.version(samples.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None and version.number == 2
    assert package["resources"][0]["hash"] == version.resources[0].sha256
    assert len(package["resources"]) == 1
    assert {e["key"]: e["value"] for e in package["extras"]}["glasswall_version"] == "2"


def test_dry_run_sends_nothing_and_prune_deletes_only_when_asked(
    samples: Store, ckan: Stand
) -> None:
    portal = ckan.portal()
    plan = push_all(samples, portal, dry_run=True)
    assert plan == {"create_organization": 4, "create_package": 4, "upload_resource": 6}
    assert portal.call("package_list") == [] and portal.call("organization_list") == []
    push_all(samples, portal, agency="mrud-yazd")
    portal.call("package_create", name="mrud-yazd--old-report", owner_org="mrud-yazd", title="Old")
    assert push_all(samples, portal, agency="mrud-yazd") == {"unchanged": 1}
    assert "mrud-yazd--old-report" in portal.call("package_list")
    assert push_all(samples, portal, agency="mrud-yazd", prune=True) == {
        "unchanged": 1,
        "delete_package": 1,
    }
    assert portal.call("package_list") == [YAZD]


@pytest.fixture(autouse=True)
def home(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `glasswall` processes below find the test's store through GLASSWALL_HOME."""
    monkeypatch.setenv("GLASSWALL_HOME", str(settings.home))


def glasswall(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "glasswall"), "--lang", "en", *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}
    )


def test_each_failure_is_a_clear_error_with_exit_code_1(samples: Store, ckan: Stand) -> None:
    unreachable = glasswall("ckan", "push", "--url", "http://127.0.0.1:9", "--apikey", "x")
    assert (
        unreachable.returncode == 1
        and "Could not reach the CKAN portal" in unreachable.stdout + unreachable.stderr
    )
    wrong_key = glasswall("ckan", "push", "--url", ckan.url, "--apikey", "not-a-key")
    assert wrong_key.returncode == 1 and "403" in wrong_key.stdout + wrong_key.stderr
    ckan.portal().call("group_create", name="mrud-khuzestan")  # CKAN then refuses the organization
    rejected = glasswall("ckan", "push", "--url", ckan.url, "--apikey", ckan.apikey)
    output = rejected.stdout + rejected.stderr
    assert rejected.returncode == 1 and "rejected organization_create" in output
    assert "already exists" in output


class StallingProxy:
    """A real HTTP proxy in front of CKAN that stops answering after `answer` requests."""

    def __init__(self, target: str, answer: int) -> None:
        self.count = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return None

            def _forward(self) -> None:
                proxy.count += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.count > answer:
                    time.sleep(5)  # longer than the client's timeout
                    self.close_connection = True
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                reply = httpx.request(
                    self.command, target + self.path, headers=headers, content=body, timeout=60
                )
                self.send_response(reply.status_code)
                for key, value in reply.headers.items():
                    if key.lower() not in (
                        "transfer-encoding",
                        "content-encoding",
                        "content-length",
                        "connection",
                    ):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def stalling(ckan: Stand) -> Iterator[StallingProxy]:
    proxy = StallingProxy(ckan.url, answer=9)
    yield proxy
    proxy.close()


def test_a_push_cut_off_by_a_timeout_resumes(
    samples: Store, ckan: Stand, stalling: StallingProxy
) -> None:
    cut = glasswall(
        "ckan", "push", "--url", stalling.url, "--apikey", ckan.apikey,
        env={"GLASSWALL_CKAN_TIMEOUT": "2"},
    )  # fmt: skip
    output = cut.stdout + cut.stderr
    assert (
        cut.returncode == 1
        and "did not answer" in output
        and "run the same command again" in output
    )
    portal = ckan.portal()
    half = portal.call("package_list")
    assert len(half) < 4
    resumed = glasswall("ckan", "push", "--url", ckan.url, "--apikey", ckan.apikey)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert len(portal.call("package_list")) == 4
    for summary in catalog.datasets(samples.conn):
        version = catalog.version(samples.conn, summary.agency, summary.dataset)
        assert version is not None
        package = portal.call("package_show", id=f"{summary.agency}--{summary.dataset}")
        assert sorted((r["name"], r["hash"]) for r in package["resources"]) == sorted(
            (r.name, r.sha256) for r in version.resources
        )
    again = glasswall("ckan", "push", "--url", ckan.url, "--apikey", ckan.apikey)
    assert "4 datasets unchanged" in again.stdout


def test_link_mode_points_resources_at_stable_download_urls(samples: Store, ckan: Stand) -> None:
    portal = ckan.portal()
    base = "https://glasswall.example.ir"
    assert push_all(samples, portal, agency="mrud-yazd", link=True, base_url=base) == {
        "create_organization": 1,
        "create_package": 1,
        "upload_resource": 1,
    }
    (resource,) = portal.call("package_show", id=YAZD)["resources"]
    assert resource["url"] == f"{base}/download/mrud-yazd/infrastructure-projects/1/projects.csv"
    assert resource["url_type"] in (None, "")


def test_pull_refuses_a_foreign_package_and_says_why(
    ckan: Stand, store: Store, settings: Settings, tmp_path: Path
) -> None:
    portal = ckan.portal()
    portal.call("organization_create", name="city-council", title="City council")
    package = portal.call(
        "package_create", name="budget-2025", owner_org="city-council", title="Budget"
    )
    data = tmp_path / "budget.csv"
    data.write_text("item,amount\nroads,100\n", encoding="utf-8")
    with data.open("rb") as handle:
        portal.call(
            "resource_create",
            package_id=package["id"],
            name="budget",
            format="CSV",
            files={"upload": ("budget.csv", handle)},
        )
    outcomes = pull(store, settings, portal, "city-council", "city-council-mirror")
    (outcome,) = outcomes
    assert outcome.status == "refused" and outcome.package == "budget-2025"
    assert "description-too-short" in outcome.reason["en"] or "publisher" in outcome.reason["en"]
    assert outcome.reason["fa"].startswith("اعتبارسنجی نپذیرفت")
    assert catalog.datasets(store.conn) == []
    said = glasswall("ckan", "pull", "--url", ckan.url, "--org", "city-council", "--as", "cc")
    assert said.returncode == 1 and "budget-2025: refused." in said.stdout


def test_a_dropped_resource_stays_on_ckan_unless_pruned(
    samples: Store, ckan: Stand, settings: Settings, tmp_path: Path
) -> None:
    portal = ckan.portal()
    folder = copy_sample(tmp_path / "pkg")
    (folder / "data" / "notes.csv").write_text("id,note\n1,first\n", encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    notes = {
        "name": "notes",
        "path": "data/notes.csv",
        "format": "csv",
        "schema": {
            "fields": [{"name": "id", "type": "integer"}, {"name": "note", "type": "string"}]
        },
    }
    edit_descriptor(folder, resources=[*descriptor["resources"], notes])
    publish(samples, folder, settings, agency_slug="mrud-yazd")  # version 2: projects + notes
    push_all(samples, portal, agency="mrud-yazd")
    assert len(portal.call("package_show", id=YAZD)["resources"]) == 2
    publish(samples, copy_sample(tmp_path / "plain"), settings, agency_slug="mrud-yazd")  # v3
    kept = push_all(samples, portal, agency="mrud-yazd")
    assert kept == {"update_package": 1, "keep_resource": 1}
    assert [r["name"] for r in portal.call("package_show", id=YAZD)["resources"]] == [
        "projects",
        "notes",
    ]
    pruned = push_all(samples, portal, agency="mrud-yazd", prune=True)
    assert pruned == {"unchanged": 1, "delete_resource": 1}
    assert [r["name"] for r in portal.call("package_show", id=YAZD)["resources"]] == ["projects"]
