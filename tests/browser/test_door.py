"""A phone with scripts off reads every page in Persian, from the server's HTML alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.citizen_checks import document_language, persian_leaks, serious_violations
from tests.browser.conftest import ARTIFACTS, Portal

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "/",
    "/projects",
    "/projects?project=mrud-yazd-0001",
    "/dataset",
    "/dataset?dataset=mrud-yazd/infrastructure-projects",
    "/indicators",
    "/agencies",
    "/agencies?agency=mcls-yazd",
    "/about",
]


@pytest.fixture
def phone_without_scripts(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture
def phone_with_scripts_refused(browser: Browser) -> Iterator[Page]:
    """The page's own scripts never load (so the DOM is the scripts-off page), while axe-core,
    which needs JavaScript to run, can still be injected: with scripts disabled it never
    answers."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.route("**/*.js", lambda route: route.abort())
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def test_every_page_reads_in_persian_with_scripts_off(
    portal: Portal, phone_without_scripts: Page, phone_with_scripts_refused: Page
) -> None:
    page, audited = phone_without_scripts, phone_with_scripts_refused
    found: dict[str, list[str]] = {}
    for address in PAGES:
        response = page.goto(portal.url + address)
        assert response is not None and response.status == 200
        problems = []
        if document_language(page) != ("fa", "rtl"):
            problems.append(f"document language {document_language(page)}")
        text = page.inner_text("body")
        if "JavaScript" in text or not page.locator("h1").is_visible():
            problems.append("no heading, or the English shell text")
        leaks = persian_leaks(page)
        problems += [
            f"{kind}: {v}" for kind in ("leaks", "latinDigits", "notRtl") for v in leaks[kind]
        ]
        audited.goto(portal.url + address)
        assert audited.locator(".gw-door").count() == 1  # the dashboard did not take over
        problems += [f"axe: {v}" for v in serious_violations(audited)]
        if problems:
            found[address] = problems
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = address.strip("/").replace("?", "-").replace("=", "-").replace("/", "-") or "home"
        page.screenshot(path=str(ARTIFACTS / f"door-nojs-{name}.png"), full_page=True)
    assert not found, found
