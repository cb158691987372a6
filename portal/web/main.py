"""The glass wall: Streamlit pages in Persian (default, right-to-left) and English.

Pages only read the store, except Publish, which runs the same intake -> validation
-> store pipeline as the CLI and the publish API.
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
