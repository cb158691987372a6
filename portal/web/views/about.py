"""About: what the portal is, how the score works, how to verify a download."""

from __future__ import annotations

import streamlit as st

from portal.web.ui import t

DIMENSIONS = [
    "findability",
    "accessibility",
    "interoperability",
    "reusability",
    "contextuality",
    "accuracy",
    "completeness",
]
POINTS = {
    "findability": 15,
    "accessibility": 10,
    "interoperability": 15,
    "reusability": 15,
    "contextuality": 10,
    "accuracy": 20,
    "completeness": 15,
}


def render() -> None:
    st.title(t("web.about"))
    st.write(t("web.about_text"))
    st.warning(t("web.sample_notice"))
    st.subheader(t("web.methodology"))
    st.write(t("web.methodology_text"))
    for name in DIMENSIONS:
        st.markdown(
            f"- **{t('web.dim.' + name)}** ({t('web.points', points=POINTS[name])}): "
            f"{t('web.dim_text.' + name)}"
        )
    st.subheader(t("web.verify_download"))
    st.write(t("web.verify_text"))
    st.code("sha256sum projects.csv\nglasswall verify", language="bash")
