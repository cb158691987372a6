"""Small pieces every page shares: the sample-data notice, a chart's table view, badges."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portal.web.ui import num, t


def sample_notice(datasets: pd.DataFrame) -> None:
    if len(datasets) and datasets["sample"].any():
        st.warning(t("web.sample_notice"))


def table_view(frame: pd.DataFrame, names: dict[str, str]) -> None:
    """The numbers behind a chart, for screen readers and for copying."""
    with st.expander(t("web.table_view")):
        st.dataframe(frame.rename(columns=names), hide_index=True)


def score_badge(score: float | None) -> str:
    if score is None or score != score:
        return t("web.score_unknown")
    level = "high" if score >= 80 else "medium" if score >= 50 else "low"
    return t(f"web.score_{level}", score=num(round(score)))
