"""`ckan push` over the client's transport: what it sends, in which order, and how it resumes.

Fast (no CKAN, no socket): `FakeCkan` answers at the transport edge. The same behaviours
against a real CKAN 2.11 are in test_federation.py (marked ckan, slow).
"""

from __future__ import annotations

import hashlib

import pytest
import requests

from portal.errors import FederationFailed
from portal.federation.client import CkanPortal
from portal.federation.mapping import COMPLETE_EXTRA, extras_of
from portal.federation.push import PushOptions, push
from portal.metadata.snapshot import SNAPSHOTS
from portal.store import Store, catalog
from tests.federation.fake_ckan import FakeCkan, error

YAZD = "mrud-yazd--infrastructure-projects"


def push_all(store: Store, portal: CkanPortal, **options: bool | str) -> dict[str, int]:
    chosen = PushOptions(**options)  # type: ignore[arg-type]
    actions = [s.action for s in push(store, SNAPSHOTS.current(store.home), portal, chosen).steps]
    return {a: actions.count(a) for a in set(actions)}


def test_a_push_sends_each_file_once_and_marks_the_package_complete_last(
    samples: Store,
) -> None:
    ckan = FakeCkan()
    assert push_all(samples, ckan.portal(apikey="key"), agency="mrud-yazd") == {
        "create_organization": 1,
        "create_package": 1,
        "upload_resource": 1,
    }
    assert ckan.calls == [
        "organization_show",
        "organization_create",
        "package_show",
        "package_create",  # without the mark
        "resource_create",
        "package_patch",  # the mark, last
    ]
    assert push_all(samples, ckan.portal(apikey="key")) == {
        "unchanged": 1,
        "create_organization": 3,
        "create_package": 3,
        "upload_resource": 5,
    }
    version = catalog.version(samples.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    package = ckan.packages[YAZD]
    assert extras_of(package)[COMPLETE_EXTRA] == version.manifest_sha256
    (resource,) = package["resources"]
    assert resource["hash"] == version.resources[0].sha256
    assert hashlib.sha256(ckan.files[resource["id"]]).hexdigest() == resource["hash"]
    assert set(ckan.keys_seen) == {"key"}


def test_a_second_push_only_reads(samples: Store) -> None:
    ckan = FakeCkan()
    push_all(samples, ckan.portal())
    ckan.calls.clear()
    assert push_all(samples, ckan.portal()) == {"unchanged": 4}
    assert ckan.writes() == []


def test_a_dry_run_writes_nothing(samples: Store) -> None:
    ckan = FakeCkan()
    plan = push_all(samples, ckan.portal(), dry_run=True)
    assert plan == {"create_organization": 4, "create_package": 4, "upload_resource": 6}
    assert ckan.writes() == [] and ckan.packages == {}


def test_a_push_cut_off_before_its_mark_resumes_with_what_is_missing(samples: Store) -> None:
    ckan = FakeCkan()

    def stalls() -> tuple[int, dict[str, object]]:
        raise requests.Timeout("no answer")

    ckan.fail["resource_create"] = stalls
    with pytest.raises(FederationFailed) as cut:
        push_all(samples, ckan.portal())
    assert cut.value.key == "ckan.timeout" and cut.value.exit_code == 1
    (half,) = ckan.packages.values()
    assert half["resources"] == [] and COMPLETE_EXTRA not in extras_of(half)
    ckan.calls.clear()
    assert push_all(samples, ckan.portal()) == {
        "create_organization": 3,
        "create_package": 3,
        "update_package": 1,
        "upload_resource": 6,
    }
    assert all(COMPLETE_EXTRA in extras_of(p) for p in ckan.packages.values())


@pytest.mark.parametrize(
    ("failure", "key", "said"),
    [
        (lambda: error(403, "Authorization Error", message="Access denied"), "ckan.forbidden", ""),
        (
            lambda: error(409, "Validation Error", name=["Group name already exists"]),
            "ckan.rejected",
            "Group name already exists",
        ),
        (lambda: error(500, "Internal Server Error"), "ckan.failed", "500"),
    ],
)
def test_each_refusal_of_the_portal_is_a_clear_error(
    samples: Store, failure: object, key: str, said: str
) -> None:
    ckan = FakeCkan()
    ckan.fail["organization_create"] = failure  # type: ignore[assignment]
    with pytest.raises(FederationFailed) as refused:
        push_all(samples, ckan.portal())
    assert refused.value.key == key and refused.value.exit_code == 1
    assert "organization_create" in refused.value.message["en"]
    assert said in refused.value.message["en"]
    assert refused.value.message["fa"] != refused.value.message["en"]


def test_an_unreachable_portal_is_a_clear_error(samples: Store) -> None:
    ckan = FakeCkan()

    def refuses() -> tuple[int, dict[str, object]]:
        raise requests.ConnectionError("connection refused")

    ckan.fail["organization_show"] = refuses
    with pytest.raises(FederationFailed) as refused:
        push_all(samples, ckan.portal())
    assert refused.value.key == "ckan.unreachable"


def test_a_dropped_resource_stays_unless_pruned(samples: Store) -> None:
    ckan = FakeCkan()
    push_all(samples, ckan.portal(), agency="mrud-yazd")
    ckan.packages[YAZD]["resources"].append({"id": "old", "name": "old-table"})
    assert push_all(samples, ckan.portal(), agency="mrud-yazd") == {
        "unchanged": 1,
        "keep_resource": 1,
    }
    assert push_all(samples, ckan.portal(), agency="mrud-yazd", prune=True) == {
        "unchanged": 1,
        "delete_resource": 1,
    }
    assert [r["name"] for r in ckan.packages[YAZD]["resources"]] == ["projects"]
