"""Composition root: one ASGI app carrying the Streamlit glass wall and the open-data routes.

`create_app(settings)` is the one place the application is built. Requests for the
open-data paths go straight to a plain Starlette app: they skip Streamlit's session and
gzip middleware, so downloads stay the exact published bytes (Range, ETag) at disk speed
and API answers pay no cookie signing. Everything else, including the lifespan that starts
Streamlit's runtime, goes to `st.App`.

The settings travel down from here: on the open-data app's `state` for request handlers
(`portal.api.context`), registered with `portal.web.context` for the pages, which run in
Streamlit's script thread. `from_environment` is the uvicorn factory
(`uvicorn --factory portal.app:from_environment`) for a server process started with the
settings in its environment; only `portal.config` reads them.
"""

from __future__ import annotations

import logging
from importlib.resources import files

import streamlit as st
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette_compress import CompressMiddleware

from portal.api.errors import EXCEPTION_HANDLERS
from portal.api.routes import OPEN_PREFIXES, all_middleware, all_routes
from portal.config import Settings, load_settings
from portal.door.front import Door
from portal.door.tags import EncodedTags
from portal.serving.document import DocumentLanguage
from portal.web import context as web_context
from portal.web.feed_discovery import FeedDiscovery

WEB_ENTRY = files("portal") / "web" / "main.py"


class OpenDataFirst:
    """Send the open-data paths to `api`, the rest (pages, websocket, lifespan) to `web`."""

    def __init__(self, web: ASGIApp, api: Starlette) -> None:
        self.web = web
        self.api = api

    @property
    def state(self) -> object:
        return self.api.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(OPEN_PREFIXES):
            await self.api(scope, receive, send)
        else:
            await self.web(scope, receive, send)


def open_data_app(settings: Settings) -> Starlette:
    """The HTTP routes alone (tests use it in-process; the pages are not needed there)."""
    api = Starlette(
        routes=all_routes(), middleware=all_middleware(), exception_handlers=EXCEPTION_HANDLERS
    )
    api.state.settings = settings
    return api


def _no_access_log(record: logging.LogRecord) -> bool:
    return False


# No client address in any log: uvicorn's access log is off (`serve`), but Streamlit gives
# the `uvicorn.access` logger a handler when its runtime starts, which turns it back on.
# A filter on the logger drops every record whoever adds handlers later.
logging.getLogger("uvicorn.access").addFilter(_no_access_log)


def create_app(settings: Settings) -> OpenDataFirst:
    """The whole portal over the store at `settings.home`."""
    web_context.register(settings)
    # Both rewrite the page document: its language and direction, then the feed links.
    dashboard = DocumentLanguage(FeedDiscovery(st.App(str(WEB_ENTRY))))
    # Every public page address answers first with its server-rendered content; pages,
    # the dashboard's scripts and styles are compressed as each reader's browser asks.
    # Each encoded copy gets its own ETag (outside the middleware, which keeps the plain one).
    pages = EncodedTags(CompressMiddleware(Door(dashboard, settings.home, settings.public_url)))
    return OpenDataFirst(pages, open_data_app(settings))


def from_environment() -> OpenDataFirst:
    """uvicorn factory: the settings `glasswall serve` put in this process's environment."""
    return create_app(load_settings())
