"""One project's card on the Projects page: its figures, each with a citable address,
its history across versions and the two-way channel."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from portal.api.citations import PROJECT_FIGURES, cite_path
from portal.profiles import codelist_names
from portal.web import data
from portal.web.feedback_ui import ask_form, public_record
from portal.web.format import escape_markdown
from portal.web.navigation import page_link
from portal.web.trust_ui import project_timeline
from portal.web.ui import (
    code_label,
    money,
    num,
    pick,
    pick_column,
    safe,
    sep,
    t,
    when,
)


def code_name(code: str, listname: str) -> str:
    """A code's name in the page's language (the code itself when the list lacks it)."""
    entry = codelist_names(listname).get(code)
    return pick(entry.name_fa, entry.name_en) if entry else code


def project_card(stamp: tuple[int, int], lang: str, position: int) -> None:
    """One project: its facts and history (drawn once), then the question form and the
    public record of answers."""
    project = data.projects(stamp).iloc[position]
    card_facts(stamp, lang, position)
    reference = f"{project['agency']}/{project['dataset']}"
    figures = {
        f"{t(label_key)}: {shown}": (field, project[field])
        for field, label_key, shown in (
            ("budget_irr", "web.budget", money(project["budget_irr"])),
            ("spent_irr", "web.spent", money(project["spent_irr"])),
            ("physical_progress_pct", "web.progress_figure", num(project["physical_progress_pct"])),
            ("status", "web.status", code_label("web.status.", project["status"])),
        )
    }
    ask_form(
        f"project_{project['id']}",
        reference,
        version=int(project["version"]),
        resource="projects",
        row=int(project["_row"]),
        figures=figures,
        project=str(project["id"]),
    )
    public_record(reference, project=str(project["id"]))


def _sample(stamp: tuple[int, int], agency: str, dataset: str) -> bool:
    datasets = data.datasets(stamp)
    if datasets.empty:
        return False
    mine = datasets[(datasets["agency"] == agency) & (datasets["dataset"] == dataset)]
    return bool(mine["sample"].any())


@data.per_item
def card_facts(stamp: tuple[int, int], lang: str, position: int) -> None:
    """The card's figures, dates, source and history, drawn once per publication and language."""
    project = data.projects(stamp).iloc[position]
    st.subheader(safe(pick(project["title_fa"], project["title_en"])), anchor="card")
    if _sample(stamp, str(project["agency"]), str(project["dataset"])):
        # A shared link scrolls to the card, past the page's notice: the card says it too.
        st.warning(t("card.sample"))
    st.caption(
        f"{t('web.project_id')}: {safe(project['id'])}{sep()}{t('web.status')}: "
        f"{escape_markdown(code_label('web.status.', project['status']))}{sep()}"
        f"{safe(code_name(project['province'], 'provinces'))}{sep()}"
        f"{safe(project['county'])}"
    )
    progress = project["physical_progress_pct"]
    if progress == progress:
        st.progress(
            min(max(float(progress), 0.0), 100.0) / 100, text=t("web.progress", value=num(progress))
        )
    left, right = st.columns(2)
    left.metric(t("web.budget"), money(project["budget_irr"]))
    right.metric(t("web.spent"), money(project["spent_irr"]))
    timeline = [
        ("start_date", "web.start"),
        ("planned_end_date", "web.planned_end"),
        ("actual_end_date", "web.actual_end"),
        ("inauguration_date", "web.inauguration"),
    ]
    st.markdown("\n".join(f"- {t(label)}: {when(project[field])}" for field, label in timeline))
    if project["latitude"] == project["latitude"]:
        st.caption(t("web.location", lat=num(project["latitude"]), lon=num(project["longitude"])))
    label = t("web.source_dataset", version=num(project["version"]))
    page_link("dataset", label, dataset=f"{project['agency']}/{project['dataset']}")
    st.caption(cite_links(project, lang))
    project_timeline(str(project["agency"]), str(project["id"]))


CITE_LABELS = ("web.budget", "web.spent", "web.progress_figure", "web.status")


def cite_links(project: pd.Series, lang: str) -> str:
    """A permalink to each figure the card shows, in this version, for citing it."""
    suffix = "" if lang == "fa" else f"?lang={lang}"
    links = [
        f"[{t(label)}]("
        + cite_path(
            str(project["agency"]),
            str(project["dataset"]),
            int(project["version"]),
            "projects",
            int(project["_row"]),
            field,
        )
        + f"{suffix})"
        for label, field in zip(CITE_LABELS, PROJECT_FIGURES, strict=True)
    ]
    return f"{t('cite.these_figures')}: " + sep().join(links)


def picker_labels(shown: pd.DataFrame, names: dict[str, str]) -> dict[str, str]:
    """Title · county · agency: five projects with one title are five different places.
    Two projects that still read the same also show their ids: Streamlit keeps a picker's
    choice by its label, so one label for two projects opened the other one."""
    titles = pick_column(shown["title_fa"], shown["title_en"])
    labels = {
        pid: f"{title}{sep()}{county}{sep()}{names.get(agency, agency)}"
        for pid, title, county, agency in zip(
            shown["id"], titles, shown["county"], shown["agency"], strict=True
        )
    }
    seen = Counter(labels.values())
    return {
        pid: f"{label}{sep()}{pid}" if seen[label] > 1 else label for pid, label in labels.items()
    }
