"""Home and About as view models: the portal's figures, newest publications, agencies."""

from __future__ import annotations

from portal.door.context import Ask
from portal.door.figures import headline, headline_cells
from portal.door.models import Link, Page, Section, Table


def _status_table(ask: Ask) -> Table | None:
    projects = ask.publication.projects
    if projects.empty:
        return None
    counts = projects.groupby("status").size().sort_values(ascending=False)
    rows = tuple((ask.t(f"web.status.{code}"), ask.num(int(n))) for code, n in counts.items())
    return Table(
        ask.t("web.projects_by_status"), (ask.t("web.status"), ask.t("web.projects")), rows
    )


def _province_table(ask: Ask) -> Table | None:
    projects = ask.publication.projects
    if projects.empty:
        return None
    sums = projects.groupby("province")[["budget_irr", "spent_irr"]].sum()
    sums = sums.sort_values("budget_irr", ascending=False)
    rows = tuple(
        (ask.named(code, "provinces"), ask.num(round(b / 1e9)), ask.num(round(s / 1e9)))
        for code, b, s in zip(sums.index, sums["budget_irr"], sums["spent_irr"], strict=True)
    )
    headers = (ask.t("web.province"), ask.t("web.budget_billion"), ask.t("web.spent_billion"))
    return Table(ask.t("web.budget_ranking"), headers, rows)


def latest_links(ask: Ask, limit: int = 10, agency: str = "") -> tuple[Link, ...]:
    """The newest publications (of one agency when given), each a link to its dataset."""
    links = []
    for entry in ask.publication.log:
        if "dataset" not in entry or (agency and entry.get("agency") != agency):
            continue
        ref = f"{entry['agency']}/{entry['dataset']}"
        found = ask.publication.find(ref)
        title = (
            ask.pick(found.descriptor.get("title_fa"), found.descriptor.get("title"))
            if found
            else ref
        )
        dot = ask.t("h-citizen.dot")  # «؛» in Persian: «·» by a digit reads as «۰»
        label = (
            f"{title}{dot}{ask.t('web.version')} {ask.num(int(entry.get('version', 0)))}"
            f"{dot}{ask.when(entry.get('time'))}"
        )
        links.append(Link(label, ask.href("/dataset", dataset=ref)))
        if len(links) == limit:
            break
    return tuple(links)


def build_home(ask: Ask) -> Page:
    snapshot = ask.publication.snapshot
    agencies = len({p.agency.slug for p in snapshot.datasets})
    figures = headline(ask.publication.projects, agencies, len(snapshot.datasets), ask.today)
    cells = tuple(headline_cells(figures, ask.lang))
    tables = tuple(
        Section(table.caption, table=table)
        for table in (_status_table(ask), _province_table(ask))
        if table is not None
    )
    ranking = tuple(
        Link(ask.pick(a.title_fa, a.title_en), ask.href("/agencies", agency=a.slug))
        for a in sorted(snapshot.agencies.values(), key=lambda a: a.slug)
        if snapshot.of_agency(a.slug)
    )
    description = ask.t(
        "door.home.description",
        projects=ask.num(figures.projects),
        agencies=ask.num(figures.agencies),
        budget=ask.num(figures.budget_billion),
    )
    return Page(
        lang=ask.lang,
        travel=ask.travel(ask.t("web.title"), description, "/"),
        heading=ask.t("web.title"),
        intro=ask.t("web.intro"),
        sample=any(p.descriptor.get("sample") for p in snapshot.datasets),
        figures=cells,
        sections=(
            *tables,
            Section(ask.t("web.latest_publications"), links=latest_links(ask)),
            Section(ask.t("web.agencies"), links=ranking),
        ),
    )


def build_about(ask: Ask) -> Page:
    return Page(
        lang=ask.lang,
        travel=ask.travel(
            f"{ask.t('web.about')} · {ask.t('door.site')}", ask.t("web.about_text"), "/about"
        ),
        heading=ask.t("web.about"),
        intro=ask.t("web.about_text"),
        sample=any(p.descriptor.get("sample") for p in ask.publication.snapshot.datasets),
        sections=(
            Section(ask.t("web.methodology"), paragraphs=(ask.t("web.methodology_text"),)),
            Section(
                ask.t("web.verify_download"),
                paragraphs=(ask.t("web.verify_text"),),
                links=(Link(ask.t("web.footer.log"), "/log.jsonl"),),
                anchor="verify",
            ),
        ),
    )
