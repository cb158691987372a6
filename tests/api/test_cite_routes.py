"""Cite this figure, embed it, oEmbed (issue 23)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html import escape, unescape
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from portal.config import Settings
from portal.i18n import number, text
from portal.persian import iso_to_jalali, to_persian_digits
from portal.publishing.publish import publish
from portal.store import Store
from tests.packages import DATASETS, copy_sample, read_rows, set_cell

KHUZESTAN = "/cite/mrud-khuzestan/infrastructure-projects"
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def published_cell(client: TestClient, row: int, field: str) -> str:
    text = client.get("/download/mrud-khuzestan/infrastructure-projects/1/projects.csv").text
    return list(csv.DictReader(io.StringIO(text, newline="")))[row - 1][field]


def test_a_latest_address_says_which_version_it_resolved_to(
    client: TestClient, samples: Store
) -> None:
    answer = client.get(f"{KHUZESTAN}/latest/projects/3/budget_irr?format=json").json()
    assert answer["version"] == 1 and answer["resolved_from_latest"] is True
    assert answer["value"] == int(published_cell(client, 3, "budget_irr"))
    assert answer["permalink"].endswith(f"{KHUZESTAN}/1/projects/3/budget_irr")
    assert answer["label"] == {"fa": "اعتبار (ریال)", "en": "Budget (rials)"}
    assert "version 1, table projects, row 3 (" in answer["citation"]["en"]
    assert "), Budget (rials): " in answer["citation"]["en"]
    assert "نسخهٔ ۱، جدول projects، ردیف ۳" in answer["citation"]["fa"]
    pinned = client.get(f"{KHUZESTAN}/1/projects/3/budget_irr?format=json").json()
    assert pinned["resolved_from_latest"] is False and pinned["value"] == answer["value"]


def test_the_page_shows_value_provenance_and_both_citations(
    client: TestClient, samples: Store
) -> None:
    page = client.get(f"{KHUZESTAN}/latest/projects/3/status")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="fa" dir="rtl">' in html
    assert "به نسخهٔ ۱ رسید" in html  # resolved from latest, said
    code = published_cell(client, 3, "status")
    assert f"({code})" in html and "آمار رسمی نیستند" in html  # the code and the sample notice
    assert 'lang="en" dir="ltr">' in html and 'lang="fa" dir="rtl">' in html
    oembed = re.search(r'type="application/json\+oembed" href="([^"]+)"', html)
    assert oembed and "format=json" in unescape(oembed.group(1))
    english = client.get(f"{KHUZESTAN}/1/projects/3/status?lang=en").text
    assert '<html lang="en" dir="ltr">' in english and "Cite this figure" in english


def test_the_persian_citation_keeps_addresses_and_dates_in_their_order(
    client: TestClient, samples: Store
) -> None:
    """Inside a Persian sentence an address and a hash are left-to-right isolates; the
    publication day is Jalali in Persian digits (a Gregorian one in English); long words
    wrap instead of Persian ones breaking."""
    html = client.get(f"{KHUZESTAN}/1/projects/3/budget_irr").text
    persian = re.search(r'<p lang="fa" dir="rtl">(.*?)</p>', html)
    assert persian
    isolated = re.findall(r'<bdi dir="ltr">([^<]+)</bdi>', persian.group(1))
    assert any(
        run.startswith("http") and run.endswith("/projects/3/budget_irr") for run in isolated
    )
    assert re.search(r"منتشرشده در [۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}\.", persian.group(1))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", persian.group(1))
    english = re.search(r'<p lang="en" dir="ltr">(.*?)</p>', html)
    assert english and re.search(r"published \d{4}-\d{2}-\d{2}", english.group(1))
    assert any(run.startswith("sha256 ") for run in isolated)
    assert "break-all" not in html and "overflow-wrap:anywhere" in html


@pytest.mark.parametrize(
    "address",
    [
        f"{KHUZESTAN}/1/projects/0/status",
        f"{KHUZESTAN}/1/projects/99999/status",
        f"{KHUZESTAN}/1/projects/3/no_such_field",
        f"{KHUZESTAN}/2/projects/3/status",
        f"{KHUZESTAN}/1/nothing/3/status",
        "/cite/nobody/nothing/1/projects/3/status",
        f"{KHUZESTAN}/1/projects/3/..",
        "/embed/mrud-khuzestan/x/1/projects/-1/status",
    ],
)
def test_no_figure_there_is_a_bilingual_404(
    client: TestClient, samples: Store, address: str
) -> None:
    answer = client.get(address)
    assert answer.status_code == 404
    assert answer.json()["error"]["message"]["fa"] and answer.json()["error"]["message"]["en"]


def test_uploaded_markup_shows_as_text(
    client: TestClient, tmp_path: Path, store: Store, settings: Settings, yazd_token: str
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "title_en", MARKUP)
    publish(store, folder, settings, token=yazd_token)
    for route in ("cite", "embed"):
        html = client.get(f"/{route}/mrud-yazd/infrastructure-projects/1/projects/1/title_en").text
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_oembed_answers_per_the_spec(client: TestClient, samples: Store) -> None:
    url = f"https://journal.example{KHUZESTAN}/1/projects/3/status?lang=en"
    answer = client.get("/oembed", params={"url": url, "format": "json", "maxwidth": "300"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["width"] == 300 and body["height"] > 0 and body["provider_name"] == "Glass Wall"
    src = re.search(r'src="([^"]+)"', body["html"])
    assert src and src.group(1).endswith(
        "/embed/mrud-khuzestan/infrastructure-projects/1/projects/3/status?lang=en"
    )
    query = client.get("/oembed", params={"url": "/sql?sql=select+1", "format": "json"}).json()
    assert "/embed/sql?sql=select+1" in query["html"]
    assert client.get("/oembed", params={"url": url, "format": "xml"}).status_code == 409
    assert client.get("/oembed", params={"url": "https://elsewhere.example/x"}).status_code == 404


def test_a_query_embeds_as_bars_a_table_and_its_sources(client: TestClient, samples: Store) -> None:
    sql = (
        'select status, count(*) n from "mrud-yazd/infrastructure-projects"'
        " group by 1 order by 2 desc"
    )
    html = client.get("/embed/sql", params={"sql": sql, "lang": "en"}).text
    assert "<svg" in html and "<table" in html and "<rect" in html
    assert "mrud-yazd/infrastructure-projects, version 1 (sha256 " in html
    assert "/sql?lang=en&amp;sql=" in html  # a link back to the query on the glass wall
    refused = client.get("/embed/sql", params={"sql": "select * from read_csv('/etc/passwd')"})
    assert refused.status_code == 409


@pytest.mark.slow
def test_a_pasted_link_embeds_in_an_article(live: str, samples: Store) -> None:
    """What WordPress does with a pasted link: find the oEmbed link, ask it, load the iframe."""
    with httpx.Client(timeout=30) as client:
        page = client.get(f"{live}{KHUZESTAN}/1/projects/3/budget_irr?lang=en").text
        found = re.search(r'type="application/json\+oembed" href="([^"]+)"', page)
        assert found
        oembed = client.get(unescape(found.group(1))).json()
        src = re.search(r'src="([^"]+)"', oembed["html"])
        assert src
        frame = client.get(unescape(src.group(1)))
    assert frame.status_code == 200
    cited = httpx.get(f"{live}{KHUZESTAN}/1/projects/3/budget_irr?format=json").json()
    value = f"{int(cited['value']):,}"
    assert value in frame.text and "version 1" in frame.text


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("address", "status"),
    [
        (f"{KHUZESTAN}/1/projects/99999/status", 404),
        ("/cite/nobody/nothing/1/projects/3/status", 404),
        ("/cite/too/short", 404),
        ("/embed/sql?sql=select+*+from+read_csv('/etc/passwd')", 409),
    ],
)
def test_a_browser_gets_the_doors_bilingual_error_page(
    client: TestClient, samples: Store, address: str, status: int
) -> None:
    """A reader following a broken citation link reads a page, not JSON: the door's own
    error page (the one its 404 uses), with this error's message in both languages."""
    page = client.get(address, headers={"Accept": BROWSER})
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="fa" dir="rtl">' in html and '<div lang="en" dir="ltr">' in html
    assert 'name="robots" content="noindex"' in html  # the door's error page
    assert "رفتن به صفحهٔ نخست دیوار شیشه‌ای" in html and "Go to the Glass Wall home page" in html
    json_answer = client.get(address, headers={"Accept": "application/json"})
    assert json_answer.status_code == status
    message = json_answer.json()["error"]["message"]
    assert escape(message["fa"]) in html and escape(message["en"]) in html


