"""Trust on the pages: explained revisions, project histories, signals, feed links, the
Publish page's explanations form and the ranking's revision figures.

Kept apart from the page modules so each page calls one function per feature.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from portal.config import Settings
from portal.errors import GlassWallError
from portal.store import writing
from portal.store.records import Version
from portal.trust import said
from portal.trust.explanations import Explanation, reason_text
from portal.trust.history import project_history
from portal.trust.published import explained_changes, signals
from portal.trust.publishing import changes_to_explain
from portal.trust.punctuality import Punctuality, punctuality
from portal.trust.ranking import RevisionStats, revision_stats
from portal.validation.report import Finding
from portal.web import context, data
from portal.web.format import escape_markdown
from portal.web.project_cards import plain_cards
from portal.web.ui import current_language, num, pick, safe, sep, t, when

FSI, PDI = "\u2068", "\u2069"  # isolate a reason in its own direction (English in Persian)


def _lang_text(message: dict[str, str] | None) -> str:
    message = message or {}
    return pick(message.get("fa"), message.get("en"))


def _reason_text(reason: dict[str, str] | None) -> str:
    return f"{FSI}{safe(_lang_text(reason))}{PDI}"


@st.cache_data(show_spinner=False, max_entries=256)
def _changes(manifest_sha256: str, agency: str, dataset: str, number: int) -> list[dict[str, Any]]:
    with context.read_store() as store:
        version = next(v for v in data.versions(agency, dataset) if v.number == number)
        return explained_changes(store, version)


def version_changes(version: Version) -> list[dict[str, Any]]:
    """The explained changes `version` was published with (cached by its manifest)."""
    return _changes(version.manifest_sha256, version.agency, version.dataset, version.number)


def with_reasons(
    changed: list[dict[str, str]], version: Version, since: Version | None = None
) -> list[dict[str, str]]:
    """The revision view's changed cells, each with the agency's explanation beside it
    (the newest step's reason when several versions lie between; the column only appears
    when one of them explained something)."""
    steps = (
        [version]
        if since is None
        else said.between(
            data.versions(version.agency, version.dataset), since.number, version.number
        )
    )
    reasons = {
        (str(c.get("key")), str(c.get("field"))): _lang_text(c.get("reason"))
        for step in steps
        for c in version_changes(step)
    }
    if not reasons:
        return changed
    return [{**row, "why": reasons.get((row["key"], row["field"]), "")} for row in changed]


def explanations_panel(version: Version, since: Version | None = None) -> None:
    """Every change the versions after `since` up to `version` had to explain (only
    `version`'s own without `since`): what changed, said by the one formatter, and why."""
    steps = (
        [version]
        if since is None
        else said.between(
            data.versions(version.agency, version.dataset), since.number, version.number
        )
    )
    if since is None or len(steps) < 2:
        heading = t("web.trust.explained_changes", version=num(version.number))
    else:
        heading = t(
            "h-citizen.explained_between",
            old=num(steps[0].number),
            new=num(steps[-1].number),
        )
    st.markdown(f"**{heading}**")
    changes = [(step, change) for step in steps for change in version_changes(step)]
    if not changes:
        st.caption(t("web.trust.no_explanations"))
        return
    lines = []
    lang = current_language()
    for step, change in changes:
        scope = f" {t('web.trust.scope_group')}" if change.get("scope") == "group" else ""
        where = f"{t('web.version')} {num(step.number)}: " if len(steps) > 1 else ""
        lines.append(
            f"- {where}{safe(said.explanation(change, lang))}  \n"
            f"  **{t('web.trust.reason')}:** {_reason_text(change.get('reason'))}{scope}"
        )
    st.markdown("\n".join(lines))


def _figure(field: str, value: str) -> str:
    """A figure as the one formatter says it, Markdown-escaped (a status off the list shows
    as written)."""
    return escape_markdown(said.value(field, value, current_language()))


@st.cache_data(show_spinner=False, max_entries=256)
def _history(stamp: tuple[int, int], agency: str, project: str) -> dict[str, Any] | None:
    with context.read_store() as store:
        try:
            return project_history(store, agency, project)
        except GlassWallError:
            return None


def project_timeline(agency: str, project: str) -> None:
    """The project card's history: figures per version, each change with its explanation."""
    history = _history(data.generation(), agency, project)
    st.markdown(f"**{t('web.trust.history')}**")
    if history is None or len(history["versions"]) < 2:
        st.caption(t("web.trust.no_history"))
        return
    st.caption(t("web.trust.history_caption"))
    rows = []
    cards: list[tuple[str, list[str]]] = []
    lang = current_language()
    for point in history["versions"]:
        row = {
            t("web.version"): num(point["version"]),
            t("web.published_at"): when(point["published_at"]),
        }
        for field, value in (point.get("figures") or {}).items():
            row[said.label(field, lang)] = said.value(field, value, lang)
        if point.get("removed"):
            row[t("web.trust.change")] = t("web.trust.removed_in", version=num(point["version"]))
        rows.append(row)
        head = t(
            "web.trust.history_row",
            version=num(point["version"]),
            date=when(point["published_at"]),
        )
        cards.append((head, [f"{k}: {v}" for k, v in list(row.items())[2:]]))
    with st.container(key="gw_narrow_history"):  # a phone: one card per version
        plain_cards(cards)
    with st.container(key="gw_wide_history"):
        st.dataframe(pd.DataFrame(rows), hide_index=True)
    lines = []
    for change in history["changes"]:
        field = change["field"]
        head = t(
            "web.trust.history_row",
            version=num(change["version"]),
            date=when(change["published_at"]),
        )
        if field == "id":
            what = t("web.trust.removed_in", version=num(change["version"]))
        else:
            what = said.change(field, change["old"], change["new"], current_language())
        line = f"- {head}: {escape_markdown(what)}"
        if change.get("reason"):
            line += f"  \n  **{t('web.trust.reason')}:** {_reason_text(change['reason'])}"
        lines.append(line)
    if lines:
        st.markdown("\n".join(lines))


@st.cache_data(show_spinner=False, max_entries=256)
def _signals(manifest_sha256: str, agency: str, dataset: str, number: int) -> dict[str, Any] | None:
    with context.read_store() as store:
        version = next(v for v in data.versions(agency, dataset) if v.number == number)
        return signals(store, version)


def signals_panel(version: Version) -> None:
    """Distortion signals of the version, worded as prompts to look, never as verdicts."""
    document = _signals(version.manifest_sha256, version.agency, version.dataset, version.number)
    if document is None:
        return
    st.subheader(t("web.trust.signals"))
    st.caption(t("web.trust.signals_caption"))
    found = document.get("signals") or []
    if not found:
        st.caption(t("web.trust.no_signals", count=num(len(document.get("checked") or []))))
        return
    st.markdown("\n".join(f"- {safe(_lang_text(s.get('message')))}" for s in found[:50]))


def feed_links(agency: str | None, dataset: str | None = None) -> None:
    """Links to the Atom feeds (Streamlit owns the document head, so they sit in the page)."""
    paths = ["/feeds/publications.atom"]
    if agency:
        paths.append(f"/feeds/{agency}.atom")
    if agency and dataset:
        paths.append(f"/feeds/{agency}/{dataset}.atom")
    paths.append("/feeds/answers.atom")
    # Each address a left-to-right unit (`.gw-url`): in a Persian line a wrapped address
    # otherwise showed its second half first.
    links = sep().join(
        f'<a class="gw-url" dir="ltr" href="{html.escape(path)}">'
        f"{html.escape(path.removeprefix('/feeds/'))}</a>"
        for path in paths
    )
    st.caption(f"{escape_markdown(t('web.trust.feed'))}: {links}", unsafe_allow_html=True)


@st.cache_data(show_spinner=False, ttl=300)
def _revision_stats(stamp: tuple[int, int]) -> dict[str, RevisionStats]:
    with context.read_store() as store:
        return revision_stats(store)


@st.cache_data(show_spinner=False, ttl=300)
def _punctuality(stamp: tuple[int, int]) -> dict[str, Punctuality]:
    with context.read_store() as store:
        return punctuality(store)


def ranking_figures(agency: str) -> str:
    """The ranking's revision and punctuality figures for one agency, as one line of text."""
    stats = _revision_stats(data.generation()).get(agency, RevisionStats())
    days = "-" if stats.median_days is None else num(round(stats.median_days, 1))
    line = t(
        "web.trust.rank_revisions",
        explained=num(stats.explained),
        revised=num(stats.revised),
        removed=num(stats.removed),
        days=days,
    )
    kept = _punctuality(data.generation()).get(agency)
    if kept is None:
        return line
    late = "-" if kept.median_late_minutes is None else num(round(kept.median_late_minutes))
    return (
        line
        + " · "
        + t(
            "calendar.rank_punctuality",
            on_time=num(kept.on_time),
            late=num(kept.late),
            minutes=late,
            moved=num(kept.moved),
            cancelled=num(kept.cancelled),
        )
    )


def explanation_form(findings: list[Finding]) -> tuple[list[Explanation], int]:
    """Reasons for the changes against the published version; returns them and how many
    changes are still without one. The first change of each kind can explain its group."""
    st.subheader(t("web.trust.explain_title"))
    st.caption(t("web.trust.explain_help"))
    given: list[Explanation] = []
    group: dict[str, Explanation] = {}
    missing = 0
    lang = current_language()
    for index, finding in enumerate(findings[:200]):
        params = dict(finding.params)
        st.text(finding.message[lang])
        if finding.code in group:
            continue
        reason = st.text_input(t("web.trust.reason"), key=f"explain_{index}")
        whole = st.checkbox(t("web.trust.explain_group"), key=f"explain_group_{index}")
        if not reason.strip():
            missing += 1
            continue
        try:
            said = reason_text(reason, lang, resource=finding.resource, row=finding.row)
        except GlassWallError as error:
            st.error(error.message[lang])
            missing += 1
            continue
        match = {} if whole else {"key": str(params.get("key", ""))}
        explanation = Explanation(finding.code, {lang: said}, match)
        given.append(explanation)
        if whole:
            group[finding.code] = explanation
    if missing:
        st.warning(t("web.trust.explain_missing", count=num(missing)))
    return given, missing


def upload_explanations(archive: Path, settings: Settings, agency: str) -> list[Explanation]:
    """On the Publish page: the form for what the upload changes against the published
    version (nothing when it changes nothing that needs a reason). It always takes one
    container, so the widgets after it keep their place when the form empties."""
    with st.container():
        return _upload_form(archive, settings, agency)


@st.cache_data(show_spinner=False, max_entries=16)
def _pending(
    digest: str, agency: str, stamp: tuple[int, int], _archive: Path, _settings: Settings
) -> list[Finding]:
    """Changes of one upload (by its digest) against the latest version (by `stamp`):
    computed once, not on every rerun of the page."""
    store = writing(_settings.home)
    try:
        return changes_to_explain(store, _archive, _settings, agency)
    except GlassWallError:
        return []  # the report above already says why the upload cannot be read
    finally:
        store.close()


def _upload_form(archive: Path, settings: Settings, agency: str) -> list[Explanation]:
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    pending = _pending(digest, agency, data.generation(), archive, settings)
    if not pending:
        return []
    given, _ = explanation_form(pending)
    return given
