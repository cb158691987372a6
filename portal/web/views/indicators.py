"""Indicators: one series over Jalali periods, compared across provinces and counties."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from portal.i18n import catalog
from portal.persian import period_label
from portal.profiles import codelist_names
from portal.web import charts, data
from portal.web.components import sample_notice, table_view
from portal.web.feedback_ui import ask_form
from portal.web.ui import (
    all_of,
    choice_key,
    choose_many,
    choose_one,
    current_language,
    num,
    one_of,
    pick,
    safe,
    sep,
    t,
)

POINTS = 300  # the newest points offered for a question; older ones through the dataset page


@data.per_publication
def _indicator_names(stamp: tuple[int, int], lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Each indicator's row (names, unit, definition) and its name in the page language."""
    names = data.observations(stamp).drop_duplicates("indicator_id").set_index("indicator_id")
    labels = {str(i): pick(names.loc[i, "name_fa"], names.loc[i, "name_en"]) for i in names.index}
    return names, labels


@data.per_item
def _places(stamp: tuple[int, int], lang: str, indicator: str) -> tuple[pd.DataFrame, list[str]]:
    """One indicator's observations with a place name per row, and the places in order
    (provinces first, then counties)."""
    observations = data.observations(stamp)
    series = observations[observations["indicator_id"] == indicator].copy()
    provinces = codelist_names("provinces_and_national")
    province_names = {
        code: pick(provinces[code].name_fa, provinces[code].name_en) if code in provinces else code
        for code in series["province"].unique()
    }
    counties = series["county"].where(series["county"] == "", " – " + series["county"])
    series["place"] = series["province"].map(province_names) + counties
    return series, sorted(series["place"].unique(), key=lambda p: ("–" in p, p))


def render() -> None:
    st.title(t("web.indicators"))
    generation, lang = data.generation(), current_language()
    if data.observations(generation).empty:
        st.info(t("web.no_datasets"))
        return
    sample_notice(data.datasets(generation))
    names, labels = _indicator_names(generation, lang)
    indicator = st.selectbox(
        t("web.indicator"),
        list(names.index),
        format_func=lambda i: labels.get(str(i), str(i)),
        key=choice_key("i_pick", one_of(names.index)),
        placeholder=choose_one(),
    )
    _, places = _places(generation, lang, indicator)
    default = [p for p in places if "–" not in p] or places[:3]
    chosen = st.multiselect(
        t("web.places"),
        places,
        default=default,
        key=choice_key("i_places", all_of(places)),  # names: a switch starts anew
        placeholder=choose_many(),
    )
    _series_view(generation, lang, indicator, tuple(chosen))
    _ask_about_a_point(generation, lang, indicator, tuple(chosen))


def _shown(stamp: tuple[int, int], lang: str, indicator: str, chosen: tuple[str, ...]) -> Any:
    series, _ = _places(stamp, lang, indicator)
    return series[series["place"].isin(chosen)]


@data.per_item
def _series_view(
    stamp: tuple[int, int], lang: str, indicator: str, chosen: tuple[str, ...]
) -> None:
    """The unit, the chart, its summary and its table: drawn once per choice of places."""
    names, labels = _indicator_names(stamp, lang)
    shown = _shown(stamp, lang, indicator, chosen)
    _unit_and_definition(names.loc[indicator])
    st.plotly_chart(
        charts.lines(shown, "period", "value", "place", labels.get(str(indicator), indicator)),
        config=charts.CONFIG,
    )
    _summary(shown)
    wide = shown.pivot_table(index="period", columns="place", values="value", aggfunc="first")
    wide.index = [period_label(p, lang) for p in wide.index]
    table_view(
        wide.rename_axis("period")
        .reset_index()
        .map(lambda v: num(v) if isinstance(v, int | float) else v),
        {"period": t("web.chart.period")},
    )


def _unit_and_definition(entry: pd.Series) -> None:
    """The unit by its name in the page's language; the publisher's definition as given,
    marked with its own language when that is not the page's (WCAG 3.1.2)."""
    unit = str(entry["unit"])
    named = f"web.chart.unit.{unit}"
    st.caption(t("web.unit", unit=t(named) if named in catalog(current_language()) else unit))
    definition = str(entry.get("definition") or "")
    if not definition:
        return
    latin = not any("\u0600" <= c <= "\u06ff" for c in definition)
    if current_language() == "fa" and latin:
        st.html(
            f'<p class="gw-note">{html.escape(t("web.chart.definition_en"))} '
            f'<span lang="en" dir="ltr">{html.escape(definition)}</span></p>'
        )
    elif current_language() == "en" and not latin:  # a Persian agency's own words
        st.html(
            f'<p class="gw-note">{html.escape(t("h-citizen.definition_fa"))} '
            f'<span lang="fa" dir="rtl">{html.escape(definition)}</span></p>'
        )
    else:
        st.caption(safe(definition))


def _summary(shown: pd.DataFrame) -> None:
    """One sentence per place: where the series starts and ends."""
    lang = current_language()
    sentences = []
    for place, group in shown.sort_values("period").groupby("place", sort=True):
        first, last = group.iloc[0], group.iloc[-1]
        sentences.append(
            t(
                "web.chart.series_summary",
                place=place,
                first=num(first["value"]),
                start=period_label(str(first["period"]), lang),
                last=num(last["value"]),
                end=period_label(str(last["period"]), lang),
            )
        )
    if sentences:
        st.caption(" ".join(sentences))


@data.per_item
def _points(
    stamp: tuple[int, int], lang: str, indicator: str, chosen: tuple[str, ...]
) -> tuple[pd.DataFrame, dict[Any, str]]:
    """The newest points a question can be about, and their labels (once per choice)."""
    shown = _shown(stamp, lang, indicator, chosen)
    points = shown.sort_values(["period", "place"], ascending=[False, True]).head(POINTS)
    labels = {
        index: f"{place}{sep()}{period_label(str(period), lang)}: {num(value)}"
        for index, place, period, value in zip(
            points.index, points["place"], points["period"], points["value"], strict=True
        )
    }
    return points, labels


def _ask_about_a_point(
    stamp: tuple[int, int], lang: str, indicator: str, chosen: tuple[str, ...]
) -> None:
    """Pick one point of the chart; the question or flag carries its row and value."""
    points, labels = _points(stamp, lang, indicator, chosen)
    if points.empty:
        return
    choice = st.selectbox(
        t("web.fb.point"),
        list(points.index),
        format_func=labels.__getitem__,
        key=choice_key("i_point", one_of(points.index)),
        placeholder=choose_one(),
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
