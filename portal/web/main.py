"""The glass wall: Streamlit pages in Persian (default, right-to-left) and English.

Pages only read the store, except Publish, which runs the same intake -> validation
-> store pipeline as the CLI and the publish API.
"""

from __future__ import annotations

import streamlit as st

from portal.web.pages import about, agencies, dataset, home, indicators, projects, publish
from portal.web.ui import apply_direction, current_language, t

lang = current_language()
st.set_page_config(page_title=t("web.title"), layout="wide")
apply_direction()

pages = [
    st.Page(home.render, title=t("web.home"), url_path="home", default=True),
    st.Page(projects.render, title=t("web.projects"), url_path="projects"),
    st.Page(indicators.render, title=t("web.indicators"), url_path="indicators"),
    st.Page(agencies.render, title=t("web.agencies"), url_path="agencies"),
    st.Page(dataset.render, title=t("web.dataset"), url_path="dataset"),
    st.Page(publish.render, title=t("web.publish"), url_path="publish"),
    st.Page(about.render, title=t("web.about"), url_path="about"),
]
navigation = st.navigation(pages)
with st.sidebar:
    other = "en" if lang == "fa" else "fa"
    page = navigation.url_path or "home"
    params = {**st.query_params.to_dict(), "lang": other}
    query = "&".join(f"{key}={value}" for key, value in params.items())
    st.markdown(f"[{t('web.switch_language')}](/{page}?{query})")
navigation.run()
