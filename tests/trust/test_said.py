"""One way to say a change: labels, units, digits, Jalali dates, words not arrows."""

from __future__ import annotations

from types import SimpleNamespace

from portal.trust import said


def test_a_budget_change_reads_in_units_with_the_pages_digits() -> None:
    fa = said.change("budget_irr", "796000000000", "850000000000", "fa")
    en = said.change("budget_irr", "796000000000", "850000000000", "en")
    assert fa == "اعتبار: از ۷۹۶ میلیارد ریال به ۸۵۰ میلیارد ریال"
    assert en == "Budget: 796 billion rials → 850 billion rials"
    assert "→" not in fa and "796" not in fa


def test_dates_are_jalali_on_persian_pages_and_codes_are_words() -> None:
    assert said.value("planned_end_date", "2024-01-04", "fa") == "۱۴۰۲/۱۰/۱۴"
    assert said.value("planned_end_date", "2024-01-04", "en") == "2024-01-04 (1402/10/14)"
    assert said.value("status", "implementation", "fa") == "در حال اجرا"
    assert said.value("physical_progress_pct", "40.5", "fa") == "۴۰٫۵٪"
    assert said.value("spent_irr", "22093450", "en") == "22 million rials"
    assert said.value("spent_irr", "", "fa") == "-"


def test_only_figures_count_not_the_bookkeeping_date() -> None:
    assert said.is_figure("budget_irr") and not said.is_figure("updated")


def test_an_explained_change_is_said_from_its_values_not_its_raw_message() -> None:
    stored = {
        "field": "budget_irr",
        "key": "mrud-khuzestan-0001",
        "project": "mrud-khuzestan-0001",
        "old": "796000000000",
        "new": "850000000000",
        "message": {"fa": "اعتبار طرح mrud-khuzestan-0001 از 796000000000 به 850000000000 ریال"},
    }
    assert said.explanation(stored, "fa") == (
        "اعتبار: از ۷۹۶ میلیارد ریال به ۸۵۰ میلیارد ریال — \u2068mrud-khuzestan-0001\u2069"
    )
    removed = {"field": "id", "key": "p-1", "message": {"fa": "حذف شد", "en": "removed"}}
    assert said.explanation(removed, "en") == "removed"
    assert said.explanation({"message": {"fa": "فقط فارسی"}}, "en") == "فقط فارسی"


def test_a_comparison_spans_every_version_in_between() -> None:
    versions = [SimpleNamespace(number=n) for n in (1, 2, 3, 4)]
    assert [v.number for v in said.between(versions, 1, 3)] == [2, 3]
    assert [v.number for v in said.between(versions, 4, 1)] == [2, 3, 4]
