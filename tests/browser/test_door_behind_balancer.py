"""Behind HAProxy (`serve --workers 2`) a page can come from the balancer's cache, without
the sticky cookie: the dashboard must still start on it, its session held by one worker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from portal.config import Settings
from portal.serving.balancer import COOKIE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATASET = "/dataset?dataset=mrud-yazd/infrastructure-projects"


def _worker_cookies(settings: Settings) -> set[str]:
    config = (settings.home / "run" / "haproxy.cfg").read_text(encoding="utf-8")
    return set(re.findall(r"^\s*server w\d \S+ cookie (\S+) ", config, flags=re.MULTILINE))


def test_the_dashboard_starts_on_a_page_from_the_balancers_cache(
    browser: Browser, balanced: str, settings: Settings
) -> None:
    for visit in ("first after the start", "from the cache"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        with tab.expect_response(lambda r: r.url.endswith(DATASET)) as document:
            tab.goto(f"{balanced}{DATASET}")
        # The dashboard draws the dataset page over its websocket (the door's HTML is gone).
        expect(tab.locator("[data-testid='stMain']")).to_contain_text("یزد", timeout=60_000)
        expect(tab.locator("[data-testid='stException']")).to_have_count(0)
        answer = document.value.all_headers()
        assert "set-cookie" not in answer, visit
        assert ("age" in answer) == (visit == "from the cache"), visit
        # The dashboard's own requests were given a worker's cookie, before its websocket.
        held = {c["name"]: c["value"] for c in context.cookies()}
        assert held.get(COOKIE) in _worker_cookies(settings), visit
        context.close()
