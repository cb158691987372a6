"""A citation's date is the day it was published in Iran, in both languages."""

from __future__ import annotations

from dataclasses import replace

from portal.api.citations import Figure


def _figure(published: str) -> Figure:
    return Figure(
        agency="mrud-yazd",
        agency_fa="ادارهٔ کل راه و شهرسازی استان یزد",
        agency_en="Roads and Urban Development General Office, Yazd Province",
        dataset="infrastructure-projects",
        title_fa="طرح‌های عمرانی",
        title_en="Projects",
        version=2,
        latest=False,
        published=published,
        resource="projects",
        row=1,
        field="budget_irr",
        label_fa="اعتبار (ریال)",
        label_en="Budget (rials)",
        value=1084000000000,
        value_name_fa="",
        value_name_en="",
        sha256="d" * 64,
        licence="Creative Commons Attribution 4.0",
        sample=True,
    )


def test_a_late_evening_publication_is_cited_with_tehrans_day() -> None:
    """21:30 UTC on 4 December is 01:00 on 5 December (۱۴ آذر ۱۴۰۵) in Tehran: the citation
    said 4 December (۱۳ آذر), a day before anyone in Iran could read the figure."""
    late = _figure("2026-12-04T21:30:00+00:00")
    assert "published 2026-12-05." in late.citation("en", "https://portal.example")
    assert "منتشرشده در ۱۴۰۵/۰۹/۱۴." in late.citation("fa", "https://portal.example")
    morning = _figure("2026-12-04T06:00:00+00:00")  # 09:30 in Tehran: the same day
    assert "published 2026-12-04." in morning.citation("en", "https://portal.example")
    assert "منتشرشده در ۱۴۰۵/۰۹/۱۳." in morning.citation("fa", "https://portal.example")


def test_a_date_figure_reads_jalali_in_the_persian_citation() -> None:
    """Persian shows Jalali dates in Persian digits: a start date was cited as «2020-05-22»
    in the Persian sentence (the English one keeps the date as published)."""
    started = replace(_figure("2026-12-04T06:00:00+00:00"), value="2020-05-22", kind="date")
    assert "Budget (rials): 2020-05-22." in started.citation("en", "https://portal.example")
    assert "اعتبار (ریال): ۱۳۹۹/۰۳/۰۲." in started.citation("fa", "https://portal.example")
    assert started.shown("fa") == "۱۳۹۹/۰۳/۰۲" and started.shown("en") == "2020-05-22"
    assert replace(started, value=None).shown("fa") == "—"
