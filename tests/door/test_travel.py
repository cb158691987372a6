"""Links travel: a metadata extractor reads each page's card, the sitemap names every
page, and the card's picture is a PNG of the size the page states."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import extruct
import pytest
from starlette.testclient import TestClient

from portal.config import Settings
from portal.door.published import Publications
from tests.door.test_front import PAGES

GOOGLE_DATASET = ("name", "description")  # required by Google's Dataset rich results
RECOMMENDED = (
    "url", "identifier", "license", "creator", "temporalCoverage", "spatialCoverage",
    "distribution", "dateModified", "version",
)  # fmt: skip
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def card(html: str) -> dict[str, str]:
    found = extruct.extract(html, base_url="http://testserver/", syntaxes=["opengraph"])
    return dict(found["opengraph"][0]["properties"])


@pytest.mark.parametrize("address", [*PAGES, "/projects?project=mrud-yazd-0001"])
def test_every_page_carries_its_own_open_graph_and_twitter_card(
    door: TestClient, address: str
) -> None:
    html = door.get(address).text
    tags = card(html)
    for name in ("og:title", "og:description", "og:url", "og:image", "twitter:card"):
        assert tags.get(name), f"{address}: no {name}"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:title"] == tags["og:title"]
    assert (int(tags["og:image:width"]), int(tags["og:image:height"])) == (1200, 630)
    assert f'<link rel="canonical" href="{tags["og:url"]}">' in html
    assert 'hreflang="en"' in html and 'hreflang="fa"' in html


def test_pages_have_titles_and_descriptions_of_their_own(door: TestClient) -> None:
    titles = {card(door.get(address).text)["og:title"] for address in PAGES}
    descriptions = {card(door.get(address).text)["og:description"] for address in PAGES}
    assert len(titles) == len(PAGES) and len(descriptions) == len(PAGES)


def test_dataset_pages_carry_schema_org_dataset_json_ld(
    door: TestClient, settings: Settings
) -> None:
    for published in Publications(settings.home).current().snapshot.datasets:
        html = door.get("/dataset", params={"dataset": published.ref}).text
        (dataset,) = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        assert dataset["@type"] == "Dataset"
        for key in GOOGLE_DATASET + RECOMMENDED:
            assert dataset.get(key), f"{published.ref}: no {key}"
        assert 50 <= len(dataset["description"]) <= 5000  # Google's bounds
        for download in dataset["distribution"]:
            assert download["contentUrl"].startswith("http://testserver/download/")
            assert download["encodingFormat"] == "text/csv"
        assert dataset["version"] == str(published.version.number)


def test_sitemap_lists_every_page_dataset_agency_and_project_card(
    door: TestClient, settings: Settings
) -> None:
    response = door.get("/sitemap.xml")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/xml"
    )
    entries = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    listed = {}
    for entry in entries:
        parts = urlsplit(entry.findtext(f"{SITEMAP}loc", ""))
        listed[f"{parts.path}?{parts.query}" if parts.query else parts.path] = entry.findtext(
            f"{SITEMAP}lastmod"
        )
    publication = Publications(settings.home).current()
    for published in publication.snapshot.datasets:
        assert listed[f"/dataset?dataset={published.ref}"] == published.version.created_at
        assert f"/agencies?agency={published.agency.slug}" in listed
    for pid in publication.projects["id"]:
        assert f"/projects?project={pid}" in listed
    assert {"/", "/projects", "/dataset", "/indicators", "/agencies", "/about"} <= set(listed)
    robots = door.get("/robots.txt").text
    assert "Sitemap: http://testserver/sitemap.xml" in robots


@pytest.mark.slow
def test_the_card_image_is_a_png_of_the_stated_size(door: TestClient) -> None:
    """Drawn by kaleido in the system's Chromium, once per publication."""
    tags = card(door.get("/dataset?dataset=mrud-yazd/infrastructure-projects").text)
    image = urlsplit(tags["og:image"])
    response = door.get(f"{image.path}?{image.query}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    png = response.content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (int(tags["og:image:width"]), int(tags["og:image:height"]))
    again = door.get(
        f"{image.path}?{image.query}", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304  # drawn once: the same bytes until the next publication
    assert door.get("/og.png?page=/dataset%3Fdataset%3Dno/such").status_code == 404


def test_a_card_that_cannot_be_drawn_is_a_503_not_a_500(
    door: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A portal run without Chromium (or with one that fails) still serves every page; the
    missing picture is said as a 503 with Retry-After and why, in both languages."""
    import portal.door.card as card_module

    monkeypatch.setattr(card_module, "CHROMIUM", "/nonexistent/chromium")
    answer = door.get("/og.png?page=/&lang=fa")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "300"
    assert "could not be drawn" in answer.text and "کشیده نشد" in answer.text  # not empty
    assert door.get("/").status_code == 200
