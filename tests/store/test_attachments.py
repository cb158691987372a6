"""A version's attachments are objects named in its manifest, so the log hash covers them."""

from __future__ import annotations

from pathlib import Path

from portal.store import Store
from portal.store.agencies import add_agency
from portal.store.attachments import attachment, manifest
from portal.store.writer import NewResource, commit_version


def test_attachments_are_named_in_the_manifest(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    store.init()
    add_agency(store.conn, "acme", "آکمه", "Acme")
    data = tmp_path / "t.csv"
    data.write_text("id\n1\n", encoding="utf-8")
    resource = NewResource("t", "data/t.csv", data, "text/csv", 1)
    changes = {"changes": [{"cell": "A2", "old": "۱", "new": "1"}]}
    version, same = commit_version(
        store,
        "acme",
        "d",
        "D",
        {"name": "d"},
        {"valid": True},
        [resource],
        attachments={"normalisation": changes},
    )
    assert not same
    assert attachment(store, version, "normalisation") == changes
    assert attachment(store, version, "explanations") is None
    assert set(manifest(store, version)["attachments"]) == {"normalisation"}
