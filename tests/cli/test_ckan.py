"""`glasswall ckan push` as a person reads it: each step in Persian and English."""

from __future__ import annotations

from typing import Any

import pytest

import portal.federation.client as client_module
from portal.config import Settings
from portal.federation.client import CkanPortal
from portal.i18n import size
from portal.store import Store, catalog
from tests.cli_runs import run
from tests.federation.fake_ckan import URL, FakeCkan


def test_a_dry_run_says_each_upload_in_units_and_each_version_in_words(
    samples: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan said "upload resource … (9397 bytes)" and "(v1)" in inline English, in the
    Persian lines too; now the catalogs say them («۹٫۲ کیلوبایت», "9.2 KB")."""
    monkeypatch.setenv("GLASSWALL_HOME", str(settings.home))
    ckan = FakeCkan()

    def to_the_fake(url: str, *args: Any, **options: Any) -> CkanPortal:
        assert url == URL
        return ckan.portal()

    monkeypatch.setattr(client_module, "CkanPortal", to_the_fake)
    code, said = run("ckan", "push", "--url", URL, "--dry-run", "--agency", "mrud-yazd")
    assert code == 0, said
    assert ckan.writes() == []
    version = catalog.version(samples.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    (entry,) = version.resources
    assert entry.bytes > 1024
    lines = said.splitlines()
    upload = [line for line in lines if entry.name in line and "infrastructure-projects/" in line]
    assert len(upload) == 2, said  # one line a language
    assert upload[0].endswith(f"({size(entry.bytes, 'fa')})") and "کیلوبایت" in upload[0]
    assert upload[1].endswith(f"({size(entry.bytes, 'en')})") and " KB)" in upload[1]
    assert "bytes" not in said and "(v1)" not in said
    assert any(line.endswith("(نسخهٔ ۱)") for line in lines)
    assert any(line.endswith("(version 1)") for line in lines)
