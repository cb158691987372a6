"""Issue 22 in a real Chromium on a 390 px phone: what a citizen reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.store import Store
from tests.browser.conftest import Portal, screenshot
from tests.browser.test_journeys import wait_for_app
from tests.packages import copy_sample
from tests.trust.changes import publish_revisions

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DATASET = "mrud-yazd/infrastructure-projects"
RAW_AMOUNT = re.compile(r"\d{7,}")


@pytest.fixture
def phone(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return tab


def test_a_change_reads_one_way_on_a_persian_phone(
    phone: Page, portal: Portal, store: Store, tmp_path: Path
) -> None:
    """The revision view from v1 to v3 and the project history: labels, units, words."""
    publish_revisions(store, portal.settings, portal.token, copy_sample(tmp_path / "pkg"))
    phone.goto(f"{portal.url}/dataset?lang=fa&dataset={DATASET}&rev_from=1&rev_to=3")
    wait_for_app(phone)
    heading = phone.get_by_text("تغییرهایی که دستگاه از نسخهٔ ۲ تا نسخهٔ ۳ توضیح داده است")
    expect(heading).to_be_visible()
    said = phone.get_by_text("اعتبار: از ۳٬۲۸۳ میلیارد ریال به ۶٬۵۶۶ میلیارد ریال")
    expect(said.first).to_be_visible()
    explained = heading.locator("xpath=ancestor::*[@data-testid='stVerticalBlock'][1]")
    text = explained.inner_text()
    assert not RAW_AMOUNT.search(text) and "budget_irr" not in text and "→" not in text
    card = phone.locator(".gw-pcard", has_text="mrud-yazd-0003").first
    expect(card).to_be_visible()  # the revised rows as cards on a phone, the grid hidden
    assert not phone.locator(".st-key-gw_wide_rev_projects").is_visible()
    card.scroll_into_view_if_needed()
    screenshot(phone, "h-citizen-revision-fa-390")

    phone.goto(f"{portal.url}/projects?lang=fa&project=mrud-yazd-0003")
    wait_for_app(phone)
    history = phone.get_by_text("پیشرفت فیزیکی: از ۵۰٫۲٪ به ۴۰٪")
    expect(history.first).to_be_visible()
    expect(phone.locator(".gw-pcard", has_text="۶٬۵۶۶ میلیارد ریال").first).to_be_visible()
    assert not phone.locator(".st-key-gw_wide_history").is_visible()
    history.first.scroll_into_view_if_needed()
    screenshot(phone, "h-citizen-history-fa-390")


def test_a_province_name_finds_its_projects_on_a_phone(phone: Page, portal: Portal) -> None:
    """«خوزستان» in the projects search found «۰ طرح از ۸۰»; the API's `q` agrees."""
    phone.goto(f"{portal.url}/projects?lang=fa")
    wait_for_app(phone)
    search = phone.get_by_label(re.compile("جست‌وجوی طرح‌ها"))
    search.fill("خوزستان")
    search.press("Enter")
    expect(phone.get_by_text("۴۸ طرح از ۸۰")).to_be_visible()
    screenshot(phone, "h-citizen-search-province-fa-390")
    answer = phone.request.get(
        f"{portal.url}/api/3/action/datastore_search",
        params={"resource_id": "mrud-khuzestan/infrastructure-projects/projects", "q": "خوزستان"},
    )
    assert answer.ok and answer.json()["result"]["total"] == 48


def test_a_shared_filtered_address_opens_filtered_and_follows_changes(
    phone: Page, portal: Portal
) -> None:
    phone.goto(f"{portal.url}/projects?province=IR-21&status=implementation")
    wait_for_app(phone)
    expect(phone.get_by_text("۷ طرح از ۸۰")).to_be_visible()
    chosen = phone.get_by_text("پالایه‌های برگزیده — استان: یزد؛ وضعیت: در حال اجرا")
    expect(chosen).to_be_visible()  # on the page itself: the sidebar is closed on a phone
    screenshot(phone, "h-citizen-filters-fa-390")
    search = phone.get_by_label(re.compile("جست‌وجوی طرح‌ها"))
    search.fill("میبد")
    search.press("Enter")
    expect(phone).to_have_url(re.compile(r"q=%D9%85%DB%8C%D8%A8%D8%AF"))
    assert "province=IR-21" in phone.url and "status=implementation" in phone.url


