"""The two-way channel in a real browser: a citizen flags a figure, the agency corrects it
in a new version and answers in public, the citizen reads the answer and the revision."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Portal, screenshot
from tests.browser.test_journeys import _zip, sign_in, wait_for_app
from tests.packages import copy_sample, set_cell

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT = "/projects?lang=fa&project=mrud-yazd-0001"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_flag_is_answered_with_a_correction(page: Page, portal: Portal, tmp_path: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # The citizen, in Persian, flags the budget of a project.
    page.goto(portal.url + PROJECT)
    wait_for_app(page)
    page.get_by_text("پرسش دربارهٔ یک رقم یا گزارش نادرستی آن").click()
    page.get_by_text("رقمی نادرست به نظر می‌رسد").click()
    message = "<b>اعتبار</b> این طرح در گزارش استانداری کمتر آمده است."
    box = page.get_by_label("پیام شما (حداکثر ۵۰۰ نویسه)")
    box.fill(message)
    expect(page.get_by_text(re.compile(rf"{len(message)}/500"))).to_be_visible()  # live counter
    page.get_by_label("نام شما (اختیاری، کنار پیامتان نمایش داده می‌شود)").fill("سارا")
    page.get_by_role("textbox", name="رایانامه یا تلفن (اختیاری)").fill("sara@example.org")
    page.get_by_role("button", name="ارسال").click()
    expect(page.get_by_text(re.compile("با شمارهٔ ۱ دریافت شد"))).to_be_visible()
    expect(page.get_by_text("در انتظار بررسی دستگاه: ۱")).to_be_visible()
    page.get_by_text(re.compile("با شمارهٔ ۱ دریافت شد")).scroll_into_view_if_needed()
    screenshot(page, "feedback-flag-fa")

    # The agency publishes the corrected figure, then answers "corrected in version 2".
    fixed = copy_sample(tmp_path / "fixed")
    set_cell(fixed, 0, "budget_irr", "1100000000000")
    sign_in(page, portal)
    page.locator('input[type="file"]').set_input_files(str(_zip(fixed, tmp_path / "fixed.zip")))
    # A changed budget needs a public explanation before the version can be published.
    reason = page.get_by_label("Explanation")
    reason.fill("Corrected after a citizen's flag: the governorate's figure was right.")
    reason.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published as version 2.")).to_be_visible()
    expect(page.get_by_text("Questions and flags to handle: 1")).to_be_visible()
    expect(page.get_by_text(message)).to_be_visible()  # shown to the agency as text
    answer_box = page.get_by_label("Answer")
    answer_box.fill("درست می‌گویید؛ رقم در نسخهٔ ۲ اصلاح شد.")
    answer_box.press("Control+Enter")  # commit the text before the next widget reruns the page
    wait_for_app(page)
    outcome = page.get_by_role("combobox", name="Outcome")
    # While the rerun settles, Streamlit may briefly show the stale form beside the new one.
    expect(outcome).to_have_count(1)
    outcome.click()
    outcome.fill("Corrected")  # the selectbox filters its options as one types
    page.keyboard.press("Enter")
    wait_for_app(page)
    version = page.get_by_label("Corrected in version")
    version.fill("2")
    version.press("Enter")  # a number input commits its value on Enter
    wait_for_app(page)
    page.get_by_text("Questions and flags to handle: 1").scroll_into_view_if_needed()
    screenshot(page, "feedback-answer-en")
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.get_by_text("Questions and flags to handle: 0")).to_be_visible()

    # The citizen's page shows the answer and links to the revision view.
    page.goto(portal.url + PROJECT)
    wait_for_app(page)
    expect(page.get_by_text("درست می‌گویید؛ رقم در نسخهٔ ۲ اصلاح شد.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^پاسخ؛ .+؛ در نسخهٔ ۲ اصلاح شد$"))).to_be_visible()
    expect(page.get_by_text(message)).to_be_visible()
    assert "sara@example.org" not in page.content()
    page.get_by_text("درست می‌گویید؛ رقم در نسخهٔ ۲ اصلاح شد.").scroll_into_view_if_needed()
    screenshot(page, "feedback-answered-fa")
    page.get_by_role("link", name="تغییرات نسخهٔ ۲ را ببینید").click()
    expect(page).to_have_url(re.compile("rev_to=2"))
    expect(page.get_by_text(re.compile("۱ رقم تغییر کرده است"))).to_be_visible()
    assert dialogs == []
