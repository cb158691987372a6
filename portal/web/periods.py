"""Jalali periods as a reader says them: `1404-09` is «آذر ۱۴۰۴» or "Azar 1404"."""

from __future__ import annotations

from portal.persian import JALALI_MONTHS, to_persian_digits

MONTHS_FA = list(JALALI_MONTHS)
MONTHS_EN = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
]


def period_label(period: str, lang: str) -> str:
    """A year (`1400`) or year-month (`1400-09`) in words; anything else as given."""
    year, _, month = str(period).partition("-")
    if not year.isdigit() or (month and not (month.isdigit() and 1 <= int(month) <= 12)):
        return str(period)
    if lang == "fa":
        return to_persian_digits(f"{MONTHS_FA[int(month) - 1]} {year}" if month else year)
    return f"{MONTHS_EN[int(month) - 1]} {year}" if month else year
