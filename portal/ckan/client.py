"""Calls to a CKAN portal through ckanapi, with every failure turned into a clear error.

Unreachable, timed out, refused key (403), CKAN's validation errors: each becomes a
`FederationFailed` (exit code 1) naming the portal, the action and what CKAN said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckanapi
import requests

from portal import __version__
from portal.errors import FederationFailed

DEFAULT_TIMEOUT = 60.0


class CkanPortal:
    """One CKAN portal, called action by action."""

    def __init__(
        self, url: str, apikey: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.remote = ckanapi.RemoteCKAN(
            self.url, apikey=apikey, user_agent=f"glasswall/{__version__} (ckanapi)"
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

    def download(self, url: str, target: Path) -> None:
        """A resource's file, streamed to `target`."""
        headers = {"Authorization": self.remote.apikey} if self.remote.apikey else {}
        try:
            with requests.get(url, headers=headers, stream=True, timeout=self.timeout) as response:
                response.raise_for_status()
                with target.open("wb") as out:
                    for chunk in response.iter_content(1024 * 1024):
                        out.write(chunk)
        except requests.RequestException as exc:
            raise FederationFailed(
                "ckan.download_failed", url=url, detail=type(exc).__name__
            ) from None


def _validation_detail(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)[:300]
    parts = [f"{key}: {value}" for key, value in error.items() if not key.startswith("__")]
    return "; ".join(parts)[:300]
