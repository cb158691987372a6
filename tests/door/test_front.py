"""Every public address answers with its own content, server-rendered, from the store."""

from __future__ import annotations

import asyncio
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from portal.api.citations import PROJECT_FIGURES
from portal.app import open_data_app
from portal.config import Settings
from portal.door.figures import headline, headline_cells
from portal.door.models import Page
from portal.door.published import Publications
from portal.i18n import size
from portal.persian import PERSIAN_DIGITS
from portal.store import Store, catalog, reading
from tests.door.conftest import dashboard, republish

PAGES = [
    "/",
    "/projects",
    "/dataset",
    "/indicators",
    "/agencies",
    "/about",
    "/dataset?dataset=mrud-yazd/infrastructure-projects",
    "/agencies?agency=mcls-yazd",
]


def heading(html: str) -> str:
    found = re.search(r"<h1><bdi>(.*?)</bdi></h1>", html)
    assert found, "no heading"
    return found.group(1)


@pytest.mark.parametrize("address", PAGES)
def test_every_page_answers_in_persian_with_its_content(door: TestClient, address: str) -> None:
    response = door.get(address)
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fa" dir="rtl" ' in html
    assert "You need to enable JavaScript" not in html and "<title>Streamlit</title>" not in html
    assert f"<title>{heading(html)}" in html  # the title names the thing
    assert any(digit in html for digit in PERSIAN_DIGITS)
    # The dashboard still starts at the same address: Streamlit's scripts are in the document.
    assert re.search(r'<script type="module" crossorigin src="\./static/js/index\.', html)
    assert html.index('<div id="root"><div class="gw-door"') < html.index("</body>")


def test_home_shows_the_dashboards_headline_figures(door: TestClient, settings: Settings) -> None:
    publication = Publications(settings.home).current()
    datasets = publication.snapshot.datasets
    agencies = len({p.agency.slug for p in datasets})
    figures = headline(publication.projects, agencies, len(datasets), date.today().isoformat())
    assert figures.projects > 0 and figures.budget_billion > 0
    html = door.get("/").text
    for label, value in headline_cells(figures, "fa"):
        assert f"<dt>{label}</dt><dd><bdi>{value}</bdi></dd>" in html
    english = door.get("/?lang=en").text
    assert '<html lang="en" dir="ltr" ' in english
    assert f"<dd><bdi>{figures.projects:,}</bdi></dd>" in english


def test_dataset_page_lists_every_download_with_version_and_sha256(
    door: TestClient, samples: Store, settings: Settings
) -> None:
    with reading(settings.home) as store:
        version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    html = door.get("/dataset?dataset=mrud-yazd/infrastructure-projects").text
    for entry in version.resources:
        url = f"/download/mrud-yazd/infrastructure-projects/{version.number}/{entry.name}.csv"
        assert f'href="http://testserver{url}"' in html
        assert f"<code>{entry.sha256}</code>" in html
        # its size in the units a reader uses, in Persian digits and words
        assert f" · {size(entry.bytes, 'fa')}<br>" in html and "کیلوبایت" in html
    assert " بایت<br>" not in html
    assert 'class="gw-sample"' in html  # the sample data says it is a sample
    english = door.get("/dataset?dataset=mrud-yazd/infrastructure-projects&lang=en").text
    assert all(f" · {size(e.bytes, 'en')}<br>" in english for e in version.resources)
    assert " KB<br>" in english and " bytes<br>" not in english


def test_a_project_card_names_the_project(door: TestClient, settings: Settings) -> None:
    projects = Publications(settings.home).current().projects
    first = projects.iloc[0]
    html = door.get("/projects", params={"project": str(first["id"])}).text
    assert heading(html) == first["title_fa"]
    assert f'href="/projects?project={first["id"]}"' in door.get("/projects").text


@pytest.mark.parametrize(
    "address",
    [
        "/projects?project=no-such-project",
        "/agencies?agency=no-such-agency",
        "/dataset?dataset=mrud-yazd/no-such-dataset",
        "/dataset?dataset=nothing",
        "/no/such/page",
        "/sitemap.xml.bak",
        "/wp-login.php",
    ],
)
def test_an_address_that_names_nothing_is_a_bilingual_404(door: TestClient, address: str) -> None:
    response = door.get(address)
    assert response.status_code == 404
    assert "این نشانی پیدا نشد" in response.text and "This address was not found" in response.text
    assert "<script" not in response.text  # no dashboard behind a missing page


