"""The door: page addresses answered from ready bytes, before the dashboard's shell.

A GET of a public page address (home, projects and a project card, the catalogue and a
dataset, indicators, agencies and an agency, about) is answered with the page's
server-rendered document, built once per publication, language and day and kept as bytes
(ETag: the publication, 304 when unchanged). An address that names no page, dataset,
project or agency answers 404 with a bilingual page. Streamlit's own paths (scripts,
websocket, media), the publish page and everything not GET/HEAD go on to the dashboard.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from portal import pages as site
from portal.door.agencies import build_agencies, build_agency
from portal.door.card import card_figure, draw
from portal.door.context import Ask
from portal.door.datasets import build_catalogue, build_dataset
from portal.door.encoded import Encoded, choose
from portal.door.home import build_about, build_home
from portal.door.indicators import build_indicators
from portal.door.models import Page
from portal.door.projects import build_project, build_projects
from portal.door.published import Publication, Publications
from portal.door.render import document, error_document, not_found_document
from portal.door.sitemap import robots, sitemap
from portal.i18n import LANGUAGES, bilingual
from portal.tables.filters import NOTHING_CHOSEN, Chosen, from_address

_log = logging.getLogger(__name__)

# The dashboard's own addresses: its scripts and styles, websocket, media, components.
DASHBOARD_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/")
# Pages only the dashboard draws (a form, a query, a calendar of the moment): passed on.
DASHBOARD_PATHS = frozenset(
    {page.path for page in site.PAGES if not page.door} | {"/favicon.png", "/manifest.json"}
)
Builder = Callable[[Ask], Page]
OneBuilder = Callable[[Ask, str], Page | None]
# page key -> (builder of the page, builder of the one thing its parameter names)
BUILDERS: dict[str, tuple[Builder, OneBuilder | None]] = {
    "home": (build_home, None),
    "projects": (build_projects, build_project),
    "dataset": (build_catalogue, build_dataset),
    "indicators": (build_indicators, None),
    "agencies": (build_agencies, build_agency),
    "about": (build_about, None),
}
# page path -> (the query parameter naming a thing, builder of the list, builder of one)
PAGES: dict[str, tuple[str, Builder, OneBuilder | None]] = {
    page.path: (page.thing, *BUILDERS[page.key]) for page in site.PAGES if page.door
} | {"/home": ("", build_home, None)}
XML = "application/xml"
CACHED_PAGES = 4096  # project cards are many; each is a few kilobytes
ALLOWED = "GET, HEAD"  # the door's addresses are only read
WAITING_CARDS = 8  # card requests queued for drawing before the door says "later"


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


# Addresses the door answers for machines, not people (described in `/api/openapi.json`).
MACHINE_PATHS = ("/robots.txt", "/sitemap.xml", "/sitemap-{part}.xml", "/og.png")


class Door:
    """ASGI front of the dashboard: page addresses answered with their content."""

    def __init__(self, app: ASGIApp, home: Path, public_url: str | None = None) -> None:
        self.app = app
        self.publications = Publications(home)
        self.public_url = public_url
        self.cache = PageCache()
        self.images = PageCache()
        self.drawn = PageCache()  # the same cards by what they show
        self.encoded = Encoded()
        self.painter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="door-cards")
        self.waiting = 0
        self.not_found = not_found_document()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or is_dashboard(path):
            await self.app(scope, receive, send)
            return
        if scope.get("method") not in ("GET", "HEAD"):
            if not _is_door_address(page_path(path)):
                await self.app(scope, receive, send)
                return
            refused = bilingual(
                "walk2.method_not_allowed", method=scope.get("method", ""), allowed=ALLOWED
            )
            page = error_document(refused, "polish.error.title")
            answer = Response(page, 405, {"Allow": ALLOWED}, "text/html; charset=utf-8")
            await answer(scope, receive, send)
            return
        request = Request(scope)
        response = await self.answer(request, page_path(path))
        await response(scope, receive, send)

    async def answer(self, request: Request, path: str) -> Response:
        base = base_url(request, self.public_url)
        if path == "/robots.txt":
            return Response(robots(base), media_type="text/plain; charset=utf-8")
        part = _sitemap_part(path)
        if part is not False:
            return self.sitemap(request, base, part)
        if path == "/og.png":
            return await self.drawing(request, base)
        if path not in PAGES:
            return self.missing()
        lang = _language(request.query_params.get("lang"))
        publication = self.publications.current()
        wanted = _wanted(path, request.query_params)
        chosen = _chosen(path, request.query_params, publication)
        today = date.today().isoformat()

        def build() -> bytes | None:
            page = self.model(publication, path, wanted, lang, base, today, chosen)
            return None if page is None else document(page, base)

        key = (path, wanted, lang, today, base, repr(chosen))
        found = self.cache.get(publication.head, key, build)
        return self.ready(request, found, "text/html; charset=utf-8")

    def model(
        self,
        publication: Publication,
        path: str,
        wanted: str,
        lang: str,
        base: str,
        today: str,
        chosen: Chosen = NOTHING_CHOSEN,
    ) -> Page | None:
        _, build_list, build_one = PAGES[path]
        ask = Ask(publication, lang, today, base, chosen)
        return build_one(ask, wanted) if wanted and build_one else build_list(ask)

    async def drawing(self, request: Request, base: str) -> Response:
        """Cards are drawn on one thread of their own, a few waiting at most: a crawler
        asking for thousands must not take the threads that serve downloads."""
        if self.waiting >= WAITING_CARDS:
            return _later(request, "card.queue_full", 30, waiting=self.waiting)
        self.waiting += 1
        try:
            future = self.painter.submit(self.image, request, base)
            return await asyncio.wrap_future(future)
        finally:
            self.waiting -= 1

    def image(self, request: Request, base: str) -> Response:
        """The page's card: `?page=` names the page's address, `lang` its language."""
        address = urlsplit(request.query_params.get("page", ""))
        path = page_path(address.path)
        if path not in PAGES:
            return self.missing()
        lang = _language(request.query_params.get("lang"))
        params = QueryParams(address.query)
        wanted = _wanted(path, params)
        publication = self.publications.current()
        chosen = _chosen(path, params, publication)
        today = date.today().isoformat()

        def build() -> bytes | None:
            page = self.model(publication, path, wanted, lang, base, today, chosen)
            if page is None:
                return None
            # Keyed by the picture itself: searches whose cards look the same (every word
            # that finds nothing) share one Chromium run instead of one each.
            picture = hashlib.sha256(card_figure(page).to_json().encode()).hexdigest()
            drawn = self.drawn.get(publication.head, (picture,), lambda: draw(page))
            return None if drawn is None else drawn[0]

        try:
            key = (path, wanted, lang, today, repr(chosen))
            found = self.images.get(publication.head, key, build)
        except Exception:  # no Chromium, or it failed: the picture is missing, not the portal
            _log.exception("door: the card image of %s could not be drawn", path)
            return _later(request, "card.not_drawn", 300)
        return self.ready(request, found, "image/png")

    def sitemap(self, request: Request, base: str, part: int | None) -> Response:
        publication = self.publications.current()

        def build() -> bytes | None:
            return sitemap(publication, base, part)

        key = ("sitemap", str(part), base)
        return self.ready(request, self.cache.get(publication.head, key, build), XML)

    def ready(self, request: Request, found: tuple[bytes, str] | None, kind: str) -> Response:
        """Bytes made for this publication, compressed once, or 304 when the reader holds
        them already (each encoding is its own representation, with its own tag)."""
        if found is None:
            return self.missing()
        body, etag = found
        encoding = "" if kind == "image/png" else choose(request.headers.get("accept-encoding", ""))
        if encoding:
            etag = f'{etag[:-1]}-{encoding}"'
        headers = {"ETag": etag, "Cache-Control": "public, no-cache", "Vary": "Accept-Encoding"}
        if etag in _tags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        if encoding:
            body = self.encoded.get(etag, encoding, body)
            headers["Content-Encoding"] = encoding
        return Response(body, media_type=kind, headers=headers)

    def missing(self) -> Response:
        return Response(self.not_found, status_code=404, media_type="text/html; charset=utf-8")


def _later(request: Request, key: str, retry_after: int, **params: object) -> Response:
    """A card not drawn now: the door's bilingual error page (a reader opening the image's
    address reads why), naming the card's page, and when to ask again."""
    page = request.query_params.get("page", "")[:200]
    said = bilingual(key, page=page, retry_after=retry_after, **params)
    return Response(
        error_document(said, "polish.error.title"),
        503,
        {"Retry-After": str(retry_after)},
        "text/html; charset=utf-8",
    )


def _is_door_address(path: str) -> bool:
    """An address the door answers (a page, its card, robots.txt, a sitemap)."""
    return path in PAGES or path in ("/robots.txt", "/og.png") or _sitemap_part(path) is not False


def _language(asked: str | None) -> str:
    return asked if asked in LANGUAGES else "fa"


def _wanted(path: str, params: QueryParams) -> str:
    """The thing the address names (a project, dataset or agency), "" for the list."""
    parameter = PAGES[path][0]
    return params.get(parameter, "") if parameter else ""


def _chosen(path: str, params: QueryParams, publication: Publication) -> Chosen:
    """The projects an address filters to, with the dashboard's meaning (`project_filters`)."""
    if path != "/projects":
        return NOTHING_CHOSEN
    return from_address(params, publication.codes)


def _sitemap_part(path: str) -> int | bool | None:
    """None for /sitemap.xml, N for /sitemap-N.xml, False for any other path."""
    if path == "/sitemap.xml":
        return None
    found = re.fullmatch(r"/sitemap-([1-9][0-9]{0,3})\.xml", path)
    return int(found.group(1)) if found else False


def _tags(header: str) -> set[str]:
    """The entity tags an If-None-Match names (weak ones compared as strong)."""
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
