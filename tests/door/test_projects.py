"""The server-rendered projects page reads the address's filters as the dashboard does."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from portal.config import Settings
from portal.door.published import Publications
from portal.persian import to_latin_digits


def shown(html: str) -> tuple[int, int]:
    """The page's own count: «N طرح از M» / "N of M"."""
    intro = re.search(r'<p class="gw-intro"><bdi>(.*?)</bdi></p>', html)
    assert intro, "no count"
    numbers = re.findall(r"[0-9,]+", to_latin_digits(intro.group(1)).replace("٬", ","))
    first, total = (int(n.replace(",", "")) for n in numbers[:2])
    return first, total


def row_cells(html: str, column: int) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [re.findall(r"<bdi>(.*?)</bdi>", row)[column] for row in rows]


def test_a_province_in_the_address_keeps_only_its_projects(
    door: TestClient, settings: Settings
) -> None:
    projects = Publications(settings.home).current().projects
    yazd = int((projects["province"] == "IR-21").sum())
    assert 0 < yazd < len(projects)
    html = door.get("/projects?province=IR-21").text
    assert shown(html) == (yazd, len(projects))
    assert set(row_cells(html, 3)) == {"یزد"}  # the province column
    assert "پالایه‌های برگزیده" in html and "استان: یزد" in html  # the choice is visible


def test_status_province_and_words_together(door: TestClient, settings: Settings) -> None:
    projects = Publications(settings.home).current().projects
    wanted = projects[(projects["province"] == "IR-06") & (projects["status"] == "implementation")]
    assert len(wanted) > 0
    html = door.get("/projects?province=IR-06&status=implementation&lang=en").text
    assert shown(html) == (len(wanted), len(projects))
    assert set(row_cells(html, 2)) == {"Under way"}
    # the words «خوزستان» find the province's projects, by the matcher of the API's `q`
    khuzestan = int((projects["province"] == "IR-06").sum())
    assert shown(door.get("/projects", params={"q": "خوزستان"}).text)[0] == khuzestan
    assert shown(door.get("/projects", params={"q": "خوزستان", "province": "IR-21"}).text)[0] == 0


def test_nothing_found_says_so_with_a_way_back(door: TestClient) -> None:
    html = door.get("/projects", params={"q": "هیچ‌چیزی‌چنین‌نیست"}).text
    assert "هیچ طرحی با این جست‌وجو و پالایه‌ها جور نیست" in html
    assert 'href="/projects"' in html and "<tbody>" not in html


def test_unknown_codes_are_dropped_as_the_dashboard_drops_them(door: TestClient) -> None:
    everything = shown(door.get("/projects").text)
    assert shown(door.get("/projects?province=IR-99").text) == everything


def test_each_filtered_view_is_its_own_page(door: TestClient) -> None:
    """The cache keys a page by its filters: a second address is not the first one's bytes."""
    first = door.get("/projects?province=IR-21").text
    second = door.get("/projects?province=IR-06").text
    assert shown(first) != shown(second)
    assert 'rel="canonical" href="http://testserver/projects?province=IR-06"' in second


def test_an_unknown_project_is_not_found_even_with_filters(door: TestClient) -> None:
    assert door.get("/projects?project=no-such-project&province=IR-21").status_code == 404


def test_a_search_with_no_word_finds_nothing_and_says_why(
    door: TestClient, settings: Settings
) -> None:
    """`?q=...` showed all 80 projects as if found; it finds none, and the page says the
    search held no letter or digit, in the page's language."""
    total = len(Publications(settings.home).current().projects)
    for query in ("...", "،،", "---"):
        html = door.get("/projects", params={"q": query}).text
        assert shown(html) == (0, total), query
        assert "هیچ حرف یا رقمی برای جست‌وجو ندارد" in html
        english = door.get("/projects", params={"q": query, "lang": "en"}).text
        assert shown(english) == (0, total) and "has no letter or digit to search for" in english
    everything = door.get("/projects", params={"q": ""}).text
    assert shown(everything) == (total, total) and "رقمی برای جست‌وجو" not in everything
    plain = door.get("/projects", params={"q": "یزد"}).text
    assert 0 < shown(plain)[0] < total and "رقمی برای جست‌وجو" not in plain
