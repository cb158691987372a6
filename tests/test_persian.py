"""Persian text: digits, letters, search folding and Jalali dates."""

from __future__ import annotations

import pytest

from portal.persian import (
    jalali_to_iso,
    normalize,
    normalize_letters,
    to_latin_digits,
    to_persian_digits,
)


def test_digits_both_ways() -> None:
    assert to_persian_digits("IR-21 1403") == "IR-۲۱ ۱۴۰۳"
    assert to_latin_digits("۱۴۰۳ و ١٤٠٣") == "1403 و 1403"  # Persian and Arabic-Indic


def test_search_folds_spelling_but_letters_keep_zwnj() -> None:
    assert normalize("راه‌آهن  ميبد ۱۲") == normalize("راهآهن میبد 12")
    assert normalize_letters("ميبد كرمان") == "میبد کرمان"
    assert "\u200c" in normalize_letters("راه‌آهن")


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("1402/05/17", "2023-08-08"),
        ("۱۴۰۲-۰۵-۱۷", "2023-08-08"),
        ("۱۵ آذر ۱۴۰۰", "2021-12-06"),
        ("1403/12/30", "2025-03-20"),  # 1403 is a leap year
        ("1402/12/30", None),  # 1402 is not
        ("۱۵ آدر ۱۴۰۰", None),  # not a month
        ("2023-08-08", None),  # already Gregorian: not ours to convert
    ],
)
def test_jalali_dates(typed: str, iso: str | None) -> None:
    assert jalali_to_iso(typed) == iso
