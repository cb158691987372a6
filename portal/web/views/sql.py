"""SQL: the journalist's desk on the glass wall. One read-only query over every published
table, its answer as a table (HTML too, for screen readers), a chart when the answer is a
list of labelled numbers, CSV and XLSX files, and an address that holds the query.

The query runs exactly as `datastore_search_sql` runs it (`portal.sql.query`): the page
adds nothing to what the engine may do.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from portal.api.ckan.index import INDEXES
from portal.api.exports.formats import write_xlsx
from portal.errors import GlassWallError
from portal.sql.query import Result, run_query
from portal.web import charts
from portal.web.components import HTML_TABLE_ROWS, localized
from portal.web.context import settings
from portal.web.format import isolate_quoted
from portal.web.page_export import _rows, csv_for_excel
from portal.web.ui import current_language, num, t

# SQL reads left to right on a Persian page too.
LTR_EDITOR = "<style>.stMain textarea { direction: ltr; text-align: left; }</style>"
_SCHEMA_TYPES = {
    "int2": "integer", "int4": "integer", "int8": "integer", "float4": "number",
    "float8": "number", "numeric": "number", "bool": "boolean", "date": "date",
}  # fmt: skip
CHART_ROWS = 40


def _examples(lang: str) -> dict[str, str]:
    """Ready questions over what is published now (names come from the catalog)."""
    index = INDEXES.current(settings().home, "")
    projects = [e.published.ref for e in index.entries if e.published.version.resource("projects")]
    series = [
        e.published.ref
        for e in index.entries
        if e.published.version.resource("observations")
        and e.published.version.resource("indicators")
    ]
    examples: dict[str, str] = {}
    if projects:
        first = projects[0]
        examples[t("web.sql.example.by_province")] = (
            "SELECT province, count(*) AS projects,\n"
            "       sum(budget_irr) AS budget_irr, sum(spent_irr) AS spent_irr\n"
            f'FROM "{first}"\nGROUP BY province\nORDER BY budget_irr DESC'
        )
        examples[t("web.sql.example.overdue")] = (
            "SELECT id, title_fa, county, planned_end_date, physical_progress_pct\n"
            f'FROM "{first}"\n'
            "WHERE planned_end_date < current_date AND actual_end_date IS NULL\n"
            "ORDER BY planned_end_date\nLIMIT 100"
        )
        examples[t("web.sql.example.search")] = (
            "SELECT id, title_fa, county, physical_progress_pct\n"
            f'FROM "{first}"\n'
            "WHERE matches(title_fa, 'راهآهن')"
        )
    if len(projects) > 1:
        union = "\n  UNION ALL BY NAME\n  ".join(f'SELECT * FROM "{p}"' for p in projects)
        examples[t("web.sql.example.all_agencies")] = (
            "SELECT status, count(*) AS projects, sum(budget_irr) AS budget_irr\n"
            f"FROM (\n  {union}\n)\nGROUP BY status\nORDER BY projects DESC"
        )
    if series:
        name = "name_fa" if lang == "fa" else "name_en"
        examples[t("web.sql.example.indicator")] = (
            f"SELECT i.{name} AS indicator, o.period, o.value\n"
            f'FROM "{series[0]}" o\n'
            f'JOIN "{series[0]}/indicators" i USING (indicator_id)\n'
            "WHERE o.county IS NULL\nORDER BY indicator, o.period\nLIMIT 200"
        )
    return examples


def _use_example(examples: dict[str, str]) -> None:
    chosen = st.session_state.get("sql_example")
    if chosen in examples:
        st.session_state["sql_text"] = examples[chosen]


def _frame(result: Result) -> pd.DataFrame:
    names = [f["id"] for f in result.answer.fields]
    return pd.DataFrame(result.answer.records, columns=names)


def _xlsx(frame: pd.DataFrame, result: Result) -> bytes:
    fields = [
        {"name": f["id"], "type": _SCHEMA_TYPES.get(f["type"], "string")}
        for f in result.answer.fields
    ]
    described = {"name": "query", "schema": {"fields": fields}}
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "query.xlsx"
        write_xlsx(_rows(frame), described, target, "query.xlsx")
        return target.read_bytes()


def _sources(result: Result) -> str:
    parts = [
        t(
            "web.sql.source",
            name=_isolated(s.name),
            version=num(s.version),
            resource=_isolated(s.resource),
            sha=_isolated(s.sha256[:12]),
        )
        for s in result.sources
    ]
    return " · ".join(parts)


def _isolated(text: str) -> str:
    """Latin names inside a Persian sentence keep their own order (FSI…PDI)."""
    return f"\u2068{text}\u2069"


def _chart(frame: pd.DataFrame) -> None:
    """A bar per row when the answer is labels with numbers (a GROUP BY, typically)."""
    if not 2 <= len(frame) <= CHART_ROWS:
        return
    labels = [
        c
        for c in frame.columns
        if pd.api.types.is_string_dtype(frame[c]) and frame[c].is_unique  # one bar per label
    ]
    numbers = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    numbers = [c for c in numbers if not pd.api.types.is_bool_dtype(frame[c])]
    if not labels or not numbers:
        return
    shown = frame[[labels[0], numbers[0]]].dropna()
    title = t("web.sql.chart_title", value=numbers[0], label=labels[0])
    st.plotly_chart(charts.bar(shown, labels[0], numbers[0], title), config=charts.CONFIG)


def _answer(result: Result, sql: str, lang: str) -> None:
    frame = _frame(result)
    st.caption(
        t("web.sql.rows", rows=num(len(frame)), seconds=num(round(result.answer.seconds, 3)))
    )
    if result.sources:
        st.caption(_sources(result))
    if result.answer.truncated:
        st.warning(t("web.sql.truncated", rows=num(result.limits.rows)))
    for note in result.notes(lang):  # a Jalali date read as Gregorian: answered, and said
        st.warning(note)
    _chart(frame)
    st.dataframe(localized(frame), hide_index=True)
    with st.expander(t("web.sql.html_table", rows=num(min(len(frame), HTML_TABLE_ROWS)))):
        st.table(localized(frame.head(HTML_TABLE_ROWS)), hide_index=True)
    left, right = st.columns(2)
    left.download_button(
        t("web.sql.download_csv"),
        data=lambda: csv_for_excel(frame),
        file_name="query-result.csv",
        mime="text/csv",
        key="sql_csv",
    )
    right.download_button(
        t("web.sql.download_xlsx"),
        data=lambda: _xlsx(frame, result),
        file_name="query-result.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="sql_xlsx",
    )
    address = "/sql?" + urlencode({"lang": lang, "sql": sql})
    st.markdown(
        f'{t("web.sql.share")} <a href="{_attr(address)}" target="_self" class="gw-ltr">'
        f"{t('web.sql.share_link')}</a>",
        unsafe_allow_html=True,
    )
    st.code(address, language=None)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def render() -> None:
    lang = current_language()
    st.title(t("web.sql.title"))
    st.write(isolate_quoted(t("web.sql.intro")))
    st.html(LTR_EDITOR)
    shared: Any = st.query_params.get("sql")
    examples = _examples(lang)
    if "sql_text" not in st.session_state:
        st.session_state["sql_text"] = shared or next(iter(examples.values()), "SELECT 1")
    st.selectbox(
        t("web.sql.examples"),
        list(examples),
        index=None,
        placeholder=t("web.sql.pick_example"),
        key="sql_example",
        on_change=_use_example,
        args=(examples,),
    )
    st.text_area(t("web.sql.editor"), key="sql_text", height=180)
    st.caption(isolate_quoted(t("web.sql.tables_help")))
    if st.button(t("web.sql.run"), type="primary", key="sql_run"):
        shared = st.session_state["sql_text"]
        st.query_params["sql"] = shared  # the address now holds the query: shareable
    if not shared:
        return
    try:
        result = run_query(settings().home, INDEXES.current(settings().home, ""), str(shared))
    except GlassWallError as exc:
        st.error(exc.message[lang])
        return
    _answer(result, str(shared), lang)
