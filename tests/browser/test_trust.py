"""Trust across versions in a real Chromium: a revision with its explanation, a project's
history on its card, and the Atom feed served by the open-data app behind the same port."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Page, expect

from portal.store import Store
from tests.browser.conftest import Portal, screenshot
from tests.browser.test_journeys import wait_for_app
from tests.packages import copy_sample
from tests.trust.changes import BUDGET_REASON, PROGRESS_REASON, publish_revisions

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DATASET = "mrud-yazd/infrastructure-projects"


def test_explained_revisions_histories_and_feeds(
    page: Page, portal: Portal, store: Store, tmp_path: Path
) -> None:
    token = portal.token
    assert publish_revisions(store, portal.settings, token, copy_sample(tmp_path / "pkg")) == [
        1,
        2,
        3,
    ]

    page.goto(f"{portal.url}/dataset?lang=en&dataset={DATASET}&rev_from=1&rev_to=2")
    wait_for_app(page)
    explained = page.get_by_text("Changes explained by the agency in version 2")
    expect(explained).to_be_visible()
    # at 1280 px the phone cards (hidden) hold the reason too
    expect(page.get_by_text(BUDGET_REASON["en"]).filter(visible=True).first).to_be_visible()
    explained.scroll_into_view_if_needed()
    screenshot(page, "revision-explained-en")
    feeds = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert [feeds.nth(i).get_attribute("href") for i in range(feeds.count())] == [
        "/feeds/publications.atom",
        f"/feeds/{DATASET}.atom",
    ]

    page.goto(f"{portal.url}/dataset?lang=fa&dataset={DATASET}&rev_from=2&rev_to=3")
    wait_for_app(page)
    explained = page.get_by_text("تغییرهایی که دستگاه در نسخهٔ ۳ توضیح داده است")
    expect(explained).to_be_visible()
    explained.scroll_into_view_if_needed()
    screenshot(page, "revision-explained-fa")

    page.goto(f"{portal.url}/projects?lang=en&project=mrud-yazd-0003")
    wait_for_app(page)
    history = page.get_by_text("History across versions")
    expect(history).to_be_visible()
    expect(page.get_by_text(PROGRESS_REASON["en"])).to_be_visible()
    history.scroll_into_view_if_needed()
    screenshot(page, "project-history-en")

    page.goto(f"{portal.url}/projects?lang=fa&project=mrud-yazd-0003")
    wait_for_app(page)
    history = page.get_by_text("تاریخچه در نسخه‌ها")
    expect(history).to_be_visible()
    expect(page.get_by_text(BUDGET_REASON["fa"])).to_be_visible()
    history.scroll_into_view_if_needed()
    screenshot(page, "project-history-fa")

    # The feed link on the page leads to the open-data app, not to the glass wall's HTML.
    response = page.request.get(f"{portal.url}/feeds/{DATASET}.atom")
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.body())
    assert not parsed.bozo and [e.title[-1] for e in parsed.entries] == ["3", "2", "1"]
