"""Unexplained changes are refused the same way by the CLI (exit 1) and HTTP (422), with
the list in Persian and English; an explanation file or form field lets them through."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from portal.app import open_data_app
from portal.cli import app
from portal.config import Settings
from portal.replication.remote import zip_source
from portal.store import Store
from portal.store.agencies import create_token
from portal.store.attachments import attachment
from portal.store.catalog import version
from tests.packages import copy_sample
from tests.trust.changes import PROJECT_CHANGES

EXPLAIN = """\
- code: end-date-moved
  project: mrud-yazd-0003
  fa: تأخیر در تحویل زمین
  en: Late land handover
"""


def test_cli_refuses_then_publishes_with_explain(
    tmp_path: Path, store: Store, yazd_token: str, first_version: Path
) -> None:
    PROJECT_CHANGES["end-date-moved"][0](first_version)
    runner = CliRunner()
    home = ["--home", str(store.home)]
    refused = runner.invoke(app, [*home, "publish", str(first_version), "--token", yazd_token])
    assert refused.exit_code == 1
    assert "planned end date moved from 2025-08-05 to 2026-08-05" in refused.stdout
    assert "تاریخ پایان برنامه‌ریزی‌شدهٔ طرح mrud-yazd-0003" in refused.stdout
    assert "1 change against the published version needs a public explanation" in refused.stderr
    explain = tmp_path / "explain.yaml"
    explain.write_text(EXPLAIN, encoding="utf-8")
    args = ["publish", str(first_version), "--token", yazd_token, "--explain", str(explain)]
    published = runner.invoke(app, [*home, *args])
    assert published.exit_code == 0, published.output
    v2 = version(store.conn, "mrud-yazd", "infrastructure-projects", 2)
    assert v2 is not None
    [change] = attachment(store, v2, "explanations")["changes"]
    assert change["reason"] == {"fa": "تأخیر در تحویل زمین", "en": "Late land handover"}


def test_cli_names_a_missing_or_bad_explain_file(
    tmp_path: Path, store: Store, yazd_token: str, first_version: Path
) -> None:
    runner = CliRunner()
    publish = ["--home", str(store.home), "publish", str(first_version), "--token", yazd_token]
    missing = runner.invoke(app, [*publish, "--explain", "nope.yaml"])
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("- code: x\n  en: y\n", encoding="utf-8")
    refused = runner.invoke(app, [*publish, "--explain", str(bad)])
    assert refused.exit_code == 2 and "bad.yaml, entry 1" in refused.stderr


def test_http_refuses_with_422_and_the_list_then_accepts_the_form_field(
    store: Store, settings: Settings, yazd_token: str, first_version: Path
) -> None:
    client = TestClient(open_data_app(settings))
    PROJECT_CHANGES["end-date-moved"][0](first_version)
    headers = {"Authorization": f"Bearer {yazd_token}"}
    files = {"package": ("pkg.zip", zip_source(first_version), "application/zip")}
    refused = client.post("/api/publish", headers=headers, files=files)
    assert refused.status_code == 422
    body = refused.json()
    assert body["error"]["code"] == "revisions.unexplained"
    [finding] = body["report"]["findings"]
    assert finding["code"] == "end-date-moved" and set(finding["message"]) == {"fa", "en"}
    accepted = client.post(
        "/api/publish", headers=headers, files=files, data={"explanations": EXPLAIN}
    )
    assert accepted.status_code == 201 and accepted.json()["published"]["version"] == 2
    bad = client.post("/api/publish", headers=headers, files=files, data={"explanations": "- [x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "explain.unreadable"


@pytest.mark.slow
def test_publish_to_a_running_portal_with_explain(
    served: str, store: Store, tmp_path: Path
) -> None:
    token = create_token(store.conn, "mrud-yazd")
    folder = copy_sample(tmp_path / "pkg")
    PROJECT_CHANGES["end-date-moved"][0](folder)
    runner = CliRunner()
    args = ["--home", str(store.home), "publish", str(folder), "--token", token, "--portal", served]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    assert "planned end date moved from 2025-08-05 to 2026-08-05" in refused.stdout
    explain = tmp_path / "explain.yaml"
    explain.write_text(EXPLAIN, encoding="utf-8")
    published = runner.invoke(app, [*args, "--explain", str(explain)])
    assert published.exit_code == 0, published.output
    history = httpx.get(f"{served}/api/projects/mrud-yazd/mrud-yazd-0003/history").json()
    [change] = history["result"]["changes"]
    assert change["reason"]["en"] == "Late land handover"
