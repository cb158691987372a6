"""Language, direction and formatting for the glass wall pages.

Persian is the default; `?lang=en` switches to English and the choice is kept in the URL
of every page. Persian pages are right-to-left with Persian digits and Jalali dates;
English pages show Gregorian dates with the Jalali date beside them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from portal.i18n import LANGUAGES, catalog, text
from portal.public_text import isolate, xml_safe
from portal.trust import said
from portal.web.format import day, escape_markdown, number

RLI, PDI = "\u2067", "\u2069"  # isolate mixed Persian/Latin labels so charts lay them out right
FSI = "\u2068"  # first-strong isolate: uploaded text keeps its own direction, contained
# Shared look: readable measure, 24 px targets (WCAG 2.5.8), no Plotly toolbar on phones.
BASE_CSS = """
<style>
.stMain .block-container { max-width: 1200px; padding-top: 2.5rem; }
h1 { font-size: 2.1rem !important; line-height: 1.35 !important; }
[data-testid="stPageLink"] a, [data-testid="stMarkdownContainer"] a { min-height: 24px; }
[data-testid="stPageLink"] a { display: flex; align-items: center; }
/* Long link lines (latest publications, the ranking) wrap instead of being cut. */
[data-testid="stPageLink"], [data-testid="stPageLink"] a, [data-testid="stPageLink"] p,
[data-testid="stPageLink"] span { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; height: auto !important; max-width: 100%; }
.gw-footer { border-top: 1px solid #ccc; margin-top: 2.5rem; padding-top: 1rem;
  font-size: 0.9rem; color: #333; }
.gw-footer a { display: inline-block; min-height: 24px; line-height: 24px; }
.stMain pre, .stMain pre code { white-space: pre-wrap !important; word-break: break-all; }
.gw-card { border: 1px solid #d0d0d0; border-radius: 0.5rem; padding: 0.75rem 1rem;
  margin-bottom: 0.75rem; background: #fff; }
.gw-badge { display: inline-block; padding: 0 0.5rem; border-radius: 0.75rem;
  font-size: 0.85rem; border: 1px solid currentColor; }
.gw-high { color: #0b6b3a; } .gw-medium { color: #7a4b00; } .gw-low { color: #a1001a; }
@media (max-width: 640px) { .modebar-container { display: none !important; } }
/* A phone: a table's toolbar (search, download, full screen) stands above the table's top
   edge, over the text before it; the table's block leaves it that room. */
@media (max-width: 640px) {
  [data-testid="stElementContainer"]:has(> [data-testid="stElementToolbar"]),
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) { margin-top: 2.4rem; } }
</style>
"""
# Persian: the document is right-to-left; Streamlit's own pieces that set `left` explicitly
# are turned round, and code, hashes and the canvas tables stay left-to-right.
RTL_CSS = """
<style>
.stApp, .stMain, [data-testid="stSidebar"] { direction: rtl; }
.stMain .block-container, [data-testid="stSidebarContent"], [data-testid="stExpander"] summary,
.stMain h1, .stMain h2, .stMain h3, .stMain p, .stMain li, .stMain label,
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"], [data-testid="stMetricValue"] { direction: rtl; text-align: right; }
.stMain ul, .stMain ol, [data-testid="stSidebar"] ul {
  padding-right: 1.4rem; padding-left: 0; margin-right: 0; }
code, pre, .stCode, [data-testid="stDataFrame"], .gw-ltr { direction: ltr; text-align: left; }
/* A progress bar fills from where a Persian reader starts: the right. */
[data-testid="stProgressBarTrack"] { transform: scaleX(-1); }
/* An address in a Persian line: one left-to-right unit (else "mrud-" ends one line and
   "yazd.atom" starts the next, in the wrong order). */
.gw-url { direction: ltr; unicode-bidi: isolate; display: inline-block; max-width: 100%;
  overflow-wrap: anywhere; }
/* A dropdown's options open in a layer outside the app's tree: right to left as well. */
[data-baseweb="popover"] ul, [data-baseweb="popover"] li { direction: rtl; text-align: right; }
/* Streamlit slides a collapsed sidebar off to the left; from the right edge that leaves it
   on screen over the page (phones), so a collapsed sidebar's content is not drawn at all
   (widget labels set their own visibility, so hiding the sidebar alone is not enough). */
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stSidebarContent"] {
  display: none !important; }
[data-testid="stSidebar"][data-collapsed="true"] { border: none !important; }
/* ... nor its resize strip, which stayed over the page as a line that caught taps. */
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stSidebarResizeHandle"] {
  display: none !important; }
