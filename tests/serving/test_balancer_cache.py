"""The balancer's cache of the door's pages: keyed by the publication, one copy per encoding.

A real HAProxy in front of a stand-in for the door (it answers with the door's headers and
says what it was asked), then the whole `serve --workers 2` over the sample data.
"""

from __future__ import annotations

import gzip
import http.client
import itertools
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import httpx
import pytest
import zstandard

from portal.config import Settings
from portal.door.encoded import ENCODERS, choose
from portal.door.front import MACHINE_PATHS as DOOR_MACHINE_PATHS
from portal.door.front import PAGES
from portal.serving.balancer import COOKIE, Backend, haproxy_binary, write_config
from portal.serving.balancer_cache import (
    MACHINE_PATHS,
    PAGE_PATHS,
    SITEMAP_PARTS,
    PublicationWatch,
    ask,
    stamp,
)
from portal.serving.launch import free_port
from tests.door.conftest import republish
from tests.served import running

DATASET = "/dataset?dataset=mrud-yazd/infrastructure-projects"


def test_every_address_the_door_answers_is_read_through_the_cache() -> None:
    assert set(PAGE_PATHS) == set(PAGES)
    assert set(MACHINE_PATHS) == {p for p in DOOR_MACHINE_PATHS if "{" not in p}
    assert re.fullmatch(SITEMAP_PARTS.strip("^$"), "/sitemap-12.xml")
    assert not re.fullmatch(SITEMAP_PARTS.strip("^$"), "/sitemap-0.xml")


class _Door(BaseHTTPRequestHandler):
    """Answers like the door (ETag per encoding, `no-cache`, Vary) and says, in headers,
    which request it was: its number, the address and the Accept-Encoding it received."""

    protocol_version = "HTTP/1.1"
    served = itertools.count(1)

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        number = next(self.served)
        asked = self.headers.get("accept-encoding", "")
        encoding = "" if self.path == "/health" else choose(asked)
        body = ENCODERS[encoding](b"x" * 500) if encoding else b"x" * 500
        self.send_response(200)
        if self.path != "/health":
            self.send_header("ETag", f'"page{self.path}{number}{encoding}"')
            self.send_header("Cache-Control", "public, no-cache")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("X-Number", str(number))
            self.send_header("X-Address", self.path)
            self.send_header("X-Asked", asked)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