def test_unknown_addresses_say_not_found_with_a_way_back(phone: Page, portal: Portal) -> None:
    """Before the dashboard mounts the door answers 404, in both languages with a way
    home (the dashboard's own answer is tested in tests/web/test_addresses.py)."""
    for address in (
        "/projects?project=does-not-exist",
        "/agencies?agency=nope",
        "/dataset?dataset=nope/x",
    ):
        answer = phone.goto(f"{portal.url}{address}")
        assert answer is not None and answer.status == 404, address
        expect(phone.locator("h1")).to_be_visible()
        expect(phone.locator('a[href="/"]')).to_be_visible()
        expect(phone.locator('a[href="/?lang=en"]')).to_be_visible()
    screenshot(phone, "h-citizen-not-found-fa-390")


def test_small_words_on_a_phone(phone: Page, portal: Portal) -> None:
    """«امروز», no «·» beside Persian digits, Streamlit's own hint in Persian, and English
    charts without right-to-left isolates."""
    phone.goto(f"{portal.url}/?lang=fa")
    wait_for_app(phone)
    expect(phone.get_by_text(re.compile("آخرین انتشار امروز")).first).to_be_visible()
    body = phone.locator('[data-testid="stMain"]').inner_text()
    assert "۰ روز پیش" not in body
    assert not re.search("[۰-۹]\\s*·|·\\s*[۰-۹]", body)
    screenshot(phone, "h-citizen-home-fa-390")

    phone.goto(f"{portal.url}/projects?lang=fa")
    wait_for_app(phone)
    search = phone.get_by_label(re.compile("جست‌وجوی طرح‌ها"))
    search.click()
    search.press_sequentially("یزد")
    expect(phone.get_by_text("برای اعمال Enter را بزنید")).to_be_visible()
    assert phone.get_by_text("Press Enter to apply").count() == 0

    phone.goto(f"{portal.url}/indicators?lang=en")
    wait_for_app(phone)
    chart = phone.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    labels = chart.locator("text").all_text_contents()
    assert labels and not any("\u2067" in label or "\u2069" in label for label in labels)
    chart.scroll_into_view_if_needed()
    screenshot(phone, "h-citizen-indicators-en-390")


def test_projects_are_cards_on_a_phone_and_a_table_on_a_wide_screen(
    phone: Page, browser: Browser, portal: Portal
) -> None:
    phone.goto(f"{portal.url}/projects?province=IR-06")
    wait_for_app(phone)
    cards = phone.locator("a.gw-pcard")
    expect(cards.first).to_be_visible()
    assert cards.count() == 30
    first = cards.first
    expect(first).to_contain_text("احداث تقاطع غیرهمسطح در مسجدسلیمان")  # the whole title
    expect(first).to_contain_text("اعتبار ۷۹۶ میلیارد ریال")
    box = first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert not phone.locator('[data-testid="stDataFrame"]').first.is_visible()
    screenshot(phone, "h-citizen-cards-fa-390")
    first.click()  # tapping a card opens it, the filters kept
    wait_for_app(phone)
    expect(phone.locator("h3#card")).to_contain_text("احداث تقاطع غیرهمسطح در مسجدسلیمان")
    assert "project=mrud-khuzestan-0001" in phone.url and "province=IR-06" in phone.url
    screenshot(phone, "h-citizen-card-opened-fa-390")

    wide = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    wide.goto(f"{portal.url}/projects?province=IR-06")
    wait_for_app(wide)
    expect(wide.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert not wide.locator("a.gw-pcard").first.is_visible()
    screenshot(wide, "h-citizen-table-fa-1280")
    wide.context.close()


def test_the_map_draws_31_provinces_on_a_phone(phone: Page, portal: Portal) -> None:
    for lang, name in (("fa", "خوزستان"), ("en", "Khuzestan")):
        phone.goto(f"{portal.url}/?lang={lang}")
        wait_for_app(phone)
        drawn = phone.locator("svg.gw-map")
        expect(drawn).to_be_visible()
        assert drawn.locator("path").count() == 31
        box = drawn.bounding_box()
        assert box is not None and box["width"] > 300 and box["x"] + box["width"] <= 390
        expect(drawn.locator(f'path[aria-label^="{name}: "]')).to_have_count(1)
        drawn.scroll_into_view_if_needed()
        screenshot(phone, f"h-citizen-map-{lang}-390")
