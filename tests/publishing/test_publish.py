"""Publishing: tokens bind to agencies, invalid packages store nothing, versions number up."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import Settings
from portal.errors import Forbidden, InvalidPackage, Unauthorized
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.store.agencies import add_agency, create_token, revoke_token
from portal.store.objects import sha256_file
from portal.store.verify import verify_store
from tests.packages import copy_sample, edit_descriptor, set_cell


def test_publish_stores_exact_bytes_and_numbers_versions(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    first = publish(store, folder, settings, token=yazd_token)
    assert (first.version.number, first.unchanged) == (1, False)
    entry = first.version.resource("projects")
    assert entry is not None and entry.rows == 32
    assert sha256_file(folder / "data" / "projects.csv")[0] == entry.sha256
    assert (
        store.objects.path(entry.sha256).read_bytes()
        == (folder / "data" / "projects.csv").read_bytes()
    )

    again = publish(store, folder, settings, token=yazd_token)
    assert (again.version.number, again.unchanged) == (1, True)

    set_cell(folder, 0, "beneficiaries", "41500")
    second = publish(store, folder, settings, token=yazd_token)
    assert second.version.number == 2
    assert [
        v.number for v in catalog.versions(store.conn, "mrud-yazd", "infrastructure-projects")
    ] == [1, 2]
    assert verify_store(store) == []


def test_invalid_package_stores_nothing(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 2, "budget_irr", "twelve")
    with pytest.raises(InvalidPackage) as caught:
        publish(store, folder, settings, token=yazd_token)
    finding = next(f for f in caught.value.report.findings if f.severity == "error")
    assert (finding.code, finding.row, finding.field, finding.cell) == (
        "type-error",
        4,
        "budget_irr",
        "twelve",
    )
    assert caught.value.exit_code == 1 and caught.value.http_status == 422
    assert catalog.datasets(store.conn) == []
    assert list(store.objects.all()) == []
    lines, fragment = store.log.read()  # the agency's titles alone
    assert [line.entry["type"] for line in lines if line.entry] == ["agency"] and fragment == ""


def test_package_of_another_agency_is_refused(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    other = add_agency(store.conn, "mrud-khuzestan", "راه خوزستان", "Roads Khuzestan")
    folder = copy_sample(tmp_path / "pkg")  # declares agency mrud-yazd
    with pytest.raises(Forbidden) as caught:
        publish(store, folder, settings, token=other)
    assert caught.value.http_status == 403
    assert "mrud-yazd" in caught.value.message["fa"]
    assert catalog.datasets(store.conn) == []


def test_token_publishes_only_into_its_own_agency(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    other = add_agency(store.conn, "mrud-khuzestan", "راه خوزستان", "Roads Khuzestan")
    folder = copy_sample(tmp_path / "pkg")
    edit_descriptor(folder, agency=None)  # no claim: the token decides the agency
    descriptor = (folder / "datapackage.json").read_text().replace('"agency": null, ', "")
    (folder / "datapackage.json").write_text(descriptor)
    result = publish(store, folder, settings, token=other)
    assert result.version.agency == "mrud-khuzestan"
    assert catalog.version(store.conn, "mrud-yazd", "infrastructure-projects") is None


def test_revoked_and_unknown_tokens_are_refused(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    spare = create_token(store.conn, "mrud-yazd")
    revoke_token(store.conn, yazd_token)
    with pytest.raises(Unauthorized) as revoked:
        publish(store, folder, settings, token=yazd_token)
    assert revoked.value.key == "token.revoked"
    with pytest.raises(Unauthorized) as unknown:
        publish(store, folder, settings, token="gw_not-a-real-token")
    assert unknown.value.key == "token.unknown"
    with pytest.raises(Unauthorized):
        publish(store, folder, settings, token=None)
    assert publish(store, folder, settings, token=spare).version.number == 1


def test_tokens_are_stored_only_as_hashes(store: Store, yazd_token: str) -> None:
    stored = [row[0] for row in store.conn.execute("SELECT token_hash FROM tokens")]
    assert yazd_token not in stored
    assert yazd_token not in store.db_path.read_bytes().decode("latin-1")