@contextmanager
def _balanced_door(run_dir: Path, home: Path) -> Iterator[tuple[str, PublicationWatch]]:
    """HAProxy (as `serve --workers` writes it) in front of one stand-in door."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Door)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = free_port()
    runtime = run_dir / "haproxy.sock"
    watch = PublicationWatch(home, run_dir, runtime, stamp(home))
    backends = [Backend("w1", server.server_address[1])]
    config = write_config(run_dir, "127.0.0.1", port, backends, runtime, watch.told)
    balancer = subprocess.Popen([haproxy_binary(), "-f", str(config)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not runtime.exists() or not _answers(f"http://127.0.0.1:{port}/health"):
            assert time.monotonic() < deadline, "HAProxy did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", watch
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)
        server.shutdown()
        server.server_close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _publish_something(home: Path) -> None:
    """A new line in the public log: what every publication does (its generation moves)."""
    with (home / "log.jsonl").open("a", encoding="utf-8") as log:
        log.write('{"event": "published"}\n')


def test_a_page_comes_from_the_cache_until_the_publication_changes(tmp_path: Path) -> None:
    home = tmp_path / "var"
    home.mkdir()
    _publish_something(home)
    with _balanced_door(tmp_path / "run", home) as (url, watch):
        first = httpx.get(f"{url}/dataset?dataset=a/b", headers={"Accept-Encoding": "br"})
        again = httpx.get(f"{url}/dataset?dataset=a/b", headers={"Accept-Encoding": "br"})
        assert first.status_code == again.status_code == 200
        assert again.headers["x-number"] == first.headers["x-number"]  # the same answer
        assert "age" in again.headers and "age" not in first.headers  # from the cache
        # the worker is asked the reader's own address; the key's parts stay in HAProxy
        assert first.headers["x-address"] == "/dataset?dataset=a/b"
        # Browsers still revalidate: the cache's copy is served as `no-cache`, with a 304
        # for the ETag they hold.
        assert again.headers["cache-control"].replace(" ", "") == "public,no-cache"
        held = {"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]}
        assert httpx.get(f"{url}/dataset?dataset=a/b", headers=held).status_code == 304
        assert not watch.check()  # nothing published: nothing to tell
        _publish_something(home)
        assert watch.check()
        assert f"current {stamp(home)}" in ask(watch.socket, "show map publication.map")
        after = httpx.get(f"{url}/dataset?dataset=a/b", headers={"Accept-Encoding": "br"})
        assert int(after.headers["x-number"]) > int(first.headers["x-number"])
        assert "age" not in after.headers
        assert httpx.get(f"{url}/dataset?dataset=a/b", headers=held).status_code == 200
        # Another address, a trailing part of the query: each its own copy.
        other = httpx.get(f"{url}/dataset?dataset=a/c", headers={"Accept-Encoding": "br"})
        assert other.headers["x-address"] == "/dataset?dataset=a/c"
        assert other.headers["x-number"] != after.headers["x-number"]


# What a reader says it accepts -> what the worker is asked, and the encoding sent back.
NEGOTIATED = [
    (None, "identity", ""),  # no header: plain bytes (HAProxy alone would send any copy)
    ("identity", "identity", ""),
    ("br, gzip", "br, identity;q=0", "br"),
    ("gzip, deflate, br, zstd", "br, identity;q=0", "br"),
    ("gzip", "gzip, identity;q=0", "gzip"),
    ("gzip , br;q=0", "gzip, identity;q=0", "gzip"),
    ("br;q=0.0, GZIP;q=0.5", "gzip, identity;q=0", "gzip"),
    ("zstd", "zstd, identity;q=0", ""),  # the door leaves zstd to the compression middleware
    ("compress, *", "identity", ""),
    ("gzip;q=0, br;q=0", "identity", ""),
]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes  # as sent on the wire (not decoded)


def _get(url: str, encoding: str | None, etag: str = "") -> Answer:
    """A GET carrying exactly this Accept-Encoding, or none at all (clients add their own)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    address = f"{parts.path}?{parts.query}" if parts.query else parts.path
    connection.putrequest("GET", address, skip_accept_encoding=True)
    if encoding is not None:
        connection.putheader("Accept-Encoding", encoding)
    if etag:
        connection.putheader("If-None-Match", etag)
    connection.endheaders()
    response = connection.getresponse()
    headers = {name.lower(): value for name, value in response.getheaders()}
    answer = Answer(response.status, headers, response.read())
    connection.close()
    return answer


def test_each_reader_gets_the_copy_the_door_would_send(tmp_path: Path) -> None:
    """HAProxy 2.6 hands a plain copy to every reader and any copy to a reader who names
    no encoding; the balancer asks the door for its own choice, so the copies stay apart
    whichever reader came first after a publication."""
    home = tmp_path / "var"
    home.mkdir()
    with _balanced_door(tmp_path / "run", home) as (url, _):
        for page in ("/", "/projects?project=p1"):
            for order in (NEGOTIATED, list(reversed(NEGOTIATED))):
                for sent, asked, encoding in order * 2:
                    answer = _get(f"{url}{page}", sent)
                    assert answer.headers["x-asked"] == asked, (page, sent)
                    assert answer.headers.get("content-encoding", "") == encoding, sent


def test_the_sticky_cookie_is_for_the_dashboard_not_for_readers(tmp_path: Path) -> None:
    home = tmp_path / "var"
    home.mkdir()
    with _balanced_door(tmp_path / "run", home) as (url, _):
        for address in ("/", "/projects?project=p1", "/sitemap.xml", "/sitemap-3.xml"):
            assert COOKIE not in httpx.get(f"{url}{address}").cookies, address
        for address in ("/_stcore/host-config", "/static/js/index.js", "/publish"):
            assert COOKIE in httpx.get(f"{url}{address}").cookies, address
        # Not a read: to the dashboard's workers, as before.
        assert COOKIE in httpx.request("OPTIONS", f"{url}/").cookies


# The whole portal: `serve --workers 2`, HAProxy and the real door over the sample data.

