"""One publish policy (issue 24.2): the CLI, `POST /api/publish` and the Publish page each
admit their publisher once (one authentication, and over HTTP or the page one count
against the publish limit) and publish through `publish_as`, which authenticates nothing
again. Before, a publish from the page looked its token up three times."""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from portal.app import open_data_app
from portal.config import Settings
from portal.intake import limits
from portal.publishing import publish
from portal.publishing.admission import Publisher, admit
from portal.replication.remote import zip_source
from portal.store import Store, catalog, members
from portal.store import agencies as tokens
from portal.web import context
from tests.cli_runs import run
from tests.packages import copy_sample

PAGE = """
import streamlit as st
from portal.web.navigation import build
from portal.web.site import RENDERERS
st.navigation(build(RENDERERS), position="hidden")
RENDERERS["publish"]()
"""


@dataclass
class Seen:
    """What happened while something ran: token look-ups, publish-limit counts and
    publications (each with the publisher and the function that asked for it)."""

    lookups: int = 0
    counts: int = 0
    published: list[tuple[str, str]] = field(default_factory=list)

    def since(self, other: Seen) -> tuple[int, int, int]:
        return (
            self.lookups - other.lookups,
            self.counts - other.counts,
            len(self.published) - len(other.published),
        )

    def copy(self) -> Seen:
        return Seen(self.lookups, self.counts, list(self.published))


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    """Spies around the real functions (each still runs): every authentication hashes the
    presented token, every count goes through `check_rate`, every publication `_publish`."""
    record = Seen()
    hashed, counted, published = tokens.token_hash, limits.check_rate, publish._publish

    def token_hash(token: str) -> str:
        record.lookups += 1
        return hashed(token)

    def check_rate(*args: Any, **kwargs: Any) -> None:
        record.counts += 1
        counted(*args, **kwargs)

    def _publish(store: Store, source: Path, settings: Settings, member: Publisher, **kw: Any):
        caller = inspect.stack()[1].function
        record.published.append((member.agency.slug, caller))
        return published(store, source, settings, member, **kw)

    monkeypatch.setattr(tokens, "token_hash", token_hash)
    monkeypatch.setattr(members, "token_hash", token_hash)
    monkeypatch.setattr(limits, "check_rate", check_rate)
    monkeypatch.setattr(publish, "_publish", _publish)
    return record


def _page(settings: Settings, token: str) -> AppTest:
    context.register(settings)
    app = AppTest.from_string(PAGE, default_timeout=90)
    app.query_params["lang"] = "en"
    app.run()
    app.text_input(key="token").set_value(token).run()
    assert not app.exception, app.exception
    return app


def test_a_publish_from_the_page_authenticates_once(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str, seen: Seen
) -> None:
    app = _page(settings, yazd_token)
    archive = zip_source(copy_sample(tmp_path / "pkg"))
    before = seen.copy()
    app.file_uploader(key="package").set_value(("pkg.zip", archive, "application/zip")).run()
    assert not app.exception and not app.error, (app.exception, [e.value for e in app.error])
    assert seen.since(before)[1:] == (1, 0)  # the upload counted once, nothing published
    before = seen.copy()
    app.run()  # the page as it draws itself again, without publishing
    drawing = seen.since(before)
    assert drawing[1:] == (0, 0)
    before = seen.copy()
    app.button(key="publish_now").click().run()
    assert not app.exception and not app.error, (app.exception, [e.value for e in app.error])
    lookups, counts, publications = seen.since(before)
    assert (lookups - drawing[0], counts, publications) == (1, 0, 1)  # was (3, 0, 1)
    assert seen.published == [("mrud-yazd", "publish_as")]
    assert catalog.version(store.conn, "mrud-yazd", "infrastructure-projects") is not None


def test_the_api_admits_once_and_publishes_through_publish_as(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str, seen: Seen
) -> None:
    client = TestClient(open_data_app(settings))
    archive = zip_source(copy_sample(tmp_path / "pkg"))
    before = seen.copy()
    response = client.post(
        "/api/publish",
        headers={"Authorization": f"Bearer {yazd_token}"},
        files={"package": ("pkg.zip", archive, "application/zip")},
    )
    assert response.status_code == 201, response.text
    assert seen.since(before) == (1, 1, 1)  # was (3, 1, 1)
    assert seen.published == [("mrud-yazd", "publish_as")]


def test_the_cli_admits_once_and_publishes_through_publish_as(
    tmp_path: Path, settings: Settings, yazd_token: str, seen: Seen
) -> None:
    """The CLI publishes on this machine: one look-up, no count (the limit guards HTTP)."""
    folder = copy_sample(tmp_path / "pkg")
    before = seen.copy()
    code, said = run("--home", str(settings.home), "publish", str(folder), "--token", yazd_token)
    assert code == 0, said
    assert seen.since(before) == (1, 0, 1)  # was (2, 0, 1)
    assert seen.published == [("mrud-yazd", "publish_as")]


def _calls(module: Any) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def test_every_way_in_calls_publish_as_and_nothing_else_publishes() -> None:
    from portal.api import publish_route
    from portal.cli import root as cli
    from portal.federation import pull
    from portal.publishing import demo
    from portal.web.views import publish as page

    for way_in in (cli, publish_route, page, pull, demo):
        called = _calls(way_in)
        assert "publish_as" in called and "publish" not in called, way_in.__name__
        assert "publish_rate" not in called, way_in.__name__  # only `admit` counts


def test_store_and_settings_must_name_the_same_home(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    member = admit(store, settings, yazd_token, count=False)
    elsewhere = Settings(home=tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="elsewhere"):
        publish.publish_as(store, copy_sample(tmp_path / "pkg"), elsewhere, member)
