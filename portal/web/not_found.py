"""Not found is not found: an address naming nothing says so, with a way back.

A mistyped or outdated link must never show something else in its place (another
project's card) nor an empty page that reads like "nothing published yet".
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from portal.public_text import isolate, xml_safe
from portal.web.format import escape_markdown
from portal.web.navigation import page_link
from portal.web.ui import t


def named(value: Any) -> str:
    """What the address named, as harmless text (escaped, isolated, clipped)."""
    return escape_markdown(isolate(xml_safe(str(value)[:200])))


def not_found(message_key: str, back: str, back_key: str, **params: Any) -> None:
    """The page's answer to an address that names nothing: what was not found, and a
    link back to the list it would be in."""
    st.error(t(message_key, **{k: named(v) for k, v in params.items()}))
    page_link(back, t(back_key))