@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", "", "application/json, text/html;q=0.5"]
)
def test_an_api_client_keeps_the_json_error(
    client: TestClient, samples: Store, accept: str
) -> None:
    answer = client.get(f"{KHUZESTAN}/1/projects/99999/status", headers={"Accept": accept})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["vary"] == "Accept"  # a cache keeps the page and the JSON apart
    assert answer.json()["error"]["message"]["en"]
    asked = client.get(
        f"{KHUZESTAN}/1/projects/99999/status?format=json", headers={"Accept": BROWSER}
    )
    assert asked.status_code == 404 and asked.json()["success"] is False


def test_an_address_in_a_persian_error_reads_left_to_right(
    client: TestClient, samples: Store
) -> None:
    """In a right-to-left sentence an address is isolated (FSI … PDI): without it the
    page showed "cite/too/short/ پیدا نشد." with its first slash at the far end."""
    page = client.get("/cite/too/short", headers={"Accept": BROWSER})
    assert "\u2068/cite/too/short\u2069 پیدا نشد" in page.text
    answer = client.get("/cite/too/short", headers={"Accept": "application/json"})
    assert answer.json()["error"]["message"]["fa"].startswith("\u2068/cite/too/short\u2069")


def test_oembed_has_no_answer_for_a_figure_that_does_not_exist(
    client: TestClient, samples: Store
) -> None:
    """oEmbed answers 404 where the provider has nothing to embed: it gave 200 and an iframe
    of an /embed/ address that is itself a 404 (a row past the end, an unknown dataset)."""
    for missing in (f"{KHUZESTAN}/1/projects/999999/budget_irr", "/cite/a/b/1/c/1/d"):
        answer = client.get("/oembed", params={"url": f"http://127.0.0.1{missing}"})
        assert answer.status_code == 404, missing
        message = answer.json()["error"]["message"]
        assert message["fa"] and message["en"] and missing.removeprefix("/cite/") in message["en"]
    found = client.get("/oembed", params={"url": f"{KHUZESTAN}/1/projects/1/budget_irr"})
    assert found.status_code == 200


