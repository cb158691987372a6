"""Issue 22, the phone's last words, in a real Chromium at 390 px: the card a shared address
names, an address that names nothing chosen, bars and addresses read in their direction,
labels inside their tiles, a table toolbar that covers nothing, a cite page that fits."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Portal, screenshot
from tests.browser.test_journeys import wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PARTLY_BUILT = "mrud-khuzestan-0001"  # 35.8 % physical progress in the samples


@pytest.fixture
def phone(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return tab


def _projects(phone: Page, portal: Portal) -> None:
    phone.goto(f"{portal.url}/projects?lang=fa")
    wait_for_app(phone)
    expect(phone.locator(".gw-pcard").first).to_be_visible()
    phone.wait_for_timeout(1000)
    assert "project=" not in phone.url  # nobody chose a project: none in the address

    phone.goto(f"{portal.url}/projects?lang=fa&project={PARTLY_BUILT}")
    wait_for_app(phone)
    card = phone.locator("#card")
    expect(card).to_be_in_viewport(timeout=15_000)  # the card, not the list above it
    track = phone.locator('[data-testid="stProgressBarTrack"]').first
    fill = track.locator("xpath=./div").first
    track_box, fill_box = track.bounding_box(), fill.bounding_box()
    assert track_box and fill_box
    shown_left = max(fill_box["x"], track_box["x"])
    shown_right = min(fill_box["x"] + fill_box["width"], track_box["x"] + track_box["width"])
    # the filled part touches the right end (where a Persian reader starts), not the left
    assert abs(shown_right - (track_box["x"] + track_box["width"])) < 1
    assert shown_left > track_box["x"] + track_box["width"] * 0.5
    screenshot(phone, "phone-reading-card-fa-390")


def _feeds_and_toolbar(phone: Page, portal: Portal) -> None:
    phone.goto(f"{portal.url}/dataset?lang=fa&dataset=mrud-yazd/infrastructure-projects")
    wait_for_app(phone)
    feeds = phone.locator("a.gw-url")
    expect(feeds.first).to_be_attached()
    for index in range(feeds.count()):
        link = feeds.nth(index)
        assert link.evaluate("e => getComputedStyle(e).direction") == "ltr"
        # one unit: a wrapped address does not show its second half first
        assert link.evaluate("e => getComputedStyle(e).display") == "inline-block"
    frame = phone.locator('[data-testid="stDataFrame"]:visible').first
    frame.scroll_into_view_if_needed()
    frame.hover()
    toolbar = phone.locator('[data-testid="stElementToolbar"]:visible').first
    expect(toolbar).to_be_visible()
    bar = toolbar.bounding_box()
    block = frame.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
    above = block.evaluate(
        "e => { const p = e.previousElementSibling;"
        " return p ? p.getBoundingClientRect().bottom : 0; }"
    )
    assert bar and bar["y"] >= above - 1  # the toolbar covers nothing written above it


def _tiles(phone: Page, portal: Portal) -> None:
    phone.goto(f"{portal.url}/?lang=en")
    wait_for_app(phone)
    chart = phone.locator(".stPlotlyChart", has_text="Hormozgan").first
    chart.scroll_into_view_if_needed()
    phone.wait_for_timeout(1000)
    sizes = chart.evaluate(
        """e => {
          const widths = [...e.querySelectorAll('.shapelayer path')]
            .map(p => p.getBoundingClientRect().width).sort((a, b) => a - b);
          const tile = widths[Math.floor(widths.length / 2)];
          const labels = [...e.querySelectorAll('g.annotation text')]
            .map(t => [t.textContent, t.getBoundingClientRect().width]);
          return {tile, labels};
        }"""
    )
    assert len(sizes["labels"]) == 31
    spilling = [name for name, width in sizes["labels"] if width > sizes["tile"]]
    assert spilling == [], (sizes["tile"], spilling)
    screenshot(phone, "phone-reading-tiles-en-390")


def _cite(phone: Page, portal: Portal) -> None:
    phone.goto(f"{portal.url}/cite/mrud-yazd/infrastructure-projects/1/projects/7/budget_irr")
    width = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert width <= 0  # nothing wider than the phone
    # a Persian word is never broken in the middle: only long Latin runs may wrap anywhere
    assert phone.evaluate("getComputedStyle(document.querySelector('dd')).wordBreak") != (
        "break-all"
    )


def test_a_phone_reads_the_last_words_of_issue_22(phone: Page, portal: Portal) -> None:
    _projects(phone, portal)
    _feeds_and_toolbar(phone, portal)
    _tiles(phone, portal)
    _cite(phone, portal)
