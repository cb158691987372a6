"""The front adds Atom autodiscovery links to the head of page HTML, and nothing else."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from portal.web.feed_discovery import FeedDiscovery, feed_links

PAGE = "<html><head><title>x</title></head><body></body></html>"


async def page(request: Request) -> Response:
    seen = request.headers.get("accept-encoding", "")
    return HTMLResponse(PAGE, headers={"X-Seen-Encoding": seen})


async def data(request: Request) -> Response:
    return JSONResponse({"head": "</head>"})


def client() -> TestClient:
    routes = [Route("/_stcore/x", data), Route("/{path:path}", page)]
    return TestClient(FeedDiscovery(Starlette(routes=routes)))


def test_page_html_announces_the_portal_and_dataset_feeds() -> None:
    response = client().get("/dataset?lang=fa&dataset=mrud-yazd/infrastructure-projects")
    head = response.text.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert 'href="/feeds/publications.atom"' in head
    assert 'href="/feeds/mrud-yazd/infrastructure-projects.atom"' in head
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.headers["x-seen-encoding"] == ""  # asked uncompressed so it can be edited


def test_agency_page_and_home() -> None:
    assert [href for _, href in feed_links("/agencies", "agency=mcls-yazd")] == [
        "/feeds/publications.atom",
        "/feeds/mcls-yazd.atom",
    ]
    assert [href for _, href in feed_links("/", "")] == ["/feeds/publications.atom"]
    assert len(feed_links("/dataset", "dataset=../../x")) == 1


def test_other_responses_are_untouched() -> None:
    response = client().get("/_stcore/x")
    assert response.json() == {"head": "</head>"}
