"""The dataset catalogue: every published dataset, searched and filtered, as cards."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from portal.api.ckan.index import INDEXES, Entry
from portal.profiles import codelist_names
from portal.tables.search import found, unsearchable
from portal.web import context, data
from portal.web.components import catalog_page, score_badge
from portal.web.format import escape_markdown
from portal.web.navigation import page_link
from portal.web.not_found import named
from portal.web.ui import (
    all_of,
    choice_key,
    choose_many,
    code_label,
    current_language,
    days_ago,
    num,
    pick,
    pick_column,
    safe,
    sep,
    t,
)

FORMATS = ("CSV", "XLSX", "JSON", "ZIP")  # every published resource is offered in all four
QUALITY = ("high", "medium", "low")


def quality_band(score: float | None) -> str:
    if score is None or score != score:
        return "low"
    return "high" if score >= 80 else "medium" if score >= 50 else "low"


@data.per_publication
def _coverage(
    generation: tuple[int, int],
) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    """Per dataset: the sectors and provinces its rows cover (from the cached tables)."""
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for frame in (data.projects(generation), data.observations(generation)):
        if frame.empty:
            continue
        sectors = frame["sector"] if "sector" in frame else pd.Series("", index=frame.index)
        keys = frame[["agency", "dataset"]].assign(sector=sectors, province=frame["province"])
        for (agency, dataset), group in keys.groupby(["agency", "dataset"]):
            entry = found.setdefault((str(agency), str(dataset)), (set(), set()))
            entry[0].update(s for s in group["sector"].unique() if s)
            entry[1].update(p for p in group["province"].unique() if p and p != "IR")
    return found


def _name(code: str, listname: str) -> str:
    entry = codelist_names(listname).get(code)
    return pick(entry.name_fa, entry.name_en) if entry else code


def freshness(published_at: str, frequency: str | None) -> str:
    days = (pd.Timestamp.now(tz="UTC") - pd.Timestamp(published_at)).days
    # A frequency off the list (old or hostile metadata) shows as written, Markdown-escaped.
    said = (
        escape_markdown(code_label("web.cat.freq.", frequency))
        if frequency
        else t("web.cat.freq.unknown")
    )
    return days_ago(days, "web.cat.freshness", frequency=said)


@data.per_publication
def _catalogue(stamp: tuple[int, int], lang: str) -> pd.DataFrame:
    """Every dataset with its names in the page language, quality band and coverage."""
    datasets, coverage = data.datasets(stamp), _coverage(stamp)
    index = INDEXES.current(context.settings().home, "")
    return datasets.assign(
        agency_name=pick_column(datasets["agency_fa"], datasets["agency_en"]),
        title=pick_column(datasets["title_fa"], datasets["title_en"]),
        band=[quality_band(s) for s in datasets["score"]],
        sectors=[coverage.get((a, d), (set(), set()))[0] for a, d in _keys(datasets)],
        provinces=[coverage.get((a, d), (set(), set()))[1] for a, d in _keys(datasets)],
        haystack=[_haystack(index.package(f"{a}/{d}")) for a, d in _keys(datasets)],
    )


def _haystack(entry: Entry | None) -> str:
    """The text package_search finds the dataset in (`portal.api.ckan.index`)."""
    return "" if entry is None else entry.text


def render() -> None:
    opened = catalog_page("web.cat.title", "web.cat.intro")
    if opened is None:
        return
    generation, _ = opened
    lang = current_language()
    datasets = _catalogue(generation, lang)
    query = st.text_input(t("web.cat.search"), key="c_search", placeholder=t("web.cat.hint"))
    shown = _filtered(datasets, query)
    st.caption(t("web.cat.showing", shown=num(len(shown)), total=num(len(datasets))))
    if shown.empty:
        no_word = unsearchable(query)
        st.info(t("polish.search.no_word", query=named(query)) if no_word else t("web.cat.none"))
    order = shown.sort_values(["score"], ascending=False)
    _cards(generation, lang, date.today().isoformat(), tuple(_keys(order)))


@data.per_item
def _cards(
    stamp: tuple[int, int], lang: str, today: str, shown: tuple[tuple[str, str], ...]
) -> None:
    """The datasets' cards in order, drawn once per publication, language, day and
    selection (the freshness line counts days)."""
    rows = {(r.agency, r.dataset): r for r in _catalogue(stamp, lang).itertuples()}
    for key in shown:
        _card(rows[key])


def _keys(datasets: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(datasets["agency"], datasets["dataset"], strict=True))


def _filtered(datasets: pd.DataFrame, query: str) -> pd.DataFrame:
    agencies = dict(zip(datasets["agency"], datasets["agency_name"], strict=False))
    sectors = sorted({s for group in datasets["sectors"] for s in group})
    provinces = sorted({p for group in datasets["provinces"] for p in group})
    columns = st.columns(5)
    chosen_agencies = columns[0].multiselect(
        t("web.agency"),
        sorted(agencies),
        format_func=lambda a: str(agencies.get(a, a)),
        key=choice_key("c_agency", all_of(agencies)),
        placeholder=choose_many(),
    )
    chosen_sectors = columns[1].multiselect(
        t("web.sector"), sectors, format_func=lambda c: _name(c, "sectors"),
        key=choice_key("c_sector", all_of(sectors)), placeholder=choose_many(),
    )  # fmt: skip
    chosen_provinces = columns[2].multiselect(
        t("web.province"), provinces, format_func=lambda c: _name(c, "provinces"),
        key=choice_key("c_province", all_of(provinces)), placeholder=choose_many(),
    )  # fmt: skip
    chosen_formats = columns[3].multiselect(
        t("web.cat.format"),
        FORMATS,
        key="c_format",
        placeholder=choose_many(),  # same words
    )
    chosen_quality = columns[4].multiselect(
        t("web.cat.quality"), QUALITY, format_func=lambda b: t(f"web.cat.band.{b}"),
        key=choice_key("c_quality", all_of(QUALITY)), placeholder=choose_many(),
    )  # fmt: skip
    shown = datasets
    if chosen_agencies:
        shown = shown[shown["agency"].isin(chosen_agencies)]
    if chosen_sectors:
        shown = shown[[bool(s & set(chosen_sectors)) for s in shown["sectors"]]]
    if chosen_provinces:
        shown = shown[[bool(p & set(chosen_provinces)) for p in shown["provinces"]]]
    if chosen_formats and not set(chosen_formats) <= set(FORMATS):
        shown = shown.iloc[0:0]
    if chosen_quality:
        shown = shown[shown["band"].isin(chosen_quality)]
    if query.strip():
        shown = shown[found(pa.array(shown["haystack"], pa.string()), query)]
    return shown


def _card(row: Any) -> None:
    with st.container(border=True):
        page_link("dataset", safe(row.title), dataset=f"{row.agency}/{row.dataset}")
        st.caption(
            sep().join(
                [
                    safe(row.agency_name),
                    score_badge(row.score),
                    freshness(row.published_at, row.frequency),
                    t("web.cat.versions", count=num(row.version)),
                    t("web.cat.formats", formats=sep().join(FORMATS)),
                ]
            )
        )
