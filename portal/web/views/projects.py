"""Projects: every project of every agency, filtered, searched, and one project's card."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import pyarrow as pa
import streamlit as st

from portal.tables import filters as project_filters
from portal.tables.filters import FILTERS, Chosen
from portal.tables.search import unsearchable
from portal.web import context, data, project_cards
from portal.web.components import localized, sample_notice
from portal.web.format import escape_markdown
from portal.web.not_found import named, not_found
from portal.web.page_export import Origin, csv_for_excel, file_name, with_origin, xlsx
from portal.web.project_card_ui import code_name, picker_labels, project_card
from portal.web.project_cards import scroll_to_card
from portal.web.ui import (
    all_of,
    choice_key,
    choose_many,
    choose_one,
    code_label,
    current_language,
    num,
    one_of,
    pick_column,
    safe,
    sep,
    t,
    translate_codes,
)

TABLE_ROWS = 5000  # rows sent to the browser's table
PICKABLE = 500  # projects offered in the card's picker: filter or search to reach others
SHOWN = [  # title first: on the right in Persian, where a right-to-left reader starts
    "title",
    "id",
    "status_name",
    "province_name",
    "budget_b",
    "physical_progress_pct",
    "agency",
]


def budget_steps(top: float) -> list[int]:
    """Round stops for the budget slider (billion rials), from 0 past the largest budget."""
    step = max(1, int(10 ** max(0, len(str(int(max(top, 1.0)))) - 2)))
    return list(range(0, int(top) + 2 * step, step))


def agency_names() -> dict[str, str]:
    """Agency slug -> its name in the page's language."""
    return _agency_names(data.generation(), current_language())


@data.per_publication
def _agency_names(stamp: tuple[int, int], lang: str) -> dict[str, str]:
    datasets = data.datasets(stamp)
    if datasets.empty:
        return {}
    titles = pick_column(datasets["agency_fa"], datasets["agency_en"])
    return dict(zip(datasets["agency"], titles, strict=True))


Selection = tuple[tuple[tuple[str, ...], ...], tuple[float, float], str]


def _from_address(name: str, key: str, options: list[str]) -> None:
    """A filter named in the address (`?province=IR-21,IR-06`) chosen on arrival, once:
    after that the widget owns the choice and the address follows it."""
    if name in st.query_params and key not in st.session_state:
        wanted = st.query_params[name].split(",")
        st.session_state[key] = [code for code in wanted if code in options]


def _to_address(chosen: dict[str, tuple[str, ...]], query: str) -> None:
    """The chosen filters and search written into the address, so a view can be shared."""
    for name, codes in chosen.items():
        if codes and st.query_params.get(name) != ",".join(codes):
            st.query_params[name] = ",".join(codes)
        elif not codes and name in st.query_params:
            del st.query_params[name]
    if query and st.query_params.get("q") != query:
        st.query_params["q"] = query
    elif not query and "q" in st.query_params:
        del st.query_params["q"]


def _multiselect(name: str, label: str, format_func: Callable[[str], str]) -> tuple[str, ...]:
    options = data.distinct(data.generation(), name)
    key = choice_key(f"f_{name}", all_of(options))
    _from_address(name, key, options)
    chosen = st.multiselect(
        label, options, format_func=format_func, key=key, placeholder=choose_many()
    )
    return tuple(chosen)


def _filters(projects: pd.DataFrame) -> Selection:
    """The filter widgets (read from the address on arrival, written back on change);
    what they select, as a hashable key."""
    names = agency_names()
    with st.sidebar:
        st.header(t("web.filters"))
        provinces = _multiselect("province", t("web.province"), lambda c: code_name(c, "provinces"))
        sectors = _multiselect("sector", t("web.sector"), lambda c: code_name(c, "sectors"))
        statuses = _multiselect("status", t("web.status"), lambda c: code_label("web.status.", c))
        agencies = _multiselect("agency", t("web.agency"), lambda a: names.get(a, a))
        steps = budget_steps(data.largest_budget(data.generation()) / 1e9)
        low, high = st.select_slider(
            t("web.budget_billion"),
            steps,
            value=(steps[0], steps[-1]),
            format_func=num,
            key=choice_key("f_budget", all_of(steps)),
        )
    if "q" in st.query_params and "f_search" not in st.session_state:  # a shared address
        st.session_state["f_search"] = st.query_params["q"]
    query = st.text_input(t("web.search"), key="f_search")
    chosen = (provinces, sectors, statuses, agencies)
    _to_address(dict(zip(FILTERS, chosen, strict=True)), query.strip())
    _chosen_line(chosen, names)
    return chosen, (low, high), query.strip()


def _chosen_line(chosen: tuple[tuple[str, ...], ...], names: dict[str, str]) -> None:
    """The chosen filters in the page itself: on a phone the sidebar is closed."""
    said: dict[str, Callable[[str], str]] = {
        "province": lambda c: code_name(c, "provinces"),
        "sector": lambda c: code_name(c, "sectors"),
        "status": lambda c: code_label("web.status.", c),
        "agency": lambda a: names.get(a, a),
    }
    parts = [
        t(
            "h-citizen.filter_part",
            name=t(f"web.{name}"),
            values=t("h-citizen.or").join(escape_markdown(said[name](code)) for code in codes),
        )
        for name, codes in zip(FILTERS, chosen, strict=True)
        if codes
    ]
    if parts:
        st.caption(t("h-citizen.chosen_filters", filters=t("h-citizen.sep").join(parts)))


