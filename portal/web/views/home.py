"""Home: the glass wall itself, every agency's figures side by side."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from portal.door.figures import headline, headline_cells, ready_and_completed
from portal.profiles import codelist_names
from portal.web import charts, data, map_points, province_map
from portal.web.components import catalog_page, table_view
from portal.web.navigation import page_link
from portal.web.trust_ui import feed_links, ranking_figures
from portal.web.ui import (
    current_language,
    days_ago,
    num,
    pick,
    pick_column,
    safe,
    sep,
    t,
    translate_codes,
    when,
)


@data.per_publication
def _headline_cells(stamp: tuple[int, int], lang: str, today: str) -> list[tuple[str, str]]:
    """The headline figures, once per publication, language and day (shared with the
    server-rendered home page: `portal.door.figures`)."""
    projects, datasets = data.projects(stamp), data.datasets(stamp)
    agencies = datasets["agency"].nunique() if len(datasets) else 0
    return headline_cells(headline(projects, agencies, len(datasets), today), lang)


@data.per_publication
def _ready_and_completed(stamp: tuple[int, int], today: str) -> tuple[int, float]:
    """Projects completed and awaiting inauguration from today; the share completed."""
    return ready_and_completed(data.projects(stamp), today)


def _in_words(stamp: tuple[int, int], today: str) -> None:
    """The key figures in one plain sentence, and the dataset versions they come from."""
    projects, datasets = data.projects(stamp), data.datasets(stamp)
    if projects.empty:
        return
    ready, completed = _ready_and_completed(stamp, today)
    st.markdown(
        t(
            "web.home.in_words",
            projects=num(len(projects)),
            agencies=num(projects["agency"].nunique()),  # those that publish projects
            budget=compact(projects["budget_irr"].sum() / 1e12),
            share=num(round(100 * completed)),
            ready=num(ready),
        )
    )
    st.caption(_sources(datasets))


def _sources(datasets: pd.DataFrame) -> str:
    """Which version of which dataset the figures come from."""
    parts = [
        t("web.home.source_item", title=safe(pick(r.title_fa, r.title_en)), version=num(r.version))
        for r in datasets.itertuples()
    ]
    return t(
        "web.home.sources", items="، ".join(parts) if pick("fa", "en") == "fa" else "; ".join(parts)
    )


def compact(value: float) -> str:
    """One decimal below 100, whole numbers above: short enough for a tile or a sentence."""
    return num(round(value, 1) if abs(value) < 100 else round(value))


def _headline(cells: list[tuple[str, str]]) -> None:
    columns = st.columns(4)
    for index, (label, value) in enumerate(cells):
        columns[index % 4].metric(label, value)


@data.per_publication
def _status_parts(stamp: tuple[int, int], lang: str) -> tuple[Any, pd.DataFrame]:
    """The status chart and its table, once per publication and language."""
    counts = data.projects(stamp).groupby("status").size().reset_index(name="count")
    counts["label"] = translate_codes(counts["status"], "web.status.")
    figure = charts.bar(
        counts.sort_values("count", ascending=False),
        "label",
        "count",
        t("web.projects_by_status"),
    )
    return figure, counts[["label", "count"]]


def _by_status(stamp: tuple[int, int], lang: str) -> None:
    figure, table = _status_parts(stamp, lang)
    st.plotly_chart(figure, config=charts.CONFIG)
    first = table.sort_values("count", ascending=False).iloc[0]
    summary = t(
        "web.chart.status_summary",
        count=num(int(first["count"])),
        total=num(int(table["count"].sum())),
        status=first["label"],
    )
    table_view(table, {"label": t("web.status"), "count": t("web.projects")}, summary)


@data.per_publication
def _province_parts(stamp: tuple[int, int], lang: str) -> tuple[Any, Any, pd.DataFrame, str]:
    """The province tiles, the ranking chart, their table and the map, once per
    publication."""
    projects = data.projects(stamp)
    sums = projects.groupby("province")[["budget_irr", "spent_irr"]].sum().reset_index()
    values = {row.province: row.budget_irr / 1e9 for row in sums.itertuples()}
    tiles = charts.province_tiles(values, t("web.budget_by_province"), t("web.chart.billion"))
    sums["name"] = [pick(*_province_names(code)) for code in sums["province"]]
    sums["budget_b"] = (sums["budget_irr"] / 1e9).round()
    sums["spent_b"] = (sums["spent_irr"] / 1e9).round()
    ranked = sums.sort_values("budget_b", ascending=False)
    columns = {"budget_b": t("web.budget"), "spent_b": t("web.spent")}
    bars = charts.bars(ranked, "name", columns, t("web.budget_ranking"))
    located = map_points.points(
        zip(
            projects["latitude"],
            projects["longitude"],
            pick_column(projects["title_fa"], projects["title_en"]),
            strict=True,
        )
    )
    drawn = province_map.svg(values, t("web.budget_by_province"), t("web.chart.billion"), located)
    return tiles, bars, ranked[["name", "budget_b", "spent_b"]], drawn


def _by_province(stamp: tuple[int, int], lang: str) -> None:
    tiles, bars, table, drawn = _province_parts(stamp, lang)
    leader = table.iloc[0]
    # Markdown, not st.html: its sanitiser drops inline SVG. Every text in it is escaped.
    st.markdown(drawn, unsafe_allow_html=True)  # the tiles after it name every province
    st.plotly_chart(tiles, config=charts.CONFIG)
    st.caption(
        t(
            "web.chart.tiles_summary",
            covered=num(len(table)),
            total=num(len(codelist_names("provinces"))),
            top=leader["name"],
            value=num(int(leader["budget_b"])),
        )
    )
    st.plotly_chart(bars, config=charts.CONFIG)
    summary = t(
        "web.chart.ranking_summary",
        top=leader["name"],
        budget=num(int(leader["budget_b"])),
        spent=num(int(leader["spent_b"])),
    )
    table_view(
        table,
        {
            "name": t("web.province"),
            "budget_b": t("web.budget_billion"),
            "spent_b": t("web.spent_billion"),
        },
        summary,
    )


def _province_names(code: str) -> tuple[str, str]:
    entry = codelist_names("provinces").get(code)
    return (entry.name_fa, entry.name_en) if entry else (code, code)


def _latest(entries: list[dict[str, Any]], datasets: pd.DataFrame) -> None:
    st.subheader(t("web.latest_publications"))
    titles = {
        (r.agency, r.dataset): (pick(r.title_fa, r.title_en), pick(r.agency_fa, r.agency_en))
        for r in datasets.itertuples()
    }
    for entry in entries:
        title, agency = titles.get((entry["agency"], entry["dataset"]), (entry["dataset"], ""))
        label = (
            f"{safe(title)}{sep()}{safe(agency)}{sep()}{t('web.version')} "
            f"{num(entry['version'])}{sep()}{when(entry['time'])}"
        )
        page_link("dataset", label, dataset=f"{entry['agency']}/{entry['dataset']}")


def _responsiveness(agency: str, stats: dict[str, tuple[int, float | None, float | None]]) -> str:
    received, share, days = stats.get(agency, (0, None, None))
    if not received:
        return t("web.fb.no_questions")
    answered = t("web.fb.answered_share", share=num(round(100 * (share or 0))))
    median_days = "-" if days is None else num(round(days, 1))
    return f"{answered}{sep()}{t('web.fb.median_days', days=median_days)}"


@data.per_publication
def _ranking_labels(
    stamp: tuple[int, int], lang: str, today: str, feedback: tuple[int, int]
) -> list[tuple[str, str]]:
    """(agency, label) in ranking order, once per publication, language, day and feedback."""
    datasets = data.datasets(stamp)
    stats = data.responsiveness(feedback)
    now = pd.Timestamp(today, tz="UTC")
    rows = []
    for agency, group in datasets.groupby("agency"):
        latest = pd.to_datetime(group["published_at"]).max()
        rows.append(
            {
                "agency": agency,
                "name": pick(group["agency_fa"].iloc[0], group["agency_en"].iloc[0]),
                "score": round(group["score"].mean()),
                "completeness": round(100 * group["completeness"].mean()),
                "days": (now - latest.normalize()).days,
            }
        )
    ranking = pd.DataFrame(rows).sort_values(["score", "days"], ascending=[False, True])
    labels = []
    for position, row in enumerate(ranking.itertuples(), start=1):
        label = (
            f"{num(position)}. {safe(row.name)}{sep()}{t('web.score')} {num(row.score)}{sep()}"
            f"{t('web.completeness_share', share=num(row.completeness))}{sep()}"
            f"{days_ago(int(row.days))}{sep()}{_responsiveness(row.agency, stats)}"
            f"{sep()}{ranking_figures(row.agency)}"
        )
        labels.append((str(row.agency), label))
    return labels


def _ranking(stamp: tuple[int, int], lang: str, today: str, feedback: tuple[int, int]) -> None:
    st.subheader(t("web.agency_ranking"))
    for agency, label in _ranking_labels(stamp, lang, today, feedback):
        page_link("agencies", label, agency=agency)


def _search() -> None:
    """Search every project from the front page: the Projects page opens with the results."""
    with st.form("home_search", border=False):
        left, right = st.columns([5, 1], vertical_alignment="bottom")
        query = left.text_input(
            t("web.home.search"), placeholder=t("web.home.search_hint"), key="home_q"
        )
        sent = right.form_submit_button(t("web.home.search_go"), use_container_width=True)
    pages = st.session_state.get("_pages", {})
    if sent and query and query.strip() and "projects" in pages:
        st.switch_page(pages["projects"], query_params={"lang": current_language(), "q": query})


@data.per_publication
def _overview(stamp: tuple[int, int], lang: str, today: str) -> None:
    """The figures, the charts and their tables, drawn once per publication, language and
    day: later page runs replay the drawn elements (Streamlit keeps what a cached function
    drew), so no figure or table is converted again."""
    _in_words(stamp, today)
    _headline(_headline_cells(stamp, lang, today))
    if not data.projects(stamp).empty:
        left, right = st.columns(2)
        with left:
            _by_status(stamp, lang)
        with right:
            _by_province(stamp, lang)


@data.per_publication
def _latest_and_ranking(
    stamp: tuple[int, int], lang: str, today: str, feedback: tuple[int, int]
) -> None:
    """The newest publications and the agency ranking, drawn once per publication,
    language, day and feedback state."""
    _latest(data.publications(stamp), data.datasets(stamp))
    feed_links(None)
    _ranking(stamp, lang, today, feedback)


def render() -> None:
    opened = catalog_page("web.title", "web.intro")
    if opened is None:
        return
    generation, _ = opened
    lang, today = current_language(), date.today().isoformat()
    _search()
    _overview(generation, lang, today)
    _latest_and_ranking(generation, lang, today, data.feedback_generation())
