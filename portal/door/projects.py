"""Projects: the first rows of every project, and one project's card (`?project=ID`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from portal.api.citations import PROJECT_FIGURES, cite_path
from portal.door.context import Ask
from portal.door.models import Link, Page, Section, Table

CITE_LABELS = ("web.budget", "web.spent", "web.progress_figure", "web.status")
FIRST_ROWS = 50  # a page of rows; the dashboard and the downloads have them all


def _title(ask: Ask, row: Any) -> str:
    return ask.pick(row["title_fa"], row.get("title_en", "")) or str(row["id"])


def build_projects(ask: Ask) -> Page:
    projects = ask.publication.projects
    first = projects.head(FIRST_ROWS)
    headers = (
        ask.t("door.project"),
        ask.t("web.agency"),
        ask.t("web.status"),
        ask.t("web.province"),
        ask.t("web.budget"),
        ask.t("web.progress_figure"),
    )
    agencies = ask.publication.snapshot.agencies
    rows, links = [], []
    for _, row in first.iterrows():
        agency = agencies.get(str(row["agency"]))
        rows.append(
            (
                _title(ask, row),
                ask.pick(agency.title_fa, agency.title_en) if agency else str(row["agency"]),
                ask.t(f"web.status.{row['status']}") if row["status"] else "-",
                ask.named(row["province"], "provinces"),
                ask.money(row["budget_irr"]),
                ask.num(row["physical_progress_pct"]),
            )
        )
        links.append(ask.href("/projects", project=str(row["id"])))
    note = ask.t("web.first_rows", rows=ask.num(FIRST_ROWS)) if len(projects) > FIRST_ROWS else ""
    table = Table(ask.t("web.projects"), headers, tuple(rows), tuple(links), note)
    count = ask.t("web.showing", shown=ask.num(len(first)), total=ask.num(len(projects)))
    description = ask.t("door.projects.description", count=ask.num(len(projects)))
    return Page(
        lang=ask.lang,
        travel=ask.travel(
            f"{ask.t('web.projects')} · {ask.t('door.site')}", description, "/projects"
        ),
        heading=ask.t("web.projects"),
        intro=count,
        sample=any(p.descriptor.get("sample") for p in ask.publication.snapshot.datasets),
        figures=((ask.t("web.projects"), ask.num(len(projects))),),
        sections=(Section(ask.t("web.projects"), table=table),),
    )


def build_project(ask: Ask, pid: str) -> Page | None:
    """The first project (of any agency) with this id, as the dashboard opens it."""
    row = ask.publication.project(pid)
    if row is None:
        return None
    title = _title(ask, row)
    ref = f"{row['agency']}/{row['dataset']}"
    published = ask.publication.find(ref)
    status = ask.t(f"web.status.{row['status']}") if row["status"] else "-"
    progress = row["physical_progress_pct"]
    figures = (
        (ask.t("web.budget"), ask.money(row["budget_irr"])),
        (ask.t("web.spent"), ask.money(row["spent_irr"])),
        (ask.t("web.progress_figure"), ask.num(progress)),
        (ask.t("web.status"), status),
    )
    facts = (
        (ask.t("web.project_id"), pid),
        (ask.t("web.province"), ask.named(row["province"], "provinces")),
        (ask.t("door.county"), str(row.get("county") or "-")),
        (ask.t("web.sector"), ask.named(row.get("sector"), "sectors")),
        (ask.t("web.start"), ask.when(row.get("start_date"))),
        (ask.t("web.planned_end"), ask.when(row.get("planned_end_date"))),
        (ask.t("web.actual_end"), ask.when(row.get("actual_end_date"))),
        (ask.t("web.inauguration"), ask.when(row.get("inauguration_date"))),
    )
    source = Link(
        ask.t("web.source_dataset", version=ask.num(int(row["version"]))),
        ask.href("/dataset", dataset=ref),
    )
    cite = tuple(
        Link(
            ask.t(label),
            ask.href(
                cite_path(
                    str(row["agency"]),
                    str(row["dataset"]),
                    int(row["version"]),
                    "projects",
                    int(row["_row"]),
                    field,
                )
            ),
        )
        for label, field in zip(CITE_LABELS, PROJECT_FIGURES, strict=True)
    )
    description = ask.t(
        "door.project.description",
        title=title,
        status=status,
        budget=ask.money(row["budget_irr"]),
        progress=ask.num(progress),
    )
    return Page(
        lang=ask.lang,
        travel=ask.travel(
            title, description, "/projects?" + urlencode({"project": pid}), kind="article"
        ),
        heading=title,
        intro=description,
        sample=bool(published and published.descriptor.get("sample")),
        figures=figures,
        sections=(
            Section(ask.t("door.facts"), facts=facts, links=(source,)),
            Section(ask.t("cite.these_figures"), links=cite),
        ),
    )
