"""A citizen's glass wall in a real Chromium: every page, both languages, a phone, a keyboard.

One served portal for the whole module (the pages only read the store), so the walk over
every page in both languages and two widths stays a few minutes on two cores.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from portal.config import load_settings
from portal.i18n import text
from portal.publishing.demo import DATASETS_DIR, publish_samples
from portal.serving.launch import free_port, start_server, wait_until_healthy
from portal.store import Store
from tests.browser.citizen_checks import document_language, problems, serious_violations, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "",
    "projects",
    "projects?project=mrud-yazd-0001",
    "indicators",
    "dataset",
    "dataset?dataset=mrud-yazd/infrastructure-projects",
    "agencies",
    "agencies?agency=mrud-yazd",
    "publish",
    "about",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def citizen_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample agencies published once and served on 127.0.0.1 for this module."""
    home = tmp_path_factory.mktemp("citizen") / "var"
    settings = load_settings(home)
    store = Store(settings.home)
    store.init()
    publish_samples(store, settings)
    store.close()
    port = free_port()
    log_path = home.parent / "server.log"
    with log_path.open("w") as log:
        process = start_server(settings.home, port, log)
        url = f"http://127.0.0.1:{port}"
        if not wait_until_healthy(url):
            process.kill()
            pytest.fail(log_path.read_text())
        yield url
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    """One tab for the whole walk (a fresh Streamlit session per address anyway)."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _address(url: str, path: str, lang: str) -> str:
    joiner = "&" if "?" in path else "?"
    return f"{url}/{path}{joiner}lang={lang}"


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_reads_right_and_is_accessible(
    tab: Page, citizen_url: str, path: str, lang: str
) -> None:
    """The document's language and direction; axe-core (WCAG 2.2 A/AA) with no serious or
    critical violation at desktop and phone width; 24 px targets; on a Persian page no
    English that is not data, no Latin digit outside data, every Persian text right to left,
    the sidebar on the right."""
    tab.set_viewport_size(DESKTOP)
    tab.goto(_address(citizen_url, path, lang))
    settle(tab)
    assert document_language(tab) == ((lang, "rtl") if lang == "fa" else (lang, "ltr"))
    found = problems(tab, lang)
    sidebar = tab.locator('[data-testid="stSidebar"]')
    box = sidebar.bounding_box() if sidebar.is_visible() else None
    if lang == "fa" and box is not None and box["x"] + box["width"] < DESKTOP["width"] - 5:
        found.append(f"sidebar on the left: {box}")
    tab.set_viewport_size(PHONE)
    settle(tab)
    found += [f"phone {v}" for v in serious_violations(tab)]
    width = tab.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        found.append(f"phone: the page is {width} px wide")
    assert found == []


def _sample_projects() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(DATASETS_DIR.glob("*/data/projects.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def _tab_until(page: Page, test: str, limit: int = 120) -> None:
    """Press Tab until `test` (a JS expression over `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({test}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def test_keyboard_only_journey(tab: Page, citizen_url: str) -> None:
    """Language switch, search, a project, a download: all with the keyboard alone."""
    tab.set_viewport_size(DESKTOP)
    tab.goto(f"{citizen_url}/?lang=fa")
    settle(tab)
    _tab_until(tab, "el.getAttribute('role') === 'radio'")  # the language switch
    for key in ("ArrowLeft", "ArrowRight"):  # a radio group: arrows move, Space chooses
        if tab.evaluate("document.activeElement.innerText.trim()") != "English":
            tab.keyboard.press(key)
    assert tab.evaluate("document.activeElement.innerText.trim()") == "English"
    tab.keyboard.press("Space")
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    settle(tab)
    tab.goto(f"{citizen_url}/projects?lang=fa")
    settle(tab)
    search = text("web.search", "fa")
    _tab_until(tab, f"el.tagName === 'INPUT' && el.getAttribute('aria-label') === '{search}'")
    tab.keyboard.type("پایانه فرودگاه")
    tab.keyboard.press("Enter")
    settle(tab)
    titles = [row["title_fa"] for row in _sample_projects()]
    written = sum("پایانهٔ فرودگاه" in title for title in titles)  # as agencies spell it
    assert written > 0
    shown = text("web.showing", "fa", shown=written, total=len(titles))
    expect(tab.get_by_text(shown)).to_be_visible()
    _tab_until(
        tab,
        "el.getAttribute('role') === 'combobox' || el.tagName === 'INPUT' && "
        "el.closest('[data-testid=\"stSelectbox\"]')",
    )
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    settle(tab)
    expect(tab.get_by_role("heading", name=re.compile("فرودگاه")).first).to_be_visible()
    _tab_until(tab, "el.closest('[data-testid=\"stDownloadButton\"]')")
    with tab.expect_download() as download:
        tab.keyboard.press("Enter")
    saved = Path(download.value.path())
    body = saved.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads Persian only with the BOM
    assert "filtered" in download.value.suggested_filename
    assert os.path.getsize(saved) > 100
