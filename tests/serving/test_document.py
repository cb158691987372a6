"""The dashboard-only pages (/sql, /releases, /publish) with scripts off: Streamlit's own
document says "Streamlit" and explains its agent API in English; a Persian reader gets the
page's name and a sentence in their language pointing at the pages that work without scripts."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from streamlit.web.server.starlette.starlette_static_routes import (
    create_streamlit_static_handler,
)

from portal.i18n import text
from portal.serving.document import DocumentLanguage

STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def _client() -> TestClient:
    served = STREAMLIT_INDEX.read_text(encoding="utf-8")  # the shell Streamlit serves

    async def page(request: object) -> HTMLResponse:
        return HTMLResponse(served)

    return TestClient(DocumentLanguage(Starlette(routes=[Route("/{path:path}", page)])))


def _noscript(body: str) -> str:
    found = re.search(r"<noscript>(.*?)</noscript>", body, re.S)
    assert found, body
    return found.group(1)


def test_a_persian_page_without_scripts_speaks_persian() -> None:
    body = _client().get("/sql").text
    said = _noscript(body)
    assert not re.search(r"\b(JavaScript|Streamlit|agents?|JSON)\b", said), said
    assert re.search("[\u0600-\u06ff]", said)
    assert 'href="/dataset"' in said  # where the same data is read without scripts
    title = re.search(r"<title>(.*?)</title>", body).group(1)  # type: ignore[union-attr]
    assert text("web.sql", "fa") in title and "Streamlit" not in title


def test_an_english_page_says_it_in_english() -> None:
    body = _client().get("/releases?lang=en").text
    assert '<html lang="en" dir="ltr">' in body
    said = _noscript(body)
    assert not re.search("[\u0600-\u06ff]", said) and 'href="/dataset?lang=en"' in said
    assert text("calendar.title", "en") in body.split("<title>")[1].split("</title>")[0]


def test_an_unknown_page_keeps_a_title_without_streamlit() -> None:
    body = _client().get("/nowhere").text
    assert "<title>Streamlit</title>" not in body


def _streamlit() -> tuple[TestClient, TestClient]:
    """Streamlit's own static handler (its index.html for a page address, with its ETag),
    alone and behind the rewriting."""
    handler = create_streamlit_static_handler(str(STREAMLIT_INDEX.parent), None)
    return TestClient(handler), TestClient(DocumentLanguage(handler))


def test_each_rewritten_shell_has_its_own_tag_and_304s_only_its_own_body() -> None:
    """The shell is rewritten per address (language, title, noscript) but kept Streamlit's
    ETag of index.html: one tag named different bodies, so a cache holding /sql could be
    told its copy was good for /releases, and a new catalog text never reached a reader."""
    streamlit_alone, client = _streamlit()
    served = streamlit_alone.get("/sql")
    assert served.status_code == 200 and served.headers["etag"]
    answers = {address: client.get(address) for address in ("/sql", "/sql?lang=en", "/releases")}
    tags = {address: answer.headers["etag"] for address, answer in answers.items()}
    assert len({answer.content for answer in answers.values()}) == 3
    assert len(set(tags.values())) == 3 and served.headers["etag"] not in tags.values()
    assert "last-modified" not in answers["/sql"].headers  # index.html's, not this body's
    again = client.get("/sql", headers={"If-None-Match": tags["/sql"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tags["/sql"]
    assert client.get("/sql").headers["etag"] == tags["/sql"]  # the same body, the same tag
    for address, other in (("/sql?lang=en", "/sql"), ("/releases", "/sql")):
        across = client.get(address, headers={"If-None-Match": tags[other]})
        assert across.status_code == 200 and across.content == answers[address].content
    stale = client.get("/sql", headers={"If-None-Match": served.headers["etag"]})
    assert stale.status_code == 200 and stale.headers["etag"] == tags["/sql"]


def test_a_head_request_describes_the_rewritten_shell() -> None:
    """HEAD answered Streamlit's index.html: its length and tag, not the body GET sends."""
    _, client = _streamlit()
    for address in ("/sql", "/releases?lang=en"):
        got = client.get(address)
        head = client.head(address)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == got.headers["etag"]
        assert head.headers["content-length"] == str(len(got.content))
        held = client.head(address, headers={"If-None-Match": got.headers["etag"]})
        assert held.status_code == 304
