"""Small pieces every page shares: the sample-data notice, a chart's table view, badges."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portal.web import data
from portal.web.ui import current_language, num, sep, t

HTML_TABLE_ROWS = 60  # up to this many rows a table is HTML (read aloud); beyond, the grid


def sample_notice(datasets: pd.DataFrame) -> None:
    if len(datasets) and datasets["sample"].any():
        st.warning(t("web.sample_notice"))


def catalog_page(title_key: str, intro_key: str) -> tuple[tuple[int, int], pd.DataFrame] | None:
    """A page over the whole catalog opens the same way: title, intro, and the sample notice;
    None (after saying so) when nothing is published yet."""
    st.title(t(title_key))
    st.write(t(intro_key))
    generation = data.generation()
    datasets = data.datasets(generation)
    if datasets.empty:
        st.info(t("web.no_datasets"))
        return None
    sample_notice(datasets)
    return generation, datasets


def localized(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as text in the page's digits (Persian digits, `٬` and `٫` in Persian)."""
    if current_language() != "fa":
        return frame
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_numeric_dtype(shown[column]) and not pd.api.types.is_bool_dtype(
            shown[column]
        ):
            shown[column] = [num(v) if v == v else "" for v in shown[column]]
    return shown


def data_table(frame: pd.DataFrame) -> None:
    """A table in the page's digits: HTML when small (screen readers read it), else a grid."""
    shown = localized(frame)
    if len(shown) <= HTML_TABLE_ROWS:
        st.table(shown, hide_index=True)
    else:
        st.dataframe(shown, hide_index=True)


def table_view(frame: pd.DataFrame, names: dict[str, str], summary: str = "") -> None:
    """The numbers behind a chart in words and as a table, for screen readers and copying."""
    if summary:
        st.caption(summary)
    with st.expander(t("web.table_view")):
        data_table(frame.rename(columns=names))


def score_badge(score: float | None) -> str:
    if score is None or score != score:
        return t("web.score_unknown")
    level = "high" if score >= 80 else "medium" if score >= 50 else "low"
    return t(f"web.score_{level}", score=num(round(score)))


def footer() -> None:
    """Where every page ends: how the score is computed, the public log, how to verify."""
    lang = current_language()
    st.markdown(
        f'<footer class="gw-footer">{t("web.footer.text")} '
        f'<a href="/about?lang={lang}" target="_self">{t("web.footer.methodology")}</a>{sep()}'
        f'<a href="/log.jsonl">{t("web.footer.log")}</a>{sep()}'
        f'<a href="/about?lang={lang}#verify" target="_self">{t("web.footer.verify")}</a></footer>',
        unsafe_allow_html=True,
    )
