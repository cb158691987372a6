"""Issue 21, item 1: the Publish page parsed uploads of a token already at its rate limit.

Who is uploading and whether the agency may still publish this hour are settled before a
byte of the upload is parsed, on the page as on `POST /api/publish`; one upload counts
once however often the page runs again, and publishing it does not count it twice.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from portal.config import Settings
from portal.errors import TooManyRequests, Unauthorized
from portal.i18n import text
from portal.intake.limits import publish_rate
from portal.publishing.admission import admit
from portal.publishing.publish import validate_source
from portal.store import Store
from portal.web import context
from tests.intake.sheets.degenerate import DEGENERATE, HOSTILE

PAGE = """
import streamlit as st
from portal.web.navigation import build
from portal.web.site import RENDERERS
st.navigation(build(RENDERERS), position="hidden")
RENDERERS["publish"]()
"""
LIMITED = text("api.publish_rate_limited", "en", retry_after=1)[:30]


def _corrupt(folder: Path) -> Path:
    write, _ = DEGENERATE["corrupt xlsx"]
    return write(folder)


def test_a_token_at_its_limit_has_nothing_parsed(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    limited = replace(settings, publish_per_hour=1)
    publish_rate(settings.home, "mrud-yazd", 1)  # the hour's one publication, over the API
    for write, _ in (DEGENERATE["corrupt xlsx"], HOSTILE["cell at XFD90000"]):
        with pytest.raises(TooManyRequests):
            _check_as_the_page_does(store, write(tmp_path), limited, yazd_token)


def test_an_unknown_token_is_refused_before_parsing(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    with pytest.raises(Unauthorized):
        _check_as_the_page_does(store, _corrupt(tmp_path), settings, "gw_wrong")


def _check_as_the_page_does(store: Store, source: Path, settings: Settings, token: str) -> None:
    """Admitted first (one authentication, one count), parsed only then."""
    member = admit(store, settings, token)
    validate_source(source, settings, agency=member.agency.slug)


def _page(settings: Settings, token: str) -> AppTest:
    context.register(settings)
    app = AppTest.from_string(PAGE, default_timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    app.text_input(key="token").set_value(token).run()
    assert not app.exception, app.exception
    return app


def _upload(app: AppTest, path: Path) -> list[str]:
    app.file_uploader(key="package").set_value((path.name, path.read_bytes(), "application/zip"))
    app.run()
    assert not app.exception, app.exception
    return [e.value for e in app.error]


def test_the_page_parses_no_upload_of_a_token_at_its_limit(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    limited = replace(settings, publish_per_hour=1)
    publish_rate(settings.home, "mrud-yazd", 1)
    errors = _upload(_page(limited, yazd_token), _corrupt(tmp_path))
    corrupt = text("sheets.corrupt", "en", file="broken.xlsx")
    assert corrupt not in errors
    assert any(e.startswith(LIMITED) for e in errors), errors


def test_the_page_counts_an_upload_once(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    limited = replace(settings, publish_per_hour=2)
    app = _page(limited, yazd_token)
    corrupt = text("sheets.corrupt", "en", file="broken.xlsx")
    assert _upload(app, _corrupt(tmp_path)) == [corrupt]
    app.run()  # any click runs the page again: the same upload, not a new attempt
    app.run()
    assert [e.value for e in app.error] == [corrupt]
    second = tmp_path / "second"
    second.mkdir()
    assert _upload(app, _corrupt(second)) == [corrupt]  # the hour's second attempt
    third = tmp_path / "third"
    third.mkdir()
    errors = _upload(app, _corrupt(third))
    assert corrupt not in errors and any(e.startswith(LIMITED) for e in errors), errors