DECODE = {
    "br": brotli.decompress,
    "gzip": gzip.decompress,
    "zstd": lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data),
    "": lambda data: data,
}


@pytest.fixture(scope="module")
def cluster(
    published_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings]]:
    """`balanced` (tests/conftest.py) once for the module: these tests only read."""
    folder = tmp_path_factory.mktemp("cluster")
    settings = Settings(home=folder / "var")
    shutil.copytree(published_template, settings.home, copy_function=shutil.copy)
    with running(settings.home, folder / "serve.log", workers=2) as url:
        yield url, settings


@pytest.mark.slow
def test_compression_is_negotiated_per_request_through_the_balancer(
    cluster: tuple[str, Settings],
) -> None:
    url, _ = cluster
    for address in ("/", f"{DATASET}&lang=en", "/projects"):
        plain = _get(f"{url}{address}", "identity").body
        assert b"<title>" in plain
        for _ in range(2):  # the worker's answer, then the balancer's copy
            for asked, sent in (("br, gzip", "br"), ("gzip", "gzip"), ("zstd", "zstd")):
                answer = _get(f"{url}{address}", asked)
                assert answer.headers.get("content-encoding") == sent, (address, asked)
                assert DECODE[sent](answer.body) == plain
                assert "set-cookie" not in answer.headers
                again = _get(f"{url}{address}", asked, answer.headers["etag"])
                assert again.status == 304, (address, asked)
            assert _get(f"{url}{address}", None).body == plain  # named none: plain
        assert "age" in _get(f"{url}{address}", "br").headers  # and it was kept
    # An address that names nothing: the bilingual 404, never kept.
    for _ in range(2):
        missing = _get(f"{url}/projects?project=no-such-project", "br")
        assert missing.status == 404 and "age" not in missing.headers


@pytest.mark.slow
def test_a_kept_page_after_a_new_publication_shows_the_new_version(
    cluster: tuple[str, Settings], tmp_path: Path
) -> None:
    url, settings = cluster
    before = _get(f"{url}{DATASET}", "br")
    kept = _get(f"{url}{DATASET}", "br")
    assert "age" in kept.headers and kept.headers["etag"] == before.headers["etag"]
    title = "طرح‌های یزد، ویرایش تازه"
    assert title not in brotli.decompress(kept.body).decode()
    republish(settings, tmp_path, title)
    published = time.monotonic()
    while title not in brotli.decompress(_get(f"{url}{DATASET}", "br").body).decode():
        assert time.monotonic() - published < 5, "the old page is still served"
        time.sleep(0.1)
    # The reader who holds the old page gets the new one, not a 304; then 304 on the new.
    fresh = _get(f"{url}{DATASET}", "br", before.headers["etag"])
    assert fresh.status == 200 and fresh.headers["etag"] != before.headers["etag"]
    assert _get(f"{url}{DATASET}", "br", fresh.headers["etag"]).status == 304


@pytest.mark.slow
def test_each_kept_copy_has_its_own_etag_through_the_balancer(
    cluster: tuple[str, Settings],
) -> None:
    """RFC 9110 8.8.3, with HAProxy's copies in between: the zstd copy of a page carried
    the plain copy's ETag; a cache answering 304 for one could pair it with the other."""
    url, _ = cluster
    for address in ("/", f"{DATASET}&lang=en"):
        for _ in range(2):  # the worker's answer, then the balancer's copy
            tags = {}
            for asked in ("identity", "br", "gzip", "zstd"):
                answer = _get(f"{url}{address}", asked)
                sent = answer.headers.get("content-encoding", "identity")
                assert answer.status == 200 and sent == asked, (address, asked)
                tags[asked] = answer.headers["etag"]
                assert asked == "identity" or tags[asked].endswith(f'-{asked}"'), tags
                again = _get(f"{url}{address}", asked, tags[asked])
                assert (again.status, again.headers["etag"]) == (304, tags[asked])
            assert len(set(tags.values())) == 4, tags
            # a copy in a coding the reader no longer takes is not "not modified"
            moved = _get(f"{url}{address}", "identity", tags["zstd"])
            assert moved.status == 200 and moved.headers["etag"] == tags["identity"]
            assert b"<title>" in moved.body
