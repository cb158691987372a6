"""Agencies, and one agency's page: its datasets, scores and publication history."""

from __future__ import annotations

import streamlit as st

from portal.web import data
from portal.web.components import score_badge
from portal.web.navigation import page_link
from portal.web.not_found import not_found
from portal.web.ui import num, pick, safe, sep, t, when


def _agency(slug: str) -> None:
    generation = data.generation()
    datasets = data.datasets(generation)
    own = datasets[datasets["agency"] == slug] if not datasets.empty else datasets
    if own.empty:
        if slug not in data.agency_slugs(generation):
            not_found(
                "h-citizen.agency_not_found", "agencies", "h-citizen.back_agencies", slug=slug
            )
        else:  # registered, nothing published yet
            st.info(t("web.no_datasets"))
        return
    st.title(safe(pick(own["agency_fa"].iloc[0], own["agency_en"].iloc[0])))
    for row in own.itertuples():
        label = (
            f"{safe(pick(row.title_fa, row.title_en))}{sep()}{score_badge(row.score)}{sep()}"
            f"{t('web.version')} {num(row.version)}{sep()}{when(row.published_at)}"
        )
        page_link("dataset", label, dataset=f"{row.agency}/{row.dataset}")
    st.subheader(t("web.history"))
    for entry in data.publications(generation, 200):
        if entry["agency"] == slug:
            st.markdown(
                f"- {safe(entry['dataset'])}{sep()}{t('web.version')} {num(entry['version'])}"
                f"{sep()}"
                f"{when(entry['time'])}{sep()}`{entry['hash'][:16]}`"
            )


def render() -> None:
    slug = st.query_params.get("agency")
    if slug:
        _agency(slug)
        return
    st.title(t("web.agencies"))
    datasets = data.datasets(data.generation())
    if datasets.empty:
        st.info(t("web.no_datasets"))
        return
    for slug, group in datasets.groupby("agency"):
        name = pick(group["agency_fa"].iloc[0], group["agency_en"].iloc[0])
        label = (
            f"{safe(name)}{sep()}{t('web.datasets')}: {num(len(group))}{sep()}"
            f"{score_badge(group['score'].mean())}"
        )
        page_link("agencies", label, agency=str(slug))
