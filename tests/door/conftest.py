from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from portal.config import Settings
from portal.door.front import Door
from portal.publishing.demo import DATASETS_DIR
from portal.publishing.publish import publish
from portal.store import Store, writing
from tests.trust.changes import PROJECT_CHANGES


async def dashboard(scope: Scope, receive: Receive, send: Send) -> None:
    """Stands where Streamlit stands: says so, so a test sees what was passed on."""
    await PlainTextResponse("the dashboard")(scope, receive, send)


@pytest.fixture
def door(samples: Store, settings: Settings) -> TestClient:
    """The door over the four published sample agencies, in-process."""
    return TestClient(Door(dashboard, settings.home))


def republish(settings: Settings, tmp_path: Path, title: str, budget_reason: str = "") -> int:
    """Publish the Yazd projects again with a new Persian title (and, given a reason, a
    revised budget explained by it): a new version."""
    folder = tmp_path / "again"
    shutil.copytree(DATASETS_DIR / "mrud-yazd", folder)
    if budget_reason:
        PROJECT_CHANGES["budget-changed"][0](folder)
        explained = f"- code: budget-changed\n  fa: {budget_reason}\n  en: {budget_reason}\n"
        (folder / "explanations.yaml").write_text(explained, encoding="utf-8")
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title_fa"] = title
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with writing(settings.home) as store:
        result = publish(store, folder, settings, agency_slug="mrud-yazd")
    assert not result.unchanged
    return result.version.number
