"""Language, direction and formatting for the glass wall pages.

Persian is the default; `?lang=en` switches to English and the choice is kept in the URL
of every page. Persian pages are right-to-left with Persian digits and Jalali dates;
English pages show Gregorian dates with the Jalali date beside them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from portal.i18n import LANGUAGES, text
from portal.web.format import day, escape_markdown, number

RLI, PDI = "\u2067", "\u2069"  # isolate mixed Persian/Latin labels so charts lay them out right
FSI = "\u2068"  # first-strong isolate: uploaded text keeps its own direction, contained
RTL_CSS = """
<style>
.stMain .block-container, [data-testid="stSidebarContent"] { direction: rtl; text-align: right; }
.stMain [data-testid="stMarkdownContainer"] ul { padding-right: 1.2rem; padding-left: 0; }
[data-testid="stMetricValue"], [data-testid="stMetricLabel"] { direction: rtl; }
code, .stCode, [data-testid="stDataFrame"] { direction: ltr; text-align: left; }
</style>
"""


_MEMO = "_glasswall_language"


def current_language() -> str:
    """The page language: `?lang=`, else the session's, else Persian; kept in the URL.

    Worked out once per page run: every `t()` asks, and reading `st.query_params` takes
    Streamlit's session lock (about half of a light page run went here). The memo sits on
    the run's context next to an object Streamlit makes anew for each run, so it never
    outlives the run.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "parallel_coordinator", None)
    memo = getattr(ctx, _MEMO, None)
    if run is not None and memo is not None and memo[0] is run:
        return str(memo[1])
    lang = _language_of_run()
    if run is not None:
        setattr(ctx, _MEMO, (run, lang))
    return lang


def _language_of_run() -> str:
    chosen = st.query_params.get("lang") or st.session_state.get("lang") or "fa"
    lang = chosen if chosen in LANGUAGES else "fa"
    st.session_state["lang"] = lang
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def t(key: str, **params: Any) -> str:
    return text(key, current_language(), **params)


def apply_direction() -> None:
    if current_language() == "fa":
        st.html(RTL_CSS)


def num(value: float | int | None) -> str:
    if value is None:
        return "-"
    return number(value, current_language())


def money(rials: float | int | None) -> str:
    """Rials in billions (میلیارد ریال), the unit budgets are reported in."""
    if rials is None:
        return "-"
    return t("web.billion_rials", amount=num(round(rials / 1e9)))


def when(value: Any) -> str:
    if value is None or value == "" or value != value:  # NaN
        return "-"
    return day(str(value)[:10] if "T" not in str(value) else str(value), current_language())


def safe(value: Any) -> str:
    """Uploaded or citizen text shown through Markdown: escaped, so it can never become
    markup, and isolated (FSI…PDI) when it holds anything beyond ASCII, so a U+202E or a
    right-to-left run inside it cannot reorder the page around it.
    """
    text = "" if value is None else str(value)
    if text.isascii():
        return escape_markdown(text)  # no right-to-left letter, no direction control
    return f"{FSI}{escape_markdown(text)}{PDI}"


def bidi(label: str) -> str:
    return f"{RLI}{label}{PDI}"


def pick(fa: Any, en: Any) -> str:
    """The value in the page language, falling back to the other one."""
    first, second = (fa, en) if current_language() == "fa" else (en, fa)
    return str(first) if first not in (None, "") and first == first else str(second or "")


def pick_column(fa: Any, en: Any) -> Any:
    """`pick` for whole pandas columns: the page language, the other where it is empty."""
    first, second = (fa, en) if current_language() == "fa" else (en, fa)
    return first.where(first.fillna("").astype(str) != "", second)


def translate_codes(codes: Any, prefix: str) -> Any:
    """Codes -> catalog texts, looked up once per distinct code (pages have many rows)."""
    names = {code: t(f"{prefix}{code}") for code in codes.unique()}
    return codes.map(names)
