"""Minimal listing page: every published dataset with its stable download links."""

from __future__ import annotations

import streamlit as st

from portal.config import load_settings
from portal.i18n import LANGUAGES, text
from portal.store import catalog, reading

lang = st.query_params.get("lang", "fa")
lang = lang if lang in LANGUAGES else "fa"
direction = "rtl" if lang == "fa" else "ltr"
st.set_page_config(page_title=text("web.title", lang), layout="wide")
st.html(f"<style>.stMain {{ direction: {direction}; }}</style>")


def t(key: str) -> str:
    return text(key, lang)


st.title(t("web.title"))
st.write(t("web.intro"))
st.warning(t("web.sample_notice"))

with reading(load_settings().home) as store:
    rows = catalog.datasets(store.conn)
    versions = [catalog.version(store.conn, r.agency, r.dataset) for r in rows]

if not rows:
    st.info(t("web.no_datasets"))
for row, version in zip(rows, versions, strict=True):
    if version is None:
        continue
    st.subheader(row.title)
    st.caption(
        f"{t('web.agency')}: {row.agency} · {t('web.version')}: {row.latest} · "
        f"{t('web.published_at')}: {row.updated_at}"
    )
    for resource in version.resources:
        url = f"/download/{row.agency}/{row.dataset}/{row.latest}/{resource.name}.csv"
        st.markdown(
            f"- [{t('web.download')} {resource.name}.csv]({url}) · "
            f"{t('web.rows')}: {resource.rows} · `sha256 {resource.sha256[:16]}…`"
        )
