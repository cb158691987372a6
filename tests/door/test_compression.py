"""The whole portal in-process (the real dashboard's static files behind the door): pages,
scripts and styles compressed as each request asks; downloads stay the exact bytes."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
import zstandard
from starlette.testclient import TestClient

from portal.app import create_app
from portal.config import Settings
from portal.web import context

DECODE = {
    "br": brotli.decompress,
    "gzip": gzip.decompress,
    "zstd": lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data),
}


@pytest.fixture(scope="module")
def portal(
    published_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """One whole portal for the module: Streamlit allows one runtime per process. Its
    settings are the pages' for this module only."""
    home = tmp_path_factory.mktemp("compression") / "var"
    shutil.copytree(published_template, home)
    settings = Settings(home=home)
    with context.registered(settings):
        yield TestClient(create_app(settings))


def raw(client: TestClient, address: str, encoding: str) -> tuple[str, bytes]:
    """The bytes on the wire (not decoded) and their content-encoding."""
    with client.stream("GET", address, headers={"Accept-Encoding": encoding}) as response:
        assert response.status_code == 200
        return response.headers.get("content-encoding", ""), b"".join(response.iter_raw())


def assets(client: TestClient) -> list[str]:
    html = client.get("/").text
    script = re.search(r"\./(static/js/index\.[\w-]+\.js)", html)
    style = re.search(r"\./(static/css/index\.[\w-]+\.css)", html)
    assert script and style
    return [f"/{script.group(1)}", f"/{style.group(1)}"]


def test_pages_scripts_and_styles_are_compressed_as_asked(portal: TestClient) -> None:
    for address in ["/", "/dataset?dataset=mrud-yazd/infrastructure-projects", *assets(portal)]:
        encoding, plain = raw(portal, address, "identity")
        assert encoding == ""
        for asked in ("br", "gzip", "zstd"):
            encoding, wire = raw(portal, address, asked)
            assert encoding == asked, f"{address} not {asked}"
            assert DECODE[asked](wire) == plain
            assert len(wire) < len(plain) / 2
        # A browser asking for several gets one of them; nothing unknown is invented.
        assert raw(portal, address, "gzip, deflate, br")[0] in ("br", "gzip")
        assert raw(portal, address, "compress")[0] == ""


def test_hashed_static_assets_are_immutable(portal: TestClient) -> None:
    for address in assets(portal):
        control = portal.get(address).headers["cache-control"]
        assert "immutable" in control and "max-age=31536000" in control


def test_downloads_stay_the_published_bytes(portal: TestClient) -> None:
    address = "/download/mrud-yazd/infrastructure-projects/latest/projects.csv"
    encoding, wire = raw(portal, address, "br, gzip")
    assert encoding == "" and wire.startswith(b"id,title_fa")


def _tagged(client: TestClient, address: str, encoding: str, held: str = "") -> tuple[int, str]:
    headers = {"Accept-Encoding": encoding, **({"If-None-Match": held} if held else {})}
    with client.stream("GET", address, headers=headers) as response:
        sent = response.headers.get("content-encoding", "identity")
        assert sent == encoding or response.status_code == 304, (address, encoding, sent)
        return response.status_code, response.headers.get("etag", "")


def test_each_encoding_has_its_own_etag(portal: TestClient) -> None:
    """RFC 9110 8.8.3: the zstd copy of a page (and the compressed copies of the dashboard's
    scripts) carried the plain copy's ETag, so a cache could pair a 304 with another
    encoding's body. Each encoded copy has its own tag; each tag revalidates (304) only for
    a reader that still accepts its encoding."""
    for address in ["/", "/projects?q=یزد", *assets(portal)]:
        tags = {}
        for encoding in ("identity", "br", "gzip", "zstd"):
            status, tag = _tagged(portal, address, encoding)
            assert status == 200 and tag, (address, encoding)
            if encoding != "identity":
                assert tag.endswith(f'-{encoding}"'), (address, tag)
            tags[encoding] = tag
        assert len(set(tags.values())) == 4, (address, tags)
        for encoding, tag in tags.items():
            # the reader holding this copy: 304, naming the copy it holds
            assert _tagged(portal, address, encoding, held=tag) == (304, tag)
        for held, asked in (("zstd", "identity"), ("br", "gzip"), ("gzip", "zstd")):
            # a copy in an encoding the reader no longer takes is not "not modified"
            status, tag = _tagged(portal, address, asked, held=tags[held])
            assert (status, tag) == (200, tags[asked]), (address, held, asked)


def test_the_dashboards_shell_is_tagged_per_address_through_the_whole_portal(
    portal: TestClient,
) -> None:
    """The pages only the dashboard draws (/sql, /releases) get Streamlit's index.html
    rewritten per address: each address's body has its own tag in every encoding, a reader
    holding it gets a 304, and a tag of another address's body never does."""
    tags = {
        (address, encoding): _tagged(portal, address, encoding)
        for address in ("/sql", "/sql?lang=en", "/releases")
        for encoding in ("identity", "br")
    }
    assert {status for status, _ in tags.values()} == {200}
    assert len({tag for _, tag in tags.values()}) == len(tags)
    for (address, encoding), (_, tag) in tags.items():
        assert _tagged(portal, address, encoding, held=tag) == (304, tag)
    for address, other in (("/sql", "/sql?lang=en"), ("/releases", "/sql")):
        held = tags[(other, "br")][1]
        assert _tagged(portal, address, "br", held=held) == (200, tags[(address, "br")][1])


def test_a_head_of_the_dashboards_shell_matches_its_get_through_the_whole_portal(
    portal: TestClient,
) -> None:
    """Identity only: the compression middleware leaves HEAD answers uncompressed."""
    asked = {"Accept-Encoding": "identity"}
    got = portal.get("/sql", headers=asked)
    head = portal.head("/sql", headers=asked)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == str(len(got.content))
