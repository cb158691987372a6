"""Where `ckan pull` may fetch a resource from: public addresses, and hosts the operator allows.

A CKAN package names its resources' URLs, so a hostile or careless CKAN could make the
portal fetch `http://127.0.0.1:…/`, `http://169.254.169.254/` (cloud metadata) or any
host on the server's private network and publish the answer (server-side request
forgery). A resource may come from the CKAN portal's own origin (the operator named it)
or from a host the operator allows (`--allow-host`, `GLASSWALL_CKAN_ALLOW_HOSTS`);
anything else must be a global address.

The address is checked twice: the name is resolved before each request (each redirect
hop too) for a clear refusal, and the socket's actual peer is checked when a connection
opens, so a name that resolves differently the second time (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from portal.errors import BadParameter

DEFAULT_PORTS = {"http": 80, "https": 443}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedAddress(Exception):
    """A connection to an address the policy refuses (raised before any byte is sent)."""

    def __init__(self, host: str, address: str) -> None:
        self.host = host
        self.address = address
        super().__init__(f"{host} is {address}, not a public address")


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    """False for private, loopback, link-local, multicast, reserved and unspecified ones."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_v4(address)
        if inner is not None and not is_public(inner):
            return False
    refused = (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )
    return address.is_global and not refused


def _parse(address: str) -> Address:
    return ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone


def _entry(value: str) -> tuple[str, int | None]:
    """`host`, `host:port`, `[v6]` or `[v6]:port` as (lower-case host, port or None)."""
    given = value.strip().lower()
    host, port = given, ""
    if given.startswith("["):
        host, _, rest = given[1:].partition("]")
        port = rest.removeprefix(":") if rest.startswith(":") else rest
    elif given.count(":") == 1:
        host, port = given.split(":")
    if not host or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        raise BadParameter("ckan.allow_host_invalid", field="allow-host", value=value)
    return host, int(port) if port else None


def _origin(url: str) -> tuple[str, str, int]:
    """Scheme, lower-case host and port (the scheme's default when none is written; 0 when
    the written one is not a port, which requests then refuses)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    return scheme, (parts.hostname or "").lower(), port


@dataclass(frozen=True)
class Egress:
    """The policy: the portal's own origin and the allowed hosts, else public addresses."""

    origin: tuple[str, str, int]  # the CKAN portal's scheme, host, port
    allowed: tuple[tuple[str, int | None], ...] = ()

    @classmethod
    def for_portal(cls, url: str, allow_hosts: Iterable[str] = ()) -> Egress:
        scheme, host, port = _origin(url)
        return cls((scheme, host, port), tuple(_entry(h) for h in allow_hosts if h.strip()))

    def trusted(self, scheme: str, host: str, port: int) -> bool:
        """True for the portal's own origin and for a host (and port) the operator allows."""
        host = host.lower().strip("[]")
        if (scheme, host, port) == self.origin:
            return True
        return any(host == h and p in (None, port) for h, p in self.allowed)

    def check_url(self, url: str) -> None:
        """Refuse `url` when its host resolves to an address that is not public."""
        scheme, host, port = _origin(url)
        if self.trusted(scheme, host, port):
            return
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return  # nothing to connect to: the request itself fails and says so
        for *_, sockaddr in found:
            if not is_public(_parse(str(sockaddr[0]))):
                raise RefusedAddress(host, str(sockaddr[0]))

    def check_peer(self, scheme: str, host: str, port: int, sock: socket.socket) -> None:
        """Refuse the connected socket unless its peer is public or its host trusted."""
        if self.trusted(scheme, host, port):
            return
        peer = str(sock.getpeername()[0])
        if not is_public(_parse(peer)):
            sock.close()
            raise RefusedAddress(host, peer)


def guard(session: requests.Session, egress: Egress) -> None:
    """Mount adapters on `session` whose direct connections pass `egress.check_peer`.

    Through a proxy (HTTP_PROXY, HTTPS_PROXY) the proxy connects, so only the resolution
    check of `check_url` applies there.
    """
    for scheme in ("http://", "https://"):
        session.mount(scheme, _GuardedAdapter(egress))


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, egress: Egress) -> None:
        self.egress = egress
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        egress = self.egress

        class Plain(HTTPConnection):
            def _new_conn(self) -> socket.socket:
                sock = super()._new_conn()
                egress.check_peer("http", self.host, self.port or 80, sock)
                return sock

        class Secure(HTTPSConnection):
            def _new_conn(self) -> socket.socket:
                sock = super()._new_conn()
                egress.check_peer("https", self.host, self.port or 443, sock)
                return sock

        class PlainPool(HTTPConnectionPool):
            ConnectionCls = Plain

        class SecurePool(HTTPSConnectionPool):
            ConnectionCls = Secure

        self.poolmanager.pool_classes_by_scheme = {"http": PlainPool, "https": SecurePool}
