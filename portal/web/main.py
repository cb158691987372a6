"""The glass wall: Streamlit pages in Persian (default, right-to-left) and English.

A citizen's pages only read the store. Where a member acts (Publish, approving a draft,
an agency's profile, answering and moderating questions) the page calls the same
services as the CLI and the API (`publish_as`, `approval`, `feedback.service` and the
store's own commands through `store.run`); a citizen's question is the one write a
citizen makes, through `feedback.service.receive` like `POST /api/feedback`.
"""

from __future__ import annotations

import streamlit as st

from portal.web.components import footer
from portal.web.navigation import build
from portal.web.site import RENDERERS
from portal.web.ui import apply_direction, current_language, t

lang = current_language()
st.set_page_config(page_title=t("web.title"), layout="wide")
apply_direction()

navigation = st.navigation(build(RENDERERS))
with st.sidebar:
    choice = st.segmented_control(
        t("web.language"),
        ["fa", "en"],
        default=lang,
        key="language",
        format_func=lambda code: "فارسی" if code == "fa" else "English",
    )
    if choice and choice != lang:  # keep the page and its parameters, change the language
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()
navigation.run()
footer()
