"""The datasets catalogue and one dataset: metadata, figures, downloads, revisions."""

from __future__ import annotations

from portal.door.context import Ask
from portal.door.models import Download, Link, Page, Section, Table
from portal.metadata.ckan_dicts import download_url
from portal.metadata.dcat import schema_org
from portal.metadata.snapshot import Published
from portal.trust import said
from portal.web.structured_data import script_json


def _title(ask: Ask, published: Published) -> str:
    d = published.descriptor
    return ask.pick(d.get("title_fa"), d.get("title")) or published.version.title


def score_label(ask: Ask, score: float | None) -> str:
    if score is None or score != score:
        return ask.t("web.score_unknown")
    level = "high" if score >= 80 else "medium" if score >= 50 else "low"
    return ask.t(f"web.score_{level}", score=ask.num(round(score)))


def build_catalogue(ask: Ask) -> Page:
    datasets = ask.publication.snapshot.datasets
    headers = (
        ask.t("door.dataset"),
        ask.t("web.agency"),
        ask.t("web.version"),
        ask.t("web.published_at"),
        ask.t("web.score"),
    )
    rows = tuple(
        (
            _title(ask, p),
            ask.pick(p.agency.title_fa, p.agency.title_en),
            ask.num(p.version.number),
            ask.when(p.version.created_at),
            score_label(ask, (p.report.get("score") or {}).get("total")),
        )
        for p in datasets
    )
    links = tuple(ask.href("/dataset", dataset=p.ref) for p in datasets)
    table = Table(ask.t("web.cat.nav"), headers, rows, links)
    description = ask.t("door.catalogue.description", count=ask.num(len(datasets)))
    return Page(
        lang=ask.lang,
        travel=ask.travel(
            f"{ask.t('web.cat.nav')} · {ask.t('door.site')}", description, "/dataset"
        ),
        heading=ask.t("web.cat.nav"),
        intro=ask.t("web.cat.intro"),
        sample=any(p.descriptor.get("sample") for p in datasets),
        figures=((ask.t("web.datasets"), ask.num(len(datasets))),),
        sections=(Section(ask.t("web.cat.nav"), table=table),),
    )


def _downloads(ask: Ask, published: Published) -> tuple[Download, ...]:
    v = published.version
    files = [
        Download(
            label=ask.t(
                "door.download_csv",
                name=ask.t(f"web.res.{e.name}")
                if e.name in ("projects", "indicators", "observations")
                else e.name,
            ),
            href=download_url(ask.base, published, e),
            version=ask.num(v.number),
            sha256=e.sha256,
            size=ask.t("door.bytes", size=e.bytes),
        )
        for e in v.resources
    ]
    return tuple(files)


def _revisions(ask: Ask, published: Published) -> Section:
    """Every version with its date and size, and what the newest ones revised, explained."""
    versions = ask.publication.versions.get(published.ref, ())
    revised = {r.number: r for r in ask.publication.revisions.get(published.ref, ())}
    rows = []
    for v in reversed(versions):
        found = revised.get(v.number)
        rows.append(
            (
                ask.num(v.number),
                ask.when(v.created_at),
                ask.t("door.rows", rows=ask.num(sum(r.rows or 0 for r in v.resources))),
                ask.num(found.changed_figures) if found else "-",
                ask.num(len(found.explanations)) if found else "-",
            )
        )
    headers = (
        ask.t("web.version"),
        ask.t("web.published_at"),
        ask.t("door.size"),
        ask.t("door.changed_figures"),
        ask.t("door.explained"),
    )
    paragraphs = [ask.t("door.revisions.summary", count=ask.num(len(versions)))]
    for revised_one in ask.publication.revisions.get(published.ref, ()):  # newest first
        for change in revised_one.explanations:
            reason = ask.pick(*_both(change.get("reason")))
            paragraphs.append(
                ask.t(
                    "door.explanation",
                    version=ask.num(revised_one.number),
                    change=said.explanation(change, ask.lang),
                    reason=reason,
                )
            )
    return Section(
        ask.t("door.revisions"),
        paragraphs=tuple(paragraphs),
        table=Table(ask.t("door.revisions"), headers, tuple(rows)),
    )


def _both(texts_of: object) -> tuple[str, str]:
    texts = texts_of if isinstance(texts_of, dict) else {}
    return str(texts.get("fa", "")), str(texts.get("en", ""))


def build_dataset(ask: Ask, ref: str) -> Page | None:
    published = ask.publication.find(ref)
    if published is None:
        return None
    d, v, report = published.descriptor, published.version, published.report
    title = _title(ask, published)
    description = ask.pick(d.get("description_fa"), d.get("description"))
    temporal = d.get("temporal") or {}
    licenses = ", ".join(str(item.get("name")) for item in d.get("licenses") or [])
    frequency = d.get("update_frequency")
    facts = (
        (ask.t("web.agency"), ask.pick(published.agency.title_fa, published.agency.title_en)),
        (ask.t("web.license"), licenses or "-"),
        (ask.t("web.frequency"), ask.maybe(f"web.cat.freq.{frequency}", str(frequency or "-"))),
        (
            ask.t("web.coverage"),
            ask.t(
                "h-citizen.span",
                start=ask.when(temporal.get("start")),
                end=ask.when(temporal.get("end")),
            ),
        ),
        (ask.t("web.contact"), str((d.get("contact") or {}).get("email", "-"))),
    )
    score = (report.get("score") or {}).get("total")
    figures = (
        (ask.t("web.version"), ask.num(v.number)),
        (ask.t("web.published_at"), ask.when(v.created_at)),
        (ask.t("web.score"), score_label(ask, score)),
        (
            ask.t("door.findings"),
            ask.t(
                "web.report_summary",
                errors=ask.num(report.get("errors", 0)),
                warnings=ask.num(report.get("warnings", 0)),
            ),
        ),
    )
    address = f"/dataset?dataset={ref}"
    json_ld = script_json(schema_org(ask.base, published))
    return Page(
        lang=ask.lang,
        travel=ask.travel(title, description[:300], address, kind="article", json_ld=json_ld),
        heading=title,
        intro=description,
        sample=bool(d.get("sample")),
        figures=figures,
        sections=(
            Section(ask.t("door.about_dataset"), facts=facts),
            Section(
                ask.t("door.downloads"),
                downloads=_downloads(ask, published),
                paragraphs=(ask.t("web.verify_text"),),
            ),
            _revisions(ask, published),
            Section(
                ask.t("web.agency"),
                links=(
                    Link(
                        ask.pick(published.agency.title_fa, published.agency.title_en),
                        ask.href("/agencies", agency=published.agency.slug),
                    ),
                ),
            ),
        ),
    )