</style>
"""
# Sets the document language after an in-session switch and says Streamlit's own words
# (not-found dialog, select-all) in Persian.
DOCUMENT_SCRIPT = """
<script>
(() => {
  const root = window.parent && window.parent.document ? window.parent.document : document;
  const html = root.documentElement;
  html.lang = "%(lang)s"; html.dir = "%(dir)s";
  if ("%(lang)s" !== "fa") return;
  const words = %(words)s;
  const tags = "h1,h2,h3,p,span,div,li,a,label,button";
  const swap = () => root.querySelectorAll(tags).forEach((el) => {
    if (el.children.length === 0 && words[el.textContent.trim()]) {
      el.textContent = words[el.textContent.trim()];
    }
  });
  swap();
  if (!window.__gwWords) {
    window.__gwWords = new MutationObserver(swap);
    window.__gwWords.observe(root.body, {childList: true, subtree: true, characterData: true});
  }
})();
</script>
"""


_MEMO = "_glasswall_run_memo"
T = TypeVar("T")


def once_per_run(name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per page run (the language, the publication stamp): pages ask for
    them many times, and each answer takes a lock or a system call.

    The memo sits on the run's context next to an object Streamlit makes anew for each
    run, so it never outlives the run; outside a run nothing is kept.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "parallel_coordinator", None)
    if run is None:
        return compute()
    memo = getattr(ctx, _MEMO, None)
    if memo is None or memo[0] is not run:
        memo = (run, {})
        setattr(ctx, _MEMO, memo)
    values: dict[str, Any] = memo[1]
    if name not in values:
        values[name] = compute()
    value: T = values[name]
    return value


def current_language() -> str:
    """The page language: `?lang=`, else the session's, else Persian; kept in the URL.

    Worked out once per page run: every `t()` asks, and reading `st.query_params` takes
    Streamlit's session lock (about half of a light page run went here).
    """
    return once_per_run("language", _language_of_run)


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
    """The page's look and direction, and the document's language (serving/document.py)."""
    lang = current_language()
    st.html(BASE_CSS + (RTL_CSS if lang == "fa" else ""))
    words = {
        "Page not found": t("web.st.page_not_found"),
        "The page that you have requested does not seem to exist. Running the app's main page.": (
            t("web.st.page_not_found_text")
        ),
        "Select all": t("web.st.select_all"),
        "Skip to main content": t("web.st.skip"),
        "No results": t("web.st.no_results"),
        "Press Enter to submit form": t("h-citizen.st.enter_submit"),
        "Press Enter to apply": t("h-citizen.st.enter_apply"),
        "Press ⌘+Enter to apply": t("h-citizen.st.ctrl_enter_apply"),
        "Press Ctrl+Enter to apply": t("h-citizen.st.ctrl_enter_apply"),
        "Press ⌘+Enter to submit form": t("h-citizen.st.ctrl_enter_submit"),
        "Press Ctrl+Enter to submit form": t("h-citizen.st.ctrl_enter_submit"),
    }
    script = DOCUMENT_SCRIPT % {
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "words": json.dumps(words, ensure_ascii=False),
    }
    st.html(script, unsafe_allow_javascript=True)


def choice_key(name: str, valid: Callable[[Any], bool]) -> str:
    """The key of a choice widget whose labels are in the page's language.

    Streamlit keeps a widget's choice by its shown label, so after a language switch the
    old label matches no option and comes back as text (a crash on the project card, an
    empty filter). Each language gets its own key, and the choice made in the other
    language is carried over while `valid` says it is still a choice here.
    """
    lang = current_language()
    key = f"{name}.{lang}"
    if key not in st.session_state:
        for other in LANGUAGES:
            previous = st.session_state.get(f"{name}.{other}") if other != lang else None
            if previous is not None and valid(previous):
                st.session_state[key] = previous
                break
    return key


def one_of(options: Any) -> Callable[[Any], bool]:
    """`valid` for a single choice among `options`."""
    allowed = list(options)
    return lambda value: value in allowed


def all_of(options: Any) -> Callable[[Any], bool]:
    """`valid` for several choices (or a slider's range) among `options`."""
    allowed = list(options)
    return lambda values: all(value in allowed for value in values)


def choose_one() -> str:
    """A single-choice widget's placeholder in the page's language."""
    return t("web.st.choose_one")


def choose_many() -> str:
    """A multi-choice widget's placeholder in the page's language."""
    return t("web.st.choose_many")


def sep() -> str:
    """The separator between items of one line: «؛» in Persian, where «·» beside Persian
    digits reads as the digit zero («۱ · کیفیت» looks like «۱ ۰»)."""
    return t("h-citizen.dot")


def days_ago(days: int, key: str = "web.days_since", **params: Any) -> str:
    """`N days ago`, but «امروز» / "today" for 0 days (not «۰ روز پیش»)."""
    if days <= 0:
        return t(f"h-citizen.today.{key}", **params)
    if days == 1:
        return t(f"h-citizen.one_day.{key}", **params)
    return t(key, days=num(days), **params)


def span(start: Any, end: Any) -> str:
    """A time span, start first in either direction: in words, so a right-to-left line
    cannot show two bare dates end first."""
    return t("h-citizen.span", start=when(start), end=when(end))


def num(value: float | int | None) -> str:
    if value is None:
        return "-"
    return number(value, current_language())


def money(rials: float | int | None) -> str:
    """Rials in billions (میلیارد ریال), the unit budgets are reported in (`said.money`,
    the one way amounts read on every page)."""
    return said.money(rials, current_language())


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


def plain(value: Any) -> str:
    """People's text shown as plain text (`st.text`): each line isolated (FSI…PDI), so an
    answer's U+202E cannot reverse what follows it, and no control character from old data."""
    return isolate(xml_safe(value))


def bidi(label: str) -> str:
    """A chart label isolated right to left on Persian pages only: on English pages the
    isolate turned "W. Azar." into ".W. Azar" and a legend's "0–10" into "10–0"."""
    return f"{RLI}{label}{PDI}" if current_language() == "fa" else label


def pick(fa: Any, en: Any) -> str:
    """The value in the page language, falling back to the other one."""
    first, second = (fa, en) if current_language() == "fa" else (en, fa)
    return str(first) if first not in (None, "") and first == first else str(second or "")


def pick_column(fa: Any, en: Any) -> Any:
    """`pick` for whole pandas columns: the page language, the other where it is empty."""
    first, second = (fa, en) if current_language() == "fa" else (en, fa)
    return first.where(first.fillna("").astype(str) != "", second)


def code_label(prefix: str, code: Any) -> str:
    """The label of a code from the data (`web.status.` + `implementation`), as plain text.

    A code off the list (an own schema without the enum, old data) never breaks a page
    for every visitor: it shows as written (isolated, without control characters) and
    marked as off the list, so it is never mistaken for a listed one; an empty one shows as
    "unknown". Callers that put it into Markdown escape it there."""
    value = "" if code is None or code != code else str(code)  # None, NaN
    key = f"{prefix}{value}"
    if value and key in catalog(current_language()):
        return t(key)
    shown = xml_safe(value).strip()
    return t("text.off_list_code", code=isolate(shown)) if shown else t("text.unknown_code")


def translate_codes(codes: Any, prefix: str) -> Any:
    """Codes -> catalog texts, looked up once per distinct code (pages have many rows)."""
    names = {code: code_label(prefix, code) for code in codes.unique()}
    return codes.map(names)
