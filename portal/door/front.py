"""The door: page addresses answered from ready bytes, before the dashboard's shell.

A GET of a public page address (home, projects and a project card, the catalogue and a
dataset, indicators, agencies and an agency, about) is answered with the page's
server-rendered document, built once per publication, language and day and kept as bytes
(ETag: the publication, 304 when unchanged). An address that names no page, dataset,
project or agency answers 404 with a bilingual page. Streamlit's own paths (scripts,
websocket, media), the publish page and everything not GET/HEAD go on to the dashboard.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from portal.door.agencies import build_agencies, build_agency
from portal.door.context import Ask
from portal.door.datasets import build_catalogue, build_dataset
from portal.door.home import build_about, build_home
from portal.door.indicators import build_indicators
from portal.door.models import Page
from portal.door.projects import build_project, build_projects
from portal.door.published import Publications
from portal.door.render import document, not_found_document
from portal.i18n import LANGUAGES

# The dashboard's own addresses: its scripts and styles, websocket, media, components.
DASHBOARD_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/")
DASHBOARD_PATHS = frozenset({"/publish", "/favicon.png", "/manifest.json"})
# page path -> (the query parameter naming a thing, builder of the list, builder of one)
Builder = Callable[[Ask], Page]
OneBuilder = Callable[[Ask, str], Page | None]
PAGES: dict[str, tuple[str, Builder, OneBuilder | None]] = {
    "/": ("", build_home, None),
    "/home": ("", build_home, None),
    "/projects": ("project", build_projects, build_project),
    "/dataset": ("dataset", build_catalogue, build_dataset),
    "/indicators": ("", build_indicators, None),
    "/agencies": ("agency", build_agencies, build_agency),
    "/about": ("", build_about, None),
}
CACHED_PAGES = 4096  # project cards are many; each is a few kilobytes


def page_path(path: str) -> str:
    return path.rstrip("/") or "/"


def is_dashboard(path: str) -> bool:
    return path.startswith(DASHBOARD_PREFIXES) or path in DASHBOARD_PATHS


class PageCache:
    """Rendered documents of one publication; emptied when the publication changes."""

    def __init__(self) -> None:
        self._head = ""
        self._pages: OrderedDict[tuple[str, ...], tuple[bytes, str] | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, head: str, key: tuple[str, ...], build: Callable[[], bytes | None]
    ) -> tuple[bytes, str] | None:
        with self._lock:
            if head != self._head:
                self._head, self._pages = head, OrderedDict()
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
        body = build()
        tag = hashlib.sha256(repr((head, key)).encode()).hexdigest()[:24]
        found = None if body is None else (body, f'"{tag}"')
        with self._lock:
            if head == self._head:
                self._pages[key] = found
                while len(self._pages) > CACHED_PAGES:
                    self._pages.popitem(last=False)
        return found


def base_url(request: Request, public_url: str | None) -> str:
    """The portal's address as configured, else as this request reached it."""
    return public_url or f"{request.url.scheme}://{request.url.netloc}"


class Door:
    """ASGI front of the dashboard: page addresses answered with their content."""

    def __init__(self, app: ASGIApp, home: Path, public_url: str | None = None) -> None:
        self.app = app
        self.publications = Publications(home)
        self.public_url = public_url
        self.cache = PageCache()
        self.not_found = not_found_document()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or is_dashboard(path)
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        response = self.answer(request, page_path(path))
        await response(scope, receive, send)

    def answer(self, request: Request, path: str) -> Response:
        if path not in PAGES:
            return self.missing()
        lang = request.query_params.get("lang", "fa")
        lang = lang if lang in LANGUAGES else "fa"
        parameter, build_list, build_one = PAGES[path]
        wanted = request.query_params.get(parameter, "") if parameter else ""
        publication = self.publications.current()
        base = base_url(request, self.public_url)
        today = date.today().isoformat()

        def build() -> bytes | None:
            ask = Ask(publication, lang, today, base)
            page = build_one(ask, wanted) if wanted and build_one else build_list(ask)
            return None if page is None else document(page, base)

        found = self.cache.get(publication.head, (path, wanted, lang, today, base), build)
        if found is None:
            return self.missing()
        body, etag = found
        headers = {"ETag": etag, "Cache-Control": "public, no-cache", "Vary": "Accept-Encoding"}
        if etag in _tags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)

    def missing(self) -> Response:
        return Response(self.not_found, status_code=404, media_type="text/html; charset=utf-8")


def _tags(header: str) -> set[str]:
    """The entity tags an If-None-Match names (weak ones compared as strong)."""
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