def test_the_persian_citation_page_names_the_licence_by_its_code(
    client: TestClient, samples: Store
) -> None:
    """No English words on a Persian page: its licence row read 'Creative Commons
    Attribution 4.0' (the dataset page shows the code, CC-BY-4.0); the English page keeps
    the licence's title."""
    address = f"{KHUZESTAN}/1/projects/1/budget_irr"
    persian = client.get(address, headers={"Accept": "text/html"}).text
    assert "Creative Commons" not in persian
    assert '<span class="ltr">CC-BY-4.0</span>' in persian
    english = client.get(f"{address}?lang=en", headers={"Accept": "text/html"}).text
    assert "Creative Commons Attribution 4.0" in english


@pytest.mark.parametrize("accept", ["application/json", "application/json, text/html;q=0.5"])
def test_an_api_client_gets_the_citation_as_json_as_it_gets_its_errors(
    client: TestClient, samples: Store, accept: str
) -> None:
    """A script asking for JSON got the HTML page when the figure was there and JSON when it
    was not: the answer follows Accept as the errors do (`?format=json` still works, and a
    browser or `*/*` still reads the page)."""
    address = f"{KHUZESTAN}/1/projects/3/budget_irr"
    answer = client.get(address, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["vary"] == "Accept"  # one address, two forms: caches keep both
    assert answer.json() == client.get(f"{address}?format=json").json()
    assert answer.json()["permalink"].endswith(address)
    for reader in (BROWSER, "*/*", "", "text/html, application/json;q=0.9"):
        page = client.get(address, headers={"Accept": reader})
        assert page.headers["content-type"].startswith("text/html"), reader
        assert page.headers["vary"] == "Accept"
    asked = client.get(f"{address}?format=json", headers={"Accept": BROWSER})
    assert asked.headers["content-type"] == "application/json"


def test_a_persian_embedded_query_writes_its_numbers_in_persian_digits(
    client: TestClient, samples: Store
) -> None:
    """The Persian embed wrote counts and numbers in Latin digits (13, 1084000000000) where
    the dashboard's SQL page and the rest of the Persian door write ۱۳ and ۱٬۰۸۴٬…; text the
    agency wrote (an id, a province code) and the query itself keep their digits."""
    sql = (
        "select id, province, budget_irr, row_number() over (order by id) as n"
        ' from "mrud-khuzestan/infrastructure-projects" order by id limit 3'
    )
    persian = client.get("/embed/sql", params={"sql": sql}).text
    rows = re.findall(r"<tr>(<td>.*?)</tr>", persian)
    assert len(rows) == 3
    first = re.findall(r"<td>(.*?)</td>", rows[0])
    budget = int(published_cell(client, 1, "budget_irr"))
    written = [published_cell(client, 1, "id"), published_cell(client, 1, "province")]
    assert first == [*written, number(budget, "fa"), "۱"]
    assert re.search("[0-9]", "".join(first[:2])) and not re.search("[0-9]", "".join(first[2:]))
    assert "limit+3" in persian  # the query in the link back, as written
    english = client.get("/embed/sql", params={"sql": sql, "lang": "en"}).text
    english_first = re.findall(r"<td>(.*?)</td>", re.findall(r"<tr>(<td>.*?)</tr>", english)[0])
    assert english_first[2:] == [str(budget), "1"]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_an_embed_of_sample_data_says_so_in_the_article(
    client: TestClient, samples: Store, lang: str
) -> None:
    """An embed is the portal's figure inside someone else's page: it carries the
    sample-data notice the cite page shows, or readers take invented figures for official."""
    notice = text("excel.sample_notice", lang)
    figure = client.get(f"/embed{KHUZESTAN[len('/cite') :]}/1/projects/3/budget_irr?lang={lang}")
    assert figure.status_code == 200 and escape(notice) in figure.text
    sql = 'select status, count(*) n from "mrud-yazd/infrastructure-projects" group by 1'
    query = client.get("/embed/sql", params={"sql": sql, "lang": lang})
    assert query.status_code == 200 and escape(notice) in query.text


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_an_oembed_title_reads_as_the_figure(client: TestClient, samples: Store, lang: str) -> None:
    """WordPress shows the oEmbed title and uses it as the iframe's accessible name: it was
    the address's path (`mrud-khuzestan/infrastructure-projects/1/projects/3/budget_irr`),
    which a screen reader spells out; now the figure as its own page titles it."""
    url = f"http://127.0.0.1{KHUZESTAN}/1/projects/3/budget_irr?lang={lang}"
    body = client.get("/oembed", params={"url": url, "format": "json"}).json()
    page = client.get(f"{KHUZESTAN}/1/projects/3/budget_irr?lang={lang}").text
    title = unescape(re.search(r"<title>([^<]+)</title>", page).group(1))  # type: ignore[union-attr]
    assert body["title"] == title and "infrastructure-projects" not in body["title"]
    assert f'title="{escape(title)}"' in body["html"]
    assert body["author_name"] and escape(body["author_name"]) in page  # the agency


def test_oembed_without_a_url_says_the_url_is_missing(client: TestClient, samples: Store) -> None:
    answer = client.get("/oembed", params={"format": "json"})
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "api.missing_parameter" and "url" in error["message"]["en"]


def test_a_cited_date_is_jalali_in_persian(client: TestClient, samples: Store) -> None:
    answer = client.get(f"{KHUZESTAN}/1/projects/3/start_date?format=json").json()
    published = published_cell(client, 3, "start_date")
    jalali = to_persian_digits(iso_to_jalali(date.fromisoformat(published)))
    assert f": {jalali}." in answer["citation"]["fa"] and published not in answer["citation"]["fa"]
    assert f": {published}." in answer["citation"]["en"] and answer["value"] == published
    page = client.get(f"{KHUZESTAN}/1/projects/3/start_date", headers={"Accept": "text/html"})
    assert f'<p class="value">{jalali}</p>' in page.text


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_an_embedded_table_says_when_it_shows_only_the_first_rows(
    client: TestClient, samples: Store, lang: str
) -> None:
    """The embed's table stops at 20 rows: a 32-row answer lost 12 rows in the article with
    nothing said (its bars showed all 32). It now says how many of how many it shows."""
    sql = 'select id, budget_irr from "mrud-yazd/infrastructure-projects" order by 2 desc'
    html = client.get("/embed/sql", params={"sql": sql, "lang": lang}).text
    assert html.count("<tr>") == 1 + 20
    said = text("journo.embed.first_rows", lang, shown=20, total=32)
    assert escape(said) in html
    few = 'select status, count(*) n from "mrud-yazd/infrastructure-projects" group by 1'
    short = client.get("/embed/sql", params={"sql": few, "lang": lang}).text
    assert escape(text("journo.embed.first_rows", lang, shown=6, total=6)) not in short


LABOUR = "/cite/mcls-khuzestan/labour-indicators/1/observations"


def test_an_observation_is_cited_with_its_indicator_period_and_place(
    client: TestClient, samples: Store
) -> None:
    """An observation's citation read "Value: 23" with no indicator, period or place."""
    county = client.get(f"{LABOUR}/1/value?format=json").json()  # coops_registered 1403-07 اهواز
    assert county["value"] == 23
    assert county["subject"] == {
        "fa": "تعاونی‌های ثبت‌شده، مهر ۱۴۰۳، اهواز، خوزستان",
        "en": "Cooperatives registered, Mehr 1403, اهواز, Khuzestan",
    }
    assert "ردیف ۱ (تعاونی‌های ثبت‌شده، مهر ۱۴۰۳، اهواز، خوزستان)، " in county["citation"]["fa"]
    assert (
        "row 1 (Cooperatives registered, Mehr 1403, اهواز, Khuzestan), "
        in (county["citation"]["en"])
    )
    province = client.get(f"{LABOUR}/13/value?format=json").json()  # the province's total
    assert province["value"] == 216
    assert "row 13 (Cooperatives registered, Mehr 1403, Khuzestan), " in province["citation"]["en"]
    page = client.get(f"{LABOUR}/1/value?lang=en").text
    assert "Cooperatives registered, Mehr 1403" in page


def test_a_project_figure_is_cited_with_its_project(client: TestClient, samples: Store) -> None:
    """A project's figure read "row 3, Budget (rials): ..." with nothing saying which project:
    now its title in each language and its id."""
    project = client.get(f"{KHUZESTAN}/1/projects/3/budget_irr?format=json").json()
    rows = read_rows(DATASETS / "mrud-khuzestan" / "data" / "projects.csv")
    third = rows[2]
    assert project["subject"] == {
        "en": f"{third['title_en']} ({third['id']})",
        "fa": f"«{third['title_fa']}» (\u2068{third['id']}\u2069)",
    }
    assert (
        f"row 3 ({third['title_en']} ({third['id']})), Budget (rials)"
        in (project["citation"]["en"])
    )
    assert f"«{third['title_fa']}»" in project["citation"]["fa"]
    page = client.get(f"{KHUZESTAN}/1/projects/3/budget_irr").text
    assert escape(third["title_fa"]) in page
