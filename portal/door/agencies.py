"""Agencies, and one agency: its datasets with scores and its publication history."""

from __future__ import annotations

from portal.door.context import Ask
from portal.door.datasets import score_label
from portal.door.home import latest_links
from portal.door.models import Page, Section, Table


def build_agencies(ask: Ask) -> Page:
    snapshot = ask.publication.snapshot
    publishing = [
        a
        for a in sorted(snapshot.agencies.values(), key=lambda a: a.slug)
        if snapshot.of_agency(a.slug)
    ]
    headers = (ask.t("web.agency"), ask.t("web.datasets"), ask.t("web.score"))
    rows = []
    for agency in publishing:
        own = snapshot.of_agency(agency.slug)
        scores = [s for p in own if (s := (p.report.get("score") or {}).get("total")) is not None]
        mean = sum(scores) / len(scores) if scores else None
        rows.append(
            (ask.pick(agency.title_fa, agency.title_en), ask.num(len(own)), score_label(ask, mean))
        )
    links = tuple(ask.href("/agencies", agency=a.slug) for a in publishing)
    description = ask.t("door.agencies.description", count=ask.num(len(publishing)))
    return Page(
        lang=ask.lang,
        travel=ask.travel(
            f"{ask.t('web.agencies')} · {ask.t('door.site')}", description, "/agencies"
        ),
        heading=ask.t("web.agencies"),
        intro=description,
        figures=((ask.t("web.agencies"), ask.num(len(publishing))),),
        sections=(
            Section(
                ask.t("web.agencies"),
                table=Table(ask.t("web.agencies"), headers, tuple(rows), links),
            ),
        ),
    )


def build_agency(ask: Ask, slug: str) -> Page | None:
    snapshot = ask.publication.snapshot
    agency = snapshot.agencies.get(slug)
    own = snapshot.of_agency(slug)
    if agency is None or not own:
        return None
    name = ask.pick(agency.title_fa, agency.title_en)
    headers = (
        ask.t("door.dataset"),
        ask.t("web.version"),
        ask.t("web.published_at"),
        ask.t("web.score"),
    )
    rows = tuple(
        (
            ask.pick(p.descriptor.get("title_fa"), p.descriptor.get("title")),
            ask.num(p.version.number),
            ask.when(p.version.created_at),
            score_label(ask, (p.report.get("score") or {}).get("total")),
        )
        for p in own
    )
    links = tuple(ask.href("/dataset", dataset=p.ref) for p in own)
    description = ask.t("door.agency.description", name=name, count=ask.num(len(own)))
    return Page(
        lang=ask.lang,
        travel=ask.travel(name, description, f"/agencies?agency={slug}"),
        heading=name,
        intro=description,
        sample=any(p.descriptor.get("sample") for p in own),
        figures=((ask.t("web.datasets"), ask.num(len(own))),),
        sections=(
            Section(
                ask.t("web.datasets"), table=Table(ask.t("web.datasets"), headers, rows, links)
            ),
            Section(ask.t("web.history"), links=latest_links(ask, 50, slug)),
        ),
    )
