"""`ckan pull` over the client's transport: a round trip, idempotence, and what it refuses.

Fast (no CKAN, no socket): `FakeCkan` answers at the transport edge. The real-CKAN round
trip is in test_federation.py; a CKAN that lies over real sockets in test_pull_hostile.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.config import Settings
from portal.errors import FederationFailed
from portal.federation.mapping import DESCRIPTOR_EXTRA
from portal.federation.pull import pull
from portal.federation.push import PushOptions, push
from portal.metadata.snapshot import SNAPSHOTS
from portal.store import Store, catalog
from tests.federation.fake_ckan import FakeCkan

YAZD = "mrud-yazd--infrastructure-projects"


@pytest.fixture
def pushed(samples: Store) -> FakeCkan:
    """A CKAN holding the four sample agencies, pushed by Glass Wall."""
    ckan = FakeCkan()
    push(samples, SNAPSHOTS.current(samples.home), ckan.portal(), PushOptions())
    return ckan


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[Store, Settings]:
    settings = Settings(home=tmp_path / "mirror")
    store = Store(settings.home)
    store.init()
    return store, settings


def _report(store: Store, agency: str, dataset: str) -> dict[str, object]:
    version = catalog.version(store.conn, agency, dataset)
    assert version is not None
    report: dict[str, object] = json.loads(store.objects.read_bytes(version.report_sha256))
    return report


def test_a_pushed_catalog_comes_back_byte_for_byte(
    samples: Store, pushed: FakeCkan, mirror: tuple[Store, Settings]
) -> None:
    store, settings = mirror
    outcomes = pull(store, settings, pushed.portal(), None, None)
    assert sorted((o.package, o.status) for o in outcomes) == sorted(
        (name, "published") for name in pushed.packages
    )
    for summary in catalog.datasets(samples.conn):
        mine = catalog.version(samples.conn, summary.agency, summary.dataset)
        theirs = catalog.version(store.conn, summary.agency, summary.dataset)
        assert mine is not None and theirs is not None
        assert [(r.name, r.sha256) for r in mine.resources] == [
            (r.name, r.sha256) for r in theirs.resources
        ]
        ours = _report(samples, summary.agency, summary.dataset)
        assert _report(store, summary.agency, summary.dataset)["findings"] == ours["findings"]
    again = pull(store, settings, pushed.portal(), "mrud-yazd", None)
    assert [(o.package, o.status) for o in again] == [(YAZD, "unchanged")]


def test_a_file_that_is_not_what_ckan_declares_is_refused(
    pushed: FakeCkan, mirror: tuple[Store, Settings]
) -> None:
    store, settings = mirror
    (resource,) = pushed.packages[YAZD]["resources"]
    pushed.files[resource["id"]] = pushed.files[resource["id"]].replace(b"\n", b"\r\n", 1)
    (outcome,) = pull(store, settings, pushed.portal(), "mrud-yazd", None)
    assert outcome.status == "refused" and resource["hash"] in outcome.reason["en"]
    assert catalog.datasets(store.conn) == []
    assert not any(settings.staging_dir.iterdir())


def test_a_foreign_package_is_refused_with_the_validators_reasons(
    mirror: tuple[Store, Settings],
) -> None:
    store, settings = mirror
    ckan = FakeCkan()
    portal = ckan.portal()
    portal.call("organization_create", name="city-council", title="City council")
    package = portal.call("package_create", name="budget-2025", owner_org="city-council")
    upload = {"upload": ("budget.csv", b"item,amount\nroads,100\n")}
    portal.call("resource_create", files=upload, package_id=package["id"], name="budget")
    (outcome,) = pull(store, settings, portal, "city-council", "city-council-mirror")
    assert outcome.status == "refused" and outcome.package == "budget-2025"
    assert "description-too-short" in outcome.reason["en"]
    assert outcome.reason["fa"].startswith("اعتبارسنجی نپذیرفت")
    assert catalog.datasets(store.conn) == []


def test_a_descriptor_that_is_not_json_is_refused(
    pushed: FakeCkan, mirror: tuple[Store, Settings]
) -> None:
    store, settings = mirror
    extras = pushed.packages[YAZD]["extras"]
    for extra in extras:
        if extra["key"] == DESCRIPTOR_EXTRA:
            extra["value"] = "{not json"
    (outcome,) = pull(store, settings, pushed.portal(), "mrud-yazd", None)
    assert outcome.status == "refused" and DESCRIPTOR_EXTRA in outcome.reason["en"]


def test_pulling_into_an_agency_that_publishes_itself_is_refused(
    samples: Store, settings: Settings, pushed: FakeCkan
) -> None:
    with pytest.raises(FederationFailed) as refused:
        pull(samples, settings, pushed.portal(), "mrud-yazd", None)
    assert refused.value.key == "ckan.not_a_mirror"
