"""Projects: the first rows of every project, and one project's card (`?project=ID`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from portal.api.citations import PROJECT_FIGURES, cite_path
from portal.door.context import Ask
from portal.door.models import Link, Page, Section, Table
from portal.tables.filters import select
from portal.tables.search import unsearchable

CITE_LABELS = ("web.budget", "web.spent", "web.progress_figure", "web.status")
FIRST_ROWS = 50  # a page of rows; the dashboard and the downloads have them all


def _title(ask: Ask, row: Any) -> str:
    return ask.pick(row["title_fa"], row.get("title_en", "")) or str(row["id"])


def _chosen_line(ask: Ask) -> str:
    """The chosen filters and words in the page itself, as the dashboard says them."""
    agencies = ask.publication.snapshot.agencies
    said: dict[str, Callable[[str], str]] = {
        "province": lambda code: ask.named(code, "provinces"),
        "sector": lambda code: ask.named(code, "sectors"),
        "status": lambda code: ask.t(f"web.status.{code}"),
        "agency": lambda slug: (
            ask.pick(agencies[slug].title_fa, agencies[slug].title_en) if slug in agencies else slug
        ),
    }
    parts = [
        ask.t(
            "h-citizen.filter_part",
            name=ask.t(f"web.{name}"),
            values=ask.t("h-citizen.or").join(said[name](code) for code in codes),
        )
        for name, codes in ask.chosen.named.items()
        if codes
    ]
    if ask.chosen.query:
        parts.append(
            ask.t("h-citizen.filter_part", name=ask.t("web.search"), values=ask.chosen.query)
        )
    return ask.t("h-citizen.chosen_filters", filters=ask.t("h-citizen.sep").join(parts))


def build_projects(ask: Ask) -> Page:
    """The projects the address's filters keep (`?province=IR-21&status=…&q=…`, read as the
    dashboard reads them: `portal.tables.filters`), the first rows of them as a table."""
    projects = ask.publication.projects
    chosen = ask.chosen
    if not chosen.empty and not projects.empty:
        text = ask.publication.project_text if chosen.query else None
        projects = select(projects, chosen, text)
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
    total = len(ask.publication.projects)
    count = ask.t("web.showing", shown=ask.num(len(projects)), total=ask.num(total))
    description = ask.t("door.projects.description", count=ask.num(total))
    address = "/projects?" + urlencode(chosen.address()) if not chosen.empty else "/projects"
    sections = []
    if not chosen.empty:
        back = Link(ask.t("h-citizen.back_projects"), ask.href("/projects"))
        sections.append(Section(ask.t("web.filters"), (_chosen_line(ask),), links=(back,)))
    if rows:
        sections.append(Section(ask.t("web.projects"), table=table))
    else:
        none = (
            ask.t("polish.search.no_word", query=chosen.query)
            if unsearchable(chosen.query)
            else ask.t("web.proj.none")
        )
        sections.append(Section(ask.t("web.projects"), (none,)))
    return Page(
        lang=ask.lang,
        travel=ask.travel(f"{ask.t('web.projects')} · {ask.t('door.site')}", description, address),
        heading=ask.t("web.projects"),
        intro=count,
        sample=any(p.descriptor.get("sample") for p in ask.publication.snapshot.datasets),
        figures=((ask.t("web.projects"), ask.num(len(projects))),),
        sections=tuple(sections),
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
