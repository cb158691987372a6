"""A dataset: metadata, quality, the full report, a preview, every download, and revisions."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import streamlit as st

from portal.i18n import catalog
from portal.store.records import Version
from portal.tables.revisions import versions_compared
from portal.trust import said
from portal.web import data
from portal.web.components import score_badge
from portal.web.feedback_ui import ask_form, public_record
from portal.web.navigation import page_link
from portal.web.normalisation_ui import normalisation
from portal.web.not_found import named, not_found
from portal.web.project_cards import plain_cards
from portal.web.release_ui import signatures
from portal.web.structured_data import base_url, structured_data
from portal.web.trust_ui import explanations_panel, feed_links, signals_panel, with_reasons
from portal.web.ui import (
    choice_key,
    choose_one,
    code_label,
    current_language,
    num,
    one_of,
    pick,
    safe,
    sep,
    span,
    t,
    translate_codes,
    when,
)
from portal.web.views import catalogue


def resource_title(name: str) -> str:
    """A profiled resource by its name in the page's language; another by its own name."""
    key = f"web.res.{name}"
    return t(key) if key in catalog(current_language()) else name


def _frequency(code: object) -> str:
    return code_label("web.cat.freq.", code) if code else "-"


def _metadata(descriptor: dict[str, Any], version: Version, report: dict[str, Any]) -> None:
    st.title(safe(pick(descriptor.get("title_fa"), descriptor.get("title"))))
    if descriptor.get("sample"):
        st.warning(t("web.sample_notice"))
    st.write(safe(pick(descriptor.get("description_fa"), descriptor.get("description"))))
    score = (report.get("score") or {}).get("total")
    st.markdown(
        f"**{score_badge(score)}**{sep()}{t('web.version')} {num(version.number)}{sep()}"
        f"{t('web.published_at')}: {when(version.created_at)}"
    )
    licenses = ", ".join(str(item.get("name")) for item in descriptor.get("licenses") or [])
    temporal = descriptor.get("temporal") or {}
    facts = [
        (t("web.license"), licenses or "-"),
        (t("web.frequency"), _frequency(descriptor.get("update_frequency"))),
        (t("web.coverage"), span(temporal.get("start"), temporal.get("end"))),
        (t("web.contact"), str((descriptor.get("contact") or {}).get("email", "-"))),
    ]
    st.markdown("\n".join(f"- {label}: {safe(value)}" for label, value in facts))


def _report(report: dict[str, Any]) -> None:
    st.subheader(t("web.validation_report"))
    st.caption(
        t(
            "web.report_summary",
            errors=num(report.get("errors", 0)),
            warnings=num(report.get("warnings", 0)),
        )
    )
    findings = report.get("findings", [])
    if findings:
        counts = Counter((f["code"], f["severity"]) for f in findings)
        rows = [
            {t("web.code"): c, t("web.severity"): t(f"web.severity.{s}"), t("web.count"): num(n)}
            for (c, s), n in counts.most_common()
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True)
        lang = "fa" if pick("fa", "en") == "fa" else "en"
        for finding in findings[:100]:
            st.text(finding["message"][lang])
    completeness = report.get("completeness") or {}
    for resource, shares in completeness.items():
        frame = pd.DataFrame(
            {
                t("web.field"): list(shares),
                t("web.filled"): [num(round(100 * v)) for v in shares.values()],
            }
        )
        with st.expander(t("web.completeness", resource=resource_title(resource))):
            st.dataframe(frame, hide_index=True)
    components = (report.get("score") or {}).get("components") or {}
    if components:
        table = [
            {
                t("web.dimension"): t("web.dim." + name),
                t("web.points_earned"): num(c["points"]),  # the page's digits
                t("web.points_max"): num(c["max"]),
            }
            for name, c in components.items()
        ]
        st.dataframe(pd.DataFrame(table), hide_index=True)


def _downloads(agency: str, dataset: str, versions: list[Version]) -> None:
    st.subheader(t("web.downloads"))
    for version in reversed(versions):
        st.markdown(
            f"**{t('web.version')} {num(version.number)}**{sep()}{when(version.created_at)}"
        )
        base = f"/download/{agency}/{dataset}/{version.number}"
        for resource in version.resources:
            url = f"{base}/{resource.name}.csv"
            st.markdown(
                f"- [{safe(resource.name)}.csv]({url})"
                f"{sep()}{t('web.rows')}: {num(resource.rows or 0)}"
                f"{sep()}{t('web.other_formats')}: [{t('web.csv_for_excel')}]({url}?bom=1){sep()}"
                f"[XLSX]({base}/{resource.name}.xlsx){sep()}[JSON]({base}/{resource.name}.json)"
            )
            st.code(f"sha256 {resource.sha256}", language=None)
        st.markdown(f"- [package.zip]({base}/package.zip)")
    api = f"/api/3/action/package_show?id={agency}/{dataset}"
    st.caption(
        f"{t('web.machine_readable')}: [package_show]({api}){sep()}"
        f"[DCAT-AP]({f'/catalog/{agency}/{dataset}.jsonld'}){sep()}[catalog.jsonld](/catalog.jsonld)"
    )


def _linked(numbers: list[int], param: str, default: int) -> int:
    """The position of a version named in the address (an answer links to its correction)."""
    wanted = st.query_params.get(param, "")
    return numbers.index(int(wanted)) if wanted.isdigit() and int(wanted) in numbers else default


def _unknown_versions(numbers: list[int]) -> None:
    """A version the address names that the dataset does not have is said so (the
    comparison then shows the defaults)."""
    for param in ("rev_from", "rev_to"):
        wanted = st.query_params.get(param, "")
        if wanted and not (wanted.isdigit() and int(wanted) in numbers):
            listed = t("h-citizen.or").join(num(n) for n in numbers)
            st.warning(t("h-citizen.version_not_found", version=named(wanted), versions=listed))


