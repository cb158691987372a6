"""Composition root: one ASGI app carrying the Streamlit glass wall and the open-data routes.

Requests for the open-data paths go straight to a plain Starlette app: they skip
Streamlit's session and gzip middleware, so downloads stay the exact published bytes
(Range, ETag) at disk speed and API answers pay no cookie signing. Everything else,
including the lifespan that starts Streamlit's runtime, goes to `st.App`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from portal.api.errors import EXCEPTION_HANDLERS
from portal.api.routes import OPEN_PREFIXES, all_middleware, all_routes
from portal.document import DocumentLanguage

WEB_ENTRY = Path(__file__).parent / "web" / "main.py"


class OpenDataFirst:
    """Send the open-data paths to `api`, the rest (pages, websocket, lifespan) to `web`."""

    def __init__(self, web: ASGIApp, api: ASGIApp) -> None:
        self.web = web
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(OPEN_PREFIXES):
            await self.api(scope, receive, send)
        else:
            await self.web(scope, receive, send)


def open_data_app() -> Starlette:
    return Starlette(
        routes=all_routes(), middleware=all_middleware(), exception_handlers=EXCEPTION_HANDLERS
    )


app = OpenDataFirst(DocumentLanguage(st.App(str(WEB_ENTRY))), open_data_app())
