"""Indicators: each series with its unit and its latest national (or province) value."""

from __future__ import annotations

from portal.door.context import Ask
from portal.door.models import Page, Section, Table
from portal.i18n import catalog
from portal.persian import to_persian_digits


def _unit(ask: Ask, unit: str) -> str:
    key = f"web.chart.unit.{unit}"
    return ask.t(key) if key in catalog(ask.lang) else unit


def build_indicators(ask: Ask) -> Page:
    observations = ask.publication.observations
    rows = []
    if not observations.empty:
        for (agency, indicator), group in observations.groupby(
            ["agency", "indicator_id"], sort=True
        ):
            latest = group[group["period"] == group["period"].max()]
            total = latest[latest["province"] == "IR"]
            value = total["value"].sum() if len(total) else latest["value"].sum()
            first = group.iloc[0]
            rows.append(
                (
                    ask.pick(first.get("name_fa"), first.get("name_en")) or str(indicator),
                    ask.pick(*_agency_names(ask, str(agency))),
                    _unit(ask, str(first.get("unit") or "")),
                    _period(ask, str(group["period"].max())),
                    ask.num(round(float(value), 2)),
                )
            )
    headers = (
        ask.t("web.indicator"),
        ask.t("web.agency"),
        ask.t("door.unit"),
        ask.t("web.chart.period"),
        ask.t("door.latest_value"),
    )
    description = ask.t("door.indicators.description", count=ask.num(len(rows)))
    return Page(
        lang=ask.lang,
        travel=ask.travel(
            f"{ask.t('web.indicators')} · {ask.t('door.site')}", description, "/indicators"
        ),
        heading=ask.t("web.indicators"),
        intro=description,
        sample=any(p.descriptor.get("sample") for p in ask.publication.snapshot.datasets),
        figures=((ask.t("web.indicators"), ask.num(len(rows))),),
        sections=(
            Section(
                ask.t("web.indicators"), table=Table(ask.t("web.indicators"), headers, tuple(rows))
            ),
        ),
    )


def _period(ask: Ask, period: str) -> str:
    """A Jalali period (1403 or 1403-07) in the page's digits."""
    return to_persian_digits(period) if ask.lang == "fa" else period


def _agency_names(ask: Ask, slug: str) -> tuple[str, str]:
    agency = ask.publication.snapshot.agencies.get(slug)
    return (agency.title_fa, agency.title_en) if agency else (slug, slug)
