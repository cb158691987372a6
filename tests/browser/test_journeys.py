"""Journeys through the glass wall in a real Chromium: a citizen's and an agency's."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.store import catalog, reading
from tests.browser.conftest import Portal, screenshot
from tests.packages import copy_sample, edit_descriptor, set_cell

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_for_app(page: Page) -> None:
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)


def test_citizen_journey(page: Page, portal: Portal) -> None:
    page.goto(f"{portal.url}/")
    expect(
        page.get_by_role("heading", name="دیوار شیشه‌ای: دادهٔ باز دستگاه‌های عمومی")
    ).to_be_visible()
    wait_for_app(page)
    direction = page.evaluate(
        "getComputedStyle(document.querySelector('.stMain .block-container')).direction"
    )
    assert direction == "rtl"
    expect(page.locator('[data-testid="stMetricValue"]').nth(6)).to_be_visible()
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert any(re.search("[۰-۹]", value) for value in metrics)
    screenshot(page, "home-fa")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    screenshot(page, "home-fa-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    expect(
        page.get_by_role("heading", name="Glass Wall: open data of public agencies")
    ).to_be_visible()
    wait_for_app(page)
    screenshot(page, "home-en")

    page.goto(f"{portal.url}/projects?lang=fa")
    expect(page.get_by_text("۸۰ طرح از ۸۰")).to_be_visible()
    wait_for_app(page)
    screenshot(page, "projects-fa")

    page.goto(f"{portal.url}/projects?lang=en")
    expect(page.get_by_text("80 of 80 projects")).to_be_visible()
    wait_for_app(page)  # the sidebar's filters answer only once the run has finished
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="Khuzestan").click()
    expect(page.get_by_text("48 of 80 projects")).to_be_visible()
    page.keyboard.press("Escape")
    wait_for_app(page)
    screenshot(page, "projects-en")
    page.get_by_text("Stable links to these rows, per dataset version").click()
    excel = page.get_by_role("link", name="CSV for Excel").first
    href = excel.get_attribute("href")
    assert href and "province=IR-06" in href and "bom=1" in href
    exported = page.request.get(f"{portal.url}{href}").body()
    assert exported.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows and {r["province"] for r in rows} == {"IR-06"}

    page.get_by_role("link", name=re.compile("From this dataset")).click()
    expect(page.get_by_text("Downloads (every version, stable addresses)")).to_be_visible()
    wait_for_app(page)
    screenshot(page, "dataset-en")
    # schema.org JSON-LD for dataset search engines, in the page itself
    blocks = page.locator('script[type="application/ld+json"]').all_inner_texts()
    described = [json.loads(b) for b in blocks]
    assert any(d["@type"] == "Dataset" and d["version"] == "1" for d in described)
    link = page.locator(
        'a[href*="/download/mrud-khuzestan/infrastructure-projects/1/projects.csv"]'
    ).first
    href = link.get_attribute("href")
    assert href
    body = page.request.get(f"{portal.url}{href}").body()
    with reading(portal.settings.home) as store:
        version = catalog.version(store.conn, "mrud-khuzestan", "infrastructure-projects", 1)
    assert version is not None
    assert hashlib.sha256(body).hexdigest() == version.resources[0].sha256


def _zip(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return archive


def sign_in(page: Page, portal: Portal) -> None:
    page.goto(f"{portal.url}/publish?lang=en")
    wait_for_app(page)
    token = page.locator('input[type="password"]')
    token.fill(portal.token)
    token.press("Enter")
    expect(page.get_by_text(re.compile("Signed in as"))).to_be_visible()


def test_agency_journey(page: Page, portal: Portal, tmp_path: Path) -> None:
    broken = copy_sample(tmp_path / "broken")
    set_cell(broken, 2, "budget_irr", "twelve")
    fixed = copy_sample(tmp_path / "fixed")
    set_cell(fixed, 2, "beneficiaries", "999000")  # a revised figure, valid
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    edit_descriptor(fixed, title=f"Roads {payload}", title_fa=f"طرح‌ها {payload}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"{portal.url}/publish?lang=fa")
    wait_for_app(page)
    screenshot(page, "publish-fa")

    sign_in(page, portal)
    page.locator('input[type="file"]').set_input_files(str(_zip(broken, tmp_path / "broken.zip")))
    expect(page.get_by_text(re.compile("Nothing was published"))).to_be_visible()
    expect(page.get_by_text(re.compile('"twelve" is not of the field'))).to_be_visible()
    screenshot(page, "publish-errors-en")

    sign_in(page, portal)  # a fresh page, a fresh upload
    page.locator('input[type="file"]').set_input_files(str(_zip(fixed, tmp_path / "fixed.zip")))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published as version 2.")).to_be_visible()
    screenshot(page, "publish-done-en")

    page.goto(f"{portal.url}/?lang=en")
    # The latest publications name the dataset by its title (markup shown as text) and agency.
    latest = page.get_by_role("link", name=re.compile(r"^Roads <img.*Yazd.* · Version 2"))
    expect(latest.first).to_be_visible()
    page.goto(f"{portal.url}/dataset?lang=en&dataset=mrud-yazd/infrastructure-projects")
    expect(
        page.get_by_text(re.compile("projects: 0 rows added, 0 removed, 1 figure changed"))
    ).to_be_visible()
    wait_for_app(page)
    screenshot(page, "revision-en")
    expect(page.get_by_role("heading").filter(has_text="<script>alert(2)</script>")).to_be_visible()
    page.goto(f"{portal.url}/dataset?lang=fa&dataset=mrud-yazd/infrastructure-projects")
    wait_for_app(page)
    screenshot(page, "revision-fa")
    assert dialogs == []  # the uploaded markup stayed text: nothing ran


def test_an_open_project_card_survives_language_switches(page: Page, portal: Portal) -> None:
    """Streamlit keeps the project picker's choice by its shown label; after a switch the
    old label matched no option and came back as text (KeyError on the card, found by a
    walk through the served portal). Each switch must keep the same card, drawn anew."""
    page.goto(f"{portal.url}/projects?lang=fa&project=mrud-yazd-0024")
    wait_for_app(page)
    for label, lang in (("English", "en"), ("فارسی", "fa"), ("English", "en")):
        page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        wait_for_app(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        expect(page.get_by_text(re.compile("mrud-yazd-0024")).first).to_be_visible()
