"""schema.org `Dataset` JSON-LD inside the dataset page, for dataset search engines.

The JSON is built from the same snapshot as the API. It carries text that agencies
uploaded, so `<`, `>` and `&` are escaped as JSON unicode escapes: nothing in it can
close the script element.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from portal.metadata.dcat import schema_org
from portal.metadata.snapshot import SNAPSHOTS
from portal.web import context


def script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def base_url() -> str:
    """The portal's address as configured, else as this tab reached it."""
    settings = context.settings()
    if settings.public_url:
        return settings.public_url
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


# Few entries: `base` comes from the request's Host when no public URL is set, so a client
# choosing Host headers can only evict entries here, not grow the process.
@st.cache_resource(show_spinner=False, max_entries=64)
def structured_data(stamp: tuple[int, int], agency: str, dataset: str, base: str) -> None:
    """Drawn once per publication and address (replayed on later runs)."""
    published = SNAPSHOTS.current(context.settings().home).find(agency, dataset)
    if published is None:
        return
    document = script_json(schema_org(base, published))
    # A JSON-LD block is data, not code: the browser never runs it.
    st.html(f'<script type="application/ld+json">{document}</script>', unsafe_allow_javascript=True)
