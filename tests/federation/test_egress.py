"""The address policy of `ckan pull`: which addresses are public, and the socket guard."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from portal.errors import BadParameter
from portal.federation.egress import Egress, RefusedAddress, guard, is_public

REFUSED = [
    "10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "127.8.9.10", "169.254.169.254",
    "0.0.0.0", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "100.64.0.1",
    "192.0.0.1", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "fec0::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::", "2002:a00:1::",
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2001:db8::1",
]  # fmt: skip
PUBLIC = ["8.8.8.8", "1.1.1.1", "185.143.232.1", "2001:4860:4860::8888", "2606:4700::1111"]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_allowed_entries_match_host_and_port() -> None:
    egress = Egress.for_portal("https://ckan.example.ir", ["files.internal", "10.0.0.5:8080"])
    assert egress.trusted("https", "ckan.example.ir", 443)  # the portal's own origin
    assert not egress.trusted("http", "ckan.example.ir", 80)  # not another scheme or port
    assert egress.trusted("http", "FILES.internal", 80)
    assert egress.trusted("https", "files.internal", 9)
    assert egress.trusted("http", "10.0.0.5", 8080) and not egress.trusted("http", "10.0.0.5", 80)
    v6 = Egress.for_portal("https://ckan.example.ir", ["[fd00::5]:8080", "[::1]", "::1"])
    assert v6.trusted("http", "[fd00::5]", 8080) and v6.trusted("http", "::1", 1)


@pytest.mark.parametrize("entry", ["host:port", "10.0.0.5:0", "10.0.0.5:99999", "[::1]x", ":80"])
def test_a_malformed_allowed_host_is_a_clear_refusal(entry: str) -> None:
    with pytest.raises(BadParameter) as refused:
        Egress.for_portal("https://ckan.example.ir", [entry])
    assert entry in refused.value.message["en"] and entry in refused.value.message["fa"]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_the_socket_guard_checks_the_connected_peer(listener: tuple[str, list[str]]) -> None:
    """The check made when a connection opens (what a name resolved to at that moment,
    so DNS rebinding gains nothing), with no resolution check before it: the connection
    is closed before any request is sent, and an allowed host passes."""
    host, seen = listener
    session = requests.Session()
    guard(session, Egress.for_portal("https://ckan.example.ir"))
    with pytest.raises(RefusedAddress) as refused:
        session.get(f"http://{host}/secret", timeout=5)
    assert refused.value.address == "127.0.0.1"
    assert seen == []
    allowed = requests.Session()
    guard(allowed, Egress.for_portal("https://ckan.example.ir", [host]))
    assert allowed.get(f"http://{host}/open", timeout=5).text == "ok"
    assert seen == ["/open"]
