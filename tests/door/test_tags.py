"""Each encoded copy has its own entity tag, whoever encoded it (portal.door.tags)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette_compress import CompressMiddleware

from portal.door.encoded import accepted
from portal.door.tags import EncodedTags, encoded_tag
from tests.door.test_compression import DECODE

BODY = ("سلام دنیا " * 400).encode()


def page(tag: str) -> TestClient:
    """An app that knows only its plain tag (as Streamlit's static files and the door's
    plain copy do), compressed by the middleware, tagged per encoding outside it."""

    async def answer(request: Request) -> Response:
        if tag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": tag})
        return Response(BODY, media_type="text/plain", headers={"ETag": tag})

    return TestClient(EncodedTags(CompressMiddleware(Starlette(routes=[Route("/", answer)]))))


@pytest.mark.parametrize("tag", ['"abc"', 'W/"abc"'])
def test_an_encoded_copy_names_its_coding(tag: str) -> None:
    client = page(tag)
    for coding in ("zstd", "br", "gzip"):
        answer = client.get("/", headers={"Accept-Encoding": coding})
        assert answer.headers["content-encoding"] == coding
        assert answer.headers["etag"] == encoded_tag(tag, coding) == f'{tag[:-1]}-{coding}"'
        shown = DECODE["zstd"](answer.content) if coding == "zstd" else answer.content
        assert shown == BODY
    assert client.get("/", headers={"Accept-Encoding": "identity"}).headers["etag"] == tag


def test_a_held_copy_revalidates_only_where_its_coding_is_still_taken() -> None:
    client = page('"abc"')
    held = client.get("/", headers={"Accept-Encoding": "zstd"}).headers["etag"]
    again = client.get("/", headers={"Accept-Encoding": "zstd", "If-None-Match": held})
    assert again.status_code == 304 and again.headers["etag"] == '"abc-zstd"'
    both = client.get(
        "/", headers={"Accept-Encoding": "gzip, zstd", "If-None-Match": f'"abc-gzip", {held}'}
    )
    assert both.status_code == 304 and both.headers["etag"] in ('"abc-gzip"', '"abc-zstd"')
    # the reader no longer takes zstd: its copy is not "not modified", a gzip copy is sent
    moved = client.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": held})
    assert moved.status_code == 200 and moved.headers["etag"] == '"abc-gzip"'
    plain = client.get("/", headers={"Accept-Encoding": "identity", "If-None-Match": held})
    assert plain.status_code == 200 and plain.headers["etag"] == '"abc"'
    assert plain.content == BODY
    other = client.get("/", headers={"Accept-Encoding": "zstd", "If-None-Match": '"xyz-zstd"'})
    assert other.status_code == 200 and other.headers["etag"] == '"abc-zstd"'


def test_accepted_reads_weights_and_the_wildcard() -> None:
    assert accepted("gzip, deflate, br, zstd") == {"gzip", "br", "zstd"}
    assert accepted("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted("*") == {"br", "gzip", "zstd"} and accepted("*, br;q=0") == {"gzip", "zstd"}
    assert accepted("identity") == set() and accepted("") == set()
    assert accepted("gzip;q=nope, br") == {"br"}


def test_vary_names_accept_encoding_once_when_the_app_and_the_middleware_both_say_it() -> None:
    """The door says `Vary: Accept-Encoding` and the middleware adds it again when it
    encodes (zstd) or passes the plain bytes: the answer named it twice
    ('Accept-Encoding, Accept-Encoding')."""

    async def answer(request: Request) -> Response:
        headers = {"ETag": '"abc"', "Vary": "Accept-Encoding"}
        return Response(BODY, media_type="text/plain", headers=headers)

    app = EncodedTags(CompressMiddleware(Starlette(routes=[Route("/", answer)])))
    client = TestClient(app)
    for coding in ("zstd", "identity", "br"):
        answer_ = client.get("/", headers={"Accept-Encoding": coding})
        assert answer_.headers.get_list("vary") == ["Accept-Encoding"], coding
