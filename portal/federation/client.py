"""Calls to a CKAN portal through ckanapi, with every failure turned into a clear error.

Unreachable, timed out, refused key (403), CKAN's validation errors: each becomes a
`FederationFailed` (exit code 1) naming the portal, the action and what CKAN said.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import ckanapi
import requests

from portal import __version__
from portal.errors import FederationFailed, IntakeRefused
from portal.federation.egress import Egress, RefusedAddress, guard

DEFAULT_TIMEOUT = 60.0
MAX_REDIRECTS = 5


class CkanPortal:
    """One CKAN portal, called action by action."""

    def __init__(
        self,
        url: str,
        apikey: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        allow_hosts: Iterable[str] = (),
    ) -> None:
        """`session` is the HTTP transport (tests may pass one of their own; the address
        guard is mounted on it). Resources are fetched only from public addresses, this
        portal's own origin and `allow_hosts` (`host` or `host:port`, see `egress`)."""
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.egress = Egress.for_portal(self.url, allow_hosts)
        guard(self.session, self.egress)
        self.remote = ckanapi.RemoteCKAN(
            self.url,
            apikey=apikey,
            user_agent=f"glasswall/{__version__} (ckanapi)",
            session=self.session,
        )
        self.calls = 0

    def call(self, action: str, files: dict[str, Any] | None = None, **data: Any) -> Any:
        self.calls += 1
        kwargs = {"timeout": self.timeout}
        try:
            return self.remote.call_action(action, data, files=files, requests_kwargs=kwargs)
        except ckanapi.NotFound:
            raise
        except requests.Timeout:
            raise FederationFailed("ckan.timeout", url=self.url, action=action) from None
        except requests.ConnectionError:
            raise FederationFailed("ckan.unreachable", url=self.url, action=action) from None
        except ckanapi.NotAuthorized:
            raise FederationFailed("ckan.forbidden", url=self.url, action=action) from None
        except ckanapi.ValidationError as exc:
            detail = _validation_detail(exc.error_dict)
            raise FederationFailed(
                "ckan.rejected", url=self.url, action=action, detail=detail
            ) from None
        except ckanapi.CKANAPIError as exc:
            raise FederationFailed(
                "ckan.failed", url=self.url, action=action, detail=str(exc)[:300]
            ) from None

    def find(self, action: str, **data: Any) -> Any | None:
        """The answer, or None where CKAN says Not Found."""
        try:
            return self.call(action, **data)
        except ckanapi.NotFound:
            return None

    def same_origin(self, url: str) -> bool:
        """True when `url` is on this portal's scheme, host and port (where the key may go)."""
        mine, theirs = urlsplit(self.url), urlsplit(url)
        return (mine.scheme, mine.hostname, mine.port) == (
            theirs.scheme,
            theirs.hostname,
            theirs.port,
        )

    def download(self, url: str, target: Path, count: Callable[[int], None]) -> str:
        """A resource's file streamed to `target` (never an existing file); its sha256.

        `count` is told every chunk's size before it is written and raises to stop an
        oversized download. The API key goes only to this portal's own origin. Every hop
        of a redirect is checked against the address policy before it is fetched.
        """
        hop = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                if urlsplit(hop).scheme not in ("http", "https"):
                    raise IntakeRefused(
                        "intake.remote_url", key="url", value=hop[:200], where=self.url
                    )
                self.egress.check_url(hop)
                send_key = bool(self.remote.apikey) and self.same_origin(hop)
                headers = {"Authorization": str(self.remote.apikey)} if send_key else {}
                with self.session.get(
                    hop, headers=headers, stream=True, timeout=self.timeout, allow_redirects=False
                ) as response:
                    if response.is_redirect:
                        hop = urljoin(hop, response.headers["location"])
                        continue
                    response.raise_for_status()
                    return _save(response, target, count)
            raise requests.TooManyRedirects(url)
        except RefusedAddress as refused:
            raise IntakeRefused(
                "ckan.private_address",
                url=hop[:200],
                host=refused.host,
                address=refused.address,
            ) from None
        except requests.RequestException as exc:
            raise FederationFailed(
                "ckan.download_failed", url=url[:200], detail=type(exc).__name__
            ) from None


def _save(response: requests.Response, target: Path, count: Callable[[int], None]) -> str:
    digest = hashlib.sha256()
    with target.open("xb") as out:
        for chunk in response.iter_content(1024 * 1024):
            count(len(chunk))
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _validation_detail(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)[:300]
    parts = [f"{key}: {value}" for key, value in error.items() if not key.startswith("__")]
    return "; ".join(parts)[:300]
