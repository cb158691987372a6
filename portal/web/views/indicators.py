"""Indicators: one series over Jalali periods, compared across provinces and counties."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portal.profiles import codelist_names
from portal.web import charts, data
from portal.web.components import sample_notice, table_view
from portal.web.feedback_ui import ask_form
from portal.web.ui import num, pick, t

POINTS = 300  # the newest points offered for a question; older ones through the dataset page


def render() -> None:
    st.title(t("web.indicators"))
    generation = data.generation()
    observations = data.observations(generation)
    if observations.empty:
        st.info(t("web.no_datasets"))
        return
    sample_notice(data.datasets(generation))
    names = observations.drop_duplicates("indicator_id").set_index("indicator_id")
    indicator = st.selectbox(
        t("web.indicator"),
        list(names.index),
        format_func=lambda i: pick(names.loc[i, "name_fa"], names.loc[i, "name_en"]),
        key="i_pick",
    )
    series = observations[observations["indicator_id"] == indicator].copy()
    provinces = codelist_names("provinces_and_national")
    province_names = {
        code: pick(provinces[code].name_fa, provinces[code].name_en) if code in provinces else code
        for code in series["province"].unique()
    }
    counties = series["county"].where(series["county"] == "", " – " + series["county"])
    series["place"] = series["province"].map(province_names) + counties
    places = sorted(series["place"].unique(), key=lambda p: ("–" in p, p))
    default = [p for p in places if "–" not in p] or places[:3]
    chosen = st.multiselect(t("web.places"), places, default=default, key="i_places")
    shown = series[series["place"].isin(chosen)]
    unit = names.loc[indicator, "unit"]
    st.caption(t("web.unit", unit=unit) + " · " + str(pick(names.loc[indicator, "definition"], "")))
    st.plotly_chart(
        charts.lines(
            shown,
            "period",
            "value",
            "place",
            pick(names.loc[indicator, "name_fa"], names.loc[indicator, "name_en"]),
        )
    )
    wide = shown.pivot_table(index="period", columns="place", values="value", aggfunc="first")
    table_view(
        wide.reset_index().map(lambda v: num(v) if isinstance(v, int | float) else v),
        {"period": t("web.period")},
    )
    _ask_about_a_point(shown)


def _ask_about_a_point(shown: pd.DataFrame) -> None:
    """Pick one point of the chart; the question or flag carries its row and value."""
    if shown.empty:
        return
    points = shown.sort_values(["period", "place"], ascending=[False, True]).head(POINTS)
    choice = st.selectbox(
        t("web.fb.point"),
        list(points.index),
        format_func=lambda i: (
            f"{points.loc[i, 'place']} · {points.loc[i, 'period']}: {num(points.loc[i, 'value'])}"
        ),
        key="i_point",
    )
    point = points.loc[choice]
    ask_form(
        "indicator",
        f"{point['agency']}/{point['dataset']}",
        version=int(point["version"]),
        resource="observations",
        row=int(point["_row"]),
        figures={t("web.fb.value"): ("value", point["value"])},
    )