def test_dashboard_paths_pass_through(door: TestClient) -> None:
    for address in ("/static/js/index.js", "/_stcore/health", "/publish", "/favicon.png"):
        assert door.get(address).text == "the dashboard"
    # the dashboard's own addresses take any method; the door's pages are only read (405)
    assert door.post("/publish").text == "the dashboard"
    assert door.post("/_stcore/upload_file/x").text == "the dashboard"


def test_pages_carry_the_publication_etag_and_answer_304(door: TestClient) -> None:
    first = door.get("/dataset")
    etag = first.headers["etag"]
    again = door.get("/dataset", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert door.get("/dataset?lang=en").headers["etag"] != etag


def test_after_a_new_publication_the_page_shows_the_new_version(
    door: TestClient, settings: Settings, tmp_path: Path
) -> None:
    address = "/dataset?dataset=mrud-yazd/infrastructure-projects"
    before = door.get(address)
    # A closed override (an open one is refused at intake): the page still isolates it.
    title = "طرح‌های یزد <script>alert(1)</script> & \u202eتازه\u202c"
    number = republish(settings, tmp_path, title)
    assert number == 2
    after = door.get(address, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    html = after.text
    assert "<dt>نسخه</dt><dd><bdi>۲</bdi></dd>" in html
    # Uploaded text is escaped and isolated, never markup.
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \u202eتازه\u202c</bdi></h1>" in html


def test_pages_are_compressed_once_per_publication(door: TestClient) -> None:
    """Each encoding is its own representation (own tag); the bytes are made once."""
    plain = door.get("/", headers={"Accept-Encoding": "identity"})
    tags = {plain.headers["etag"]}
    for asked, sent in (
        ("br", "br"),
        ("gzip, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
    ):
        with door.stream("GET", "/", headers={"Accept-Encoding": asked}) as response:
            wire = b"".join(response.iter_raw())
            assert response.headers["content-encoding"] == sent
            tag = response.headers["etag"]
        with door.stream("GET", "/", headers={"Accept-Encoding": asked}) as again:
            assert b"".join(again.iter_raw()) == wire
        assert len(wire) < len(plain.content) / 2
        tags.add(tag)
        revalidated = door.get("/", headers={"Accept-Encoding": asked, "If-None-Match": tag})
        assert revalidated.status_code == 304
    assert len(tags) == 3


def test_the_dataset_page_summarises_revisions_with_their_explanations(
    door: TestClient, settings: Settings, tmp_path: Path
) -> None:
    reason = "متمم اعتبار ۱۴۰۳"
    assert republish(settings, tmp_path, "طرح‌های یزد", budget_reason=reason) == 2
    html = door.get("/dataset?dataset=mrud-yazd/infrastructure-projects").text
    revisions = html[html.index("<h2>نسخه‌ها و بازنگری‌ها</h2>") :]
    # version 2: one budget revised, one explanation; version 1 revised nothing before it
    assert '<tr><th scope="row"><bdi>۲</bdi></th>' in revisions
    assert "<td><bdi>۱</bdi></td><td><bdi>۱</bdi></td></tr>" in revisions
    assert f"توضیح دستگاه: {reason}" in revisions


def test_the_revision_summary_says_the_change_the_one_way(
    door: TestClient, settings: Settings, tmp_path: Path
) -> None:
    """Issue 22, item 2: the summary quoted «از 3283000000000 به 6566000000000 ریال»."""
    assert republish(settings, tmp_path, "طرح‌های یزد", budget_reason="متمم") == 2
    for lang, said in (
        ("fa", "اعتبار: از ۳٬۲۸۳ میلیارد ریال به ۶٬۵۶۶ میلیارد ریال — \u2068mrud-yazd-0003\u2069"),
        ("en", "\u2068mrud-yazd-0003\u2069 — Budget: 3,283 billion rials → 6,566 billion rials"),
    ):
        html = door.get(f"/dataset?dataset=mrud-yazd/infrastructure-projects&lang={lang}").text
        assert said in html.replace("<bdi>", "").replace("</bdi>", "")
        assert "6566000000000" not in html


def test_a_project_cards_figures_link_to_their_permalinks(
    door: TestClient, settings: Settings
) -> None:
    """Issue 23, item 4: each figure the card shows links to that value in that version,
    and the permalink shows the same figure (found by following the link)."""
    projects = Publications(settings.home).current().projects
    first = projects.iloc[0]
    html = door.get("/projects", params={"project": str(first["id"])}).text
    links = re.findall(r'href="(/cite/[^"]+)"', html)
    version = int(first["version"])
    base = f"/cite/{first['agency']}/{first['dataset']}/{version}/projects/{int(first['_row'])}"
    assert links == [f"{base}/{field}" for field in PROJECT_FIGURES]
    api = TestClient(open_data_app(settings))
    cited = api.get(links[0], params={"format": "json"}).json()
    assert cited["value"] == int(first["budget_irr"]) and cited["version"] == version
    english = door.get("/projects", params={"project": str(first["id"]), "lang": "en"}).text
    assert f'href="{base}/budget_irr?lang=en"' in english


def test_every_page_of_the_dashboard_opens_by_its_address(door: TestClient) -> None:
    """Found walking the served portal: /sql and /releases (and every shared SQL link)
    answered 404, because the door knew neither. Each page of the navigation is drawn
    by the door or passed on to the dashboard."""
    from portal.door.front import DASHBOARD_PATHS, PAGES
    from portal.web.navigation import PAGE_KEYS

    for key in PAGE_KEYS:
        path = "/" if key == "home" else f"/{key}"
        assert path in PAGES or path in DASHBOARD_PATHS, path
    for address in ("/sql", "/sql?sql=SELECT+1&lang=fa", "/releases?lang=en", "/publish"):
        answer = door.get(address)
        assert answer.status_code == 200 and answer.text == "the dashboard", address


@pytest.mark.slow
def test_searches_whose_cards_look_the_same_are_drawn_once(
    door: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each card is a Chromium run (~2.5 s of a core): /og.png?page=/projects?q=<anything>
    drew the same "nothing found" card again for every new word, so a stranger could keep
    a core busy. A card is drawn once per picture, whatever address asked for it."""
    import portal.door.front as front

    drawn: list[str] = []

    def counted(page: Page) -> bytes:
        drawn.append(page.heading)
        return real(page)

    real = front.draw
    monkeypatch.setattr(front, "draw", counted)
    answers = [door.get(f"/og.png?page=/projects%3Fq%3Dzzzq{n}") for n in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len({a.content for a in answers}) == 1
    assert len(drawn) == 1


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("address", ["/", "/projects", "/og.png", "/robots.txt"])
def test_a_page_address_asked_with_another_method_is_a_bilingual_405(
    door: TestClient, method: str, address: str
) -> None:
    """Pages are only read: the dashboard's server answered the English text 'Method Not
    Allowed' (POST /projects, OPTIONS /)."""
    answer = door.request(method, address)
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, HEAD"
    assert answer.headers["content-type"].startswith("text/html")
    assert "Method Not Allowed" not in answer.text and method in answer.text
    assert re.search("[\u0600-\u06ff]", answer.text) and "This address takes" in answer.text


def test_a_full_card_queue_says_so_in_both_languages(
    samples: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With WAITING_CARDS cards waiting for the painter, the next reader got a 503 with an
    empty body: now the door's bilingual error page, naming the card, and Retry-After."""
    import portal.door.front as front

    painting = threading.Event()

    def slow(page: Page) -> bytes:
        painting.wait(30)
        return b"\x89PNG\r\n\x1a\n"

    monkeypatch.setattr(front, "draw", slow)
    door = front.Door(dashboard, settings.home)

    async def crowd() -> tuple[list[httpx.Response], httpx.Response]:
        transport = httpx.ASGITransport(app=door)
        async with httpx.AsyncClient(transport=transport, base_url="http://door") as client:
            waiting = [
                asyncio.create_task(client.get("/og.png", params={"page": "/", "lang": "fa"}))
                for _ in range(front.WAITING_CARDS)
            ]
            while door.waiting < front.WAITING_CARDS:
                await asyncio.sleep(0.01)
            refused = await client.get("/og.png", params={"page": "/projects"})
            painting.set()
            return list(await asyncio.gather(*waiting)), refused

    # A thread of its own: the browser tests' session keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as runner:
        drawn, refused = runner.submit(asyncio.run, crowd()).result()
    assert [answer.status_code for answer in drawn] == [200] * front.WAITING_CARDS
    assert refused.status_code == 503 and refused.headers["retry-after"] == "30"
    assert refused.headers["content-type"].startswith("text/html")
    page = refused.text
    assert '<html lang="fa" dir="rtl">' in page and 'name="robots" content="noindex"' in page
    assert "/projects" in page and "30 seconds" in page and "۳۰ ثانیه" in page
