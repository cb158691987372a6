"""Composition root: one ASGI app carrying the Streamlit glass wall and the HTTP routes."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from portal.api.errors import EXCEPTION_HANDLERS
from portal.api.routes import all_middleware, all_routes

WEB_ENTRY = Path(__file__).parent / "web" / "main.py"

app = st.App(
    str(WEB_ENTRY),
    routes=all_routes(),
    middleware=all_middleware(),
    exception_handlers=EXCEPTION_HANDLERS,
)
