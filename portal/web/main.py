"""Minimal listing page: every published dataset with its stable download links.

The full glass wall (charts, filters, revisions) builds on this page; here every
title that came from an upload is escaped, so it shows as text and never as markup.
"""

from __future__ import annotations

import json

import streamlit as st

from portal.config import load_settings
from portal.i18n import LANGUAGES, text
from portal.store import catalog, reading
from portal.web.format import day, escape_markdown, number

lang = st.query_params.get("lang", "fa")
lang = lang if lang in LANGUAGES else "fa"
st.set_page_config(page_title=text("web.title", lang), layout="wide")
if lang == "fa":
    st.html("<style>.stMain, .stMarkdown, .stAlert { direction: rtl; text-align: right; }</style>")


def t(key: str) -> str:
    return text(key, lang)


other = "en" if lang == "fa" else "fa"
st.markdown(f"[{t('web.switch_language')}](?lang={other})")
st.title(t("web.title"))
st.write(t("web.intro"))
st.warning(t("web.sample_notice"))

with reading(load_settings().home) as store:
    agencies = {a.slug: a for a in catalog.agencies(store.conn)}
    listing = []
    for row in catalog.datasets(store.conn):
        version = catalog.version(store.conn, row.agency, row.dataset)
        if version is None:
            continue
        descriptor = json.loads(store.objects.read_bytes(version.descriptor_sha256))
        listing.append((row, version, descriptor))

if not listing:
    st.info(t("web.no_datasets"))
for row, version, descriptor in listing:
    title = descriptor.get("title_fa") if lang == "fa" else descriptor.get("title")
    agency = agencies[row.agency]
    agency_title = agency.title_fa if lang == "fa" else agency.title_en
    st.subheader(escape_markdown(str(title or row.title)))
    st.caption(
        f"{t('web.agency')}: {escape_markdown(agency_title)} · "
        f"{t('web.version')}: {number(row.latest, lang)} · "
        f"{t('web.published_at')}: {day(row.updated_at, lang)}"
    )
    for resource in version.resources:
        url = f"/download/{row.agency}/{row.dataset}/{row.latest}/{resource.name}.csv"
        rows = number(resource.rows or 0, lang)
        st.markdown(
            f"- [{t('web.download')} {escape_markdown(resource.name)}.csv]({url}) · "
            f"{t('web.rows')}: {rows} · `sha256 {resource.sha256}`"
        )
