"""The pages, and links between them that keep the language and carry their parameters.

Streamlit navigates between its own pages inside the session, so page links go through
st.page_link with query parameters (a plain Markdown link would lose them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from portal.pages import PAGES
from portal.web.ui import current_language, t

PAGE_KEYS = tuple(page.key for page in PAGES)


def build(renderers: dict[str, Callable[[], None]]) -> list[Any]:
    """This run's st.Page objects (titles in the page language), kept for links."""
    pages = {
        page.key: st.Page(
            renderers[page.key],
            title=t(page.title),
            url_path=page.key,
            default=page.key == "home",
        )
        for page in PAGES
    }
    st.session_state["_pages"] = pages
    return list(pages.values())


def page_link(name: str, label: str, **params: Any) -> None:
    query = {"lang": current_language(), **{k: str(v) for k, v in params.items()}}
    st.page_link(st.session_state["_pages"][name], label=label, query_params=query)
