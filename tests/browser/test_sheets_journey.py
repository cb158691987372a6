"""A clerk in Chromium: profile, template, a Persian workbook, corrections, publish, disclosure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import Portal, screenshot
from tests.browser.test_journeys import wait_for_app
from tests.intake.sheets.books import clerk_filled_template

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def tall(page: Page) -> None:
    """Streamlit scrolls inside its own container: a tall window shows the whole report."""
    wait_for_app(page)
    height = page.evaluate(
        "document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 900"
    )
    page.set_viewport_size({"width": 1280, "height": min(max(int(height), 900), 4000)})
    wait_for_app(page)


def test_clerk_publishes_a_workbook(page: Page, portal: Portal, tmp_path: Path) -> None:
    page.goto(f"{portal.url}/publish?lang=fa")
    wait_for_app(page)
    token = page.locator('input[type="password"]')
    token.fill(portal.token)
    token.press("Enter")
    expect(page.get_by_text(re.compile("وارد شدید|Signed in"))).to_be_visible()

    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("نام پاسخ‌گو").fill("روابط عمومی")
    form.get_by_label("رایانامهٔ پاسخ‌گو").fill("opendata@mrud-yazd.example.ir")
    form.get_by_label("منبع داده (فارسی)").fill("سامانهٔ پایش طرح‌ها (نمونه)")
    form.get_by_role("button", name="ذخیرهٔ مشخصات").click()
    expect(page.get_by_text("مشخصات ذخیره شد.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="دریافت الگوی طرح‌ها (اکسل)").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert load_workbook(template).worksheets[0]["A1"].value == "شناسه طرح"
    book = clerk_filled_template(template, tmp_path / "طرح‌ها.xlsx")

    page.locator('input[type="file"]').set_input_files(str(book))
    expect(page.get_by_text(re.compile("^منتشر نشد"))).to_be_visible()
    expect(page.get_by_text("تاریخ شروع: ۳ مورد تاریخ شمسی، ردیف‌های ۳ تا ۵")).to_be_visible()
    tall(page)
    screenshot(page, "publish-sheet-report-fa")
    with page.expect_download() as marked:
        page.get_by_role("button", name=re.compile("کارپوشهٔ نشانه‌گذاری‌شده")).click()
    copy = tmp_path / "marked.xlsx"
    marked.value.save_as(copy)
    assert load_workbook(copy)["طرح‌ها"]["L3"].comment is not None

    apply = page.get_by_role("button", name=re.compile(r"^اعمال [۰-۹]+ اصلاح پیشنهادی$"))
    apply.click()
    expect(page.get_by_text(re.compile("^آمادهٔ انتشار"))).to_be_visible()
    expect(page.get_by_text(re.compile("مقدار در راه ورود یکسان‌سازی شد")).first).to_be_visible()
    tall(page)
    screenshot(page, "publish-sheet-ready-fa")
    page.get_by_role("button", name="انتشار", exact=True).click()
    expect(page.get_by_text(re.compile("نسخهٔ ۱"))).to_be_visible()

    page.goto(f"{portal.url}/dataset?lang=fa&dataset=mrud-yazd/yazd-sheet-projects")
    disclosure = page.get_by_text(re.compile("^[۰-۹]+ مقدار در راه ورود یکسان‌سازی شد$"))
    expect(disclosure).to_be_visible()
    disclosure.click()
    table = page.locator('[data-testid="stTable"]')
    expect(table.get_by_text("طرح‌ها!K3")).to_be_visible()
    expect(table.get_by_text("2023-08-08")).to_be_visible()
    tall(page)
    screenshot(page, "dataset-normalised-fa")