def _select(
    projects: pd.DataFrame,
    selection: Selection,
    top: float,
    text: pa.ChunkedArray | None = None,
) -> pd.DataFrame:
    """The rows the filters and the search keep, as the door keeps them
    (`portal.tables.filters`); `top` is the largest budget (billions); `text` is each
    project's search text (`data.project_search`), row for row."""
    filters, (low, high), query = selection
    budget = (low, high) if low > 0 or high < top else None  # the full range keeps every row
    return project_filters.select(projects, Chosen(filters, query), text, budget)


@dataclass(frozen=True)
class Selected:
    projects: pd.DataFrame
    table: pa.Table  # what the browser's table gets
    titles: dict[str, str]  # the projects offered in the card's picker
    sources: list[tuple[str, str, int]]  # (agency, dataset, version) of the selection
    offered: dict[str, int]  # picker id -> its project's row in the catalog's projects


@data.per_publication
def _selected(stamp: tuple[int, int], lang: str, selection: Selection) -> Selected:
    """The selected projects, the table the browser gets and the projects offered in the
    card's picker, once per publication, language
    and selection (most citizens share the unfiltered one)."""
    top = data.largest_budget(stamp) / 1e9
    chosen = _select(data.projects(stamp), selection, top, data.project_search(stamp))
    names = agency_names()
    rows = chosen.head(TABLE_ROWS)  # the browser gets these; the downloads have them all
    provinces = {code: code_name(code, "provinces") for code in rows["province"].unique()}
    view = rows.assign(
        title=pick_column(rows["title_fa"], rows["title_en"]),
        status_name=translate_codes(rows["status"], "web.status."),
        province_name=rows["province"].map(provinces),
        budget_b=(rows["budget_irr"] / 1e9).round(),
        agency=rows["agency"].map(lambda a: names.get(a, a)),
    )[SHOWN]
    order = SHOWN[::-1] if lang == "fa" else SHOWN  # the grid is drawn left to right
    shown = localized(view[order]).rename(columns={c: t(f"web.col.{c}") for c in SHOWN})
    # As Arrow once: st.dataframe then only writes the IPC bytes instead of converting
    # thousands of pandas rows on every run.
    table = pa.Table.from_pandas(shown, preserve_index=False)
    versions = chosen[["agency", "dataset", "version"]].drop_duplicates()
    return Selected(
        chosen,
        table,
        picker_labels(chosen.head(PICKABLE), names),
        [(str(a), str(d), int(v)) for a, d, v in versions.itertuples(index=False)],
        _offered(chosen.head(PICKABLE)),
    )


def _cards(chosen: pd.DataFrame) -> None:
    """The selection as cards for a narrow screen (portal/web/project_cards.py)."""
    rows = chosen.head(project_cards.CARDS)
    titles = pick_column(rows["title_fa"], rows["title_en"])
    places = [
        f"{code_name(p, 'provinces')}، {c}"
        if c and current_language() == "fa"
        else f"{code_name(p, 'provinces')}, {c}"
        if c
        else code_name(p, "provinces")
        for p, c in zip(rows["province"], rows["county"], strict=True)
    ]
    st.caption(t("h-citizen.card.tap"))
    project_cards.cards(chosen, titles, pd.Series(places, index=rows.index))


def _offered(rows: pd.DataFrame) -> dict[str, int]:
    """The picker's ids and the row each opens (the first with that id, as shown); the
    catalog's projects have a plain 0..n-1 index, which a selection keeps."""
    offered: dict[str, int] = {}
    for position, pid in zip(rows.index, rows["id"], strict=True):
        offered.setdefault(str(pid), int(position))
    return offered


def _first_with_id(stamp: tuple[int, int], pid: str) -> int | None:
    """The row of the first project (any agency) with this id: a link names only the id."""
    projects = data.projects(stamp)
    found = projects.index[projects["id"] == pid]
    return int(found[0]) if len(found) else None


def _stable_links(sources: list[tuple[str, str, int]], selection: Selection) -> None:
    """Citable URLs of the same rows per dataset version (province, sector and status filters)."""
    (provinces, sectors, statuses, _), _, _ = selection
    query = {"province": provinces, "sector": sectors, "status": statuses}
    encoded = urlencode({column: ",".join(codes) for column, codes in query.items() if codes})
    lines = []
    for agency, dataset, version in sources:
        url = f"/download/{agency}/{dataset}/{version}/projects.csv"
        plain = f"{url}?{encoded}" if encoded else url
        excel = f"{url}?{encoded}&bom=1" if encoded else f"{url}?bom=1"
        lines.append(
            f"- {safe(agency)}{sep()}{t('web.version')} {num(version)}: "
            f"[CSV]({plain}){sep()}[{t('web.csv_for_excel')}]({excel}){sep()}"
            f"[XLSX]({plain.replace('projects.csv', 'projects.xlsx')})"
        )
    if lines:
        with st.expander(t("web.stable_links")):
            st.caption(t("web.stable_links_note"))
            st.markdown("\n".join(lines))