def _revisions(versions: list[Version], agency: str, dataset: str) -> None:
    st.subheader(t("web.revisions"))
    _unknown_versions([v.number for v in versions])
    if len(versions) < 2:
        st.caption(t("web.single_version"))
        return
    numbers = [v.number for v in versions]
    left, right = st.columns(2)
    old = left.selectbox(
        t("web.from_version"),
        numbers,
        index=_linked(numbers, "rev_from", len(numbers) - 2),
        format_func=num,
        key=choice_key("rev_old", one_of(numbers)),
        placeholder=choose_one(),
    )
    new = right.selectbox(
        t("web.to_version"),
        numbers,
        index=_linked(numbers, "rev_to", len(numbers) - 1),
        format_func=num,
        key=choice_key("rev_new", one_of(numbers)),
        placeholder=choose_one(),
    )
    _revision(data.generation(), current_language(), agency, dataset, old, new)


@data.per_item
def _revision(
    stamp: tuple[int, int], lang: str, agency: str, dataset: str, old: int, new: int
) -> None:
    """What changed between two versions, compared and drawn once per pair and language."""
    versions = data.versions(agency, dataset)
    before = next(v for v in versions if v.number == old)
    after = next(v for v in versions if v.number == new)
    specs = {
        str(r.get("name")): r
        for r in data.object_json(after.descriptor_sha256).get("resources", [])
    }
    revisions = versions_compared(before, after, specs, data.object_table)  # the one diff
    for resource in after.resources:
        if before.resource(resource.name) is None:
            continue
        revision = revisions.get(resource.name)
        if revision is None:
            st.caption(t("web.unchanged", resource=resource_title(resource.name)))
            continue
        figures = revision.figures
        st.markdown(
            t(
                "h-citizen.revision_summary",
                resource=resource_title(resource.name),
                added=t("h-citizen.rows_added", count=len(revision.added)),
                removed=t("h-citizen.rows_removed", count=len(revision.removed)),
                changed=t("h-citizen.figures_changed", count=len(figures)),
            )
        )
        if figures:
            cells = pd.DataFrame(with_reasons(figures, after, before))
            cells["kind"] = translate_codes(cells["kind"], "web.rev.kind.")
            for side in ("old", "new"):
                cells[side] = [
                    said.value(f, v, lang) for f, v in zip(cells["field"], cells[side], strict=True)
                ]
            cells["field"] = [said.label(f, lang) for f in cells["field"]]
            shown = [c for c in ("key", "field", "kind", "old", "new", "why") if c in cells]
            with st.container(key=f"gw_narrow_rev_{resource.name}"):  # a phone: cards
                plain_cards(
                    [
                        (
                            str(row.key),
                            [
                                t("h-citizen.change", field=row.field, old=row.old, new=row.new),
                                str(row.kind),
                                *(
                                    [f"{t('web.trust.reason')}: {row.why}"]
                                    if getattr(row, "why", "")
                                    else []
                                ),
                            ],
                        )
                        for row in cells.itertuples()
                    ]
                )
            with st.container(key=f"gw_wide_rev_{resource.name}"):
                st.dataframe(
                    cells[shown].rename(
                        columns={
                            "key": t("web.row_key"),
                            "field": t("web.field"),
                            "kind": t("web.rev.kind"),
                            "old": t("web.old"),
                            "new": t("web.new"),
                            "why": t("web.trust.reason"),
                        }
                    ),
                    hide_index=True,
                )
        if not revision.added.empty:
            with st.expander(t("web.added_rows")):
                st.dataframe(revision.added, hide_index=True)
        if not revision.removed.empty:
            with st.expander(t("web.removed_rows")):
                st.dataframe(revision.removed, hide_index=True)
    explanations_panel(after, before)


@data.per_item
def _published(stamp: tuple[int, int], lang: str, agency: str, dataset: str) -> None:
    """What the latest version says (metadata, previews, changes on the way in, the
    report, signals), drawn once per publication, language and dataset."""
    latest = data.versions(agency, dataset)[-1]
    descriptor = data.object_json(latest.descriptor_sha256)
    report = data.object_json(latest.report_sha256)
    _metadata(descriptor, latest, report)
    signatures(latest.log_seq)
    page_link("agencies", t("web.agency_page"), agency=agency)
    for resource in latest.resources:
        with st.expander(t("web.preview", resource=resource_title(resource.name))):
            st.dataframe(data.object_table(resource.sha256).head(50), hide_index=True)
    normalisation(latest)
    _report(report)
    signals_panel(latest)


@data.per_item
def _files(stamp: tuple[int, int], lang: str, agency: str, dataset: str) -> None:
    """Every version's downloads and the feeds, drawn once per publication and language."""
    _downloads(agency, dataset, data.versions(agency, dataset))
    feed_links(agency, dataset)


def render() -> None:
    reference = st.query_params.get("dataset", "")
    if not reference:  # the page without a dataset named is the catalogue
        catalogue.render()
        return
    agency, _, dataset = reference.partition("/")
    versions = data.versions(agency, dataset)
    if not versions:
        not_found(
            "h-citizen.dataset_not_found", "dataset", "h-citizen.back_catalogue", ref=reference
        )
        return
    latest = versions[-1]
    stamp, lang = data.generation(), current_language()
    _published(stamp, lang, agency, dataset)
    structured_data(stamp, agency, dataset, base_url())
    ask_form("dataset", reference, version=latest.number)
    public_record(reference)
    _files(stamp, lang, agency, dataset)
    _revisions(versions, agency, dataset)