def origins(sources: list[tuple[str, str, int]]) -> list[Origin]:
    """The versions the selected rows come from, for the XLSX's sources sheet."""
    sample = {
        (str(r.agency), str(r.dataset)): bool(r.sample)
        for r in data.datasets(data.generation()).itertuples()
    }
    base = context.settings().public_url or ""
    found = []
    for agency, dataset, number in sources:
        version = next((v for v in data.versions(agency, dataset) if v.number == number), None)
        entry = version.resource("projects") if version else None
        if version is None or entry is None:
            continue
        found.append(
            Origin(
                agency,
                dataset,
                number,
                version.created_at,
                entry.name,
                entry.sha256,
                f"{base}/download/{agency}/{dataset}/{number}/{entry.name}.csv",
                sample.get((agency, dataset), False),
            )
        )
    return found


def _downloads(chosen: pd.DataFrame, filtered: bool, sources: list[tuple[str, str, int]]) -> None:
    """These rows as CSV for Excel (BOM, formula-safe) and XLSX, side by side; each row
    names its agency, dataset, version and row, the XLSX each version in a sources sheet."""

    def export() -> pd.DataFrame:  # only when the citizen clicks
        return with_origin(chosen)

    left, right = st.columns(2)
    left.download_button(
        t("web.download_filtered"),
        data=lambda: csv_for_excel(export()),
        file_name=file_name("projects", filtered, "csv"),
        mime="text/csv",
        on_click="ignore",
        key="p_csv",
    )
    right.download_button(
        t("web.proj.download_xlsx"),
        data=lambda: xlsx(export(), "projects", origins(sources)),
        file_name=file_name("projects", filtered, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="p_xlsx",
    )


def render() -> None:
    st.title(t("web.projects"))
    generation = data.generation()
    projects = data.projects(generation)
    if projects.empty:
        st.info(t("web.no_datasets"))
        return
    sample_notice(data.datasets(generation))
    lang = current_language()
    selection = _filters(projects)
    selected_view = _selected(generation, lang, selection)
    chosen, table, titles = selected_view.projects, selected_view.table, selected_view.titles
    st.caption(t("web.showing", shown=num(len(chosen)), total=num(len(projects))))
    if chosen.empty:
        query = selection[2]
        no_word = unsearchable(query)
        st.info(t("polish.search.no_word", query=named(query)) if no_word else t("web.proj.none"))
        return
    if len(chosen) > TABLE_ROWS:  # the browser gets a page of rows; the download has them all
        st.caption(t("web.first_rows", rows=num(TABLE_ROWS)))
    with st.container(key="p_cards_narrow"):  # a phone: cards (CSS shows one of the two)
        _cards(chosen)
    with st.container(key="p_table_wide"):
        st.caption(t("web.proj.click_row"))
        clicked = st.dataframe(
            table,
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key="p_table",
            # Every column narrow but the title, so a row fits the page without scrolling
            # (a grid scrolled from the left showed a Persian title's end, cut at its start).
            column_config={
                t(f"web.col.{c}"): st.column_config.Column(width=330 if c == "title" else "small")
                for c in SHOWN
            },
        )
    _downloads(chosen, len(chosen) < len(projects), selected_view.sources)
    _stable_links(selected_view.sources, selection)
    rows = clicked.selection.rows if clicked is not None else []
    linked = st.query_params.get("project")
    if linked and not rows and _first_with_id(generation, linked) is None:
        # an address naming no project: said so, the address kept as it came
        not_found("h-citizen.project_not_found", "projects", "h-citizen.back_projects", id=linked)
        return
    # A clicked row; else the project the address names while it is among the results (a
    # search or filter moves the card to the first result); else the first result.
    everything = len(chosen) == len(projects)
    wanted: str | None
    if rows:
        wanted = str(chosen["id"].iloc[rows[0]])
    else:
        wanted = linked if linked in titles or (linked and everything) else None
    ids, offered = list(titles), selected_view.offered
    if wanted and wanted not in titles:
        extra = _first_with_id(generation, wanted)
        if extra is not None:
            ids, offered = [wanted, *ids], {**offered, wanted: extra}
            row = projects.iloc[extra]
            titles = {**picker_labels(row.to_frame().T, agency_names()), **titles}
    selected: str | None = st.selectbox(  # None while nothing is offered
        t("web.open_project"),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda i: titles.get(i, i),
        key=choice_key(f"project_pick_{wanted or ''}", one_of(ids)),
        placeholder=choose_one(),
    )
    if selected is None:
        return
    if selected not in offered:  # never a stale label: open what the address names
        selected = wanted if wanted in offered else ids[0]
    if linked or rows or selected != ids[0]:
        # Only a project the citizen named or chose goes into the address: `/projects`
        # alone stays the list (a first project written in would be shared as a choice).
        st.query_params["project"] = selected
    project_card(generation, lang, offered[selected])
    if linked and selected == linked:
        scroll_to_card()
