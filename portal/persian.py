"""Persian text helpers: digits and the spellings that make the same word look different."""

from __future__ import annotations

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)
# Arabic yeh/kaf and alef maksura are typed by Arabic keyboard layouts for Persian ی/ک.
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})


def to_persian_digits(text: str) -> str:
    """Latin digits -> Persian digits, for text shown in Persian."""
    return text.translate(_TO_PERSIAN)


def to_latin_digits(text: str) -> str:
    """Persian and Arabic-Indic digits -> Latin digits."""
    return text.translate(_TO_LATIN)


def normalize(text: str) -> str:
    """Spelling-insensitive form for matching: Persian ی/ک, Latin digits, no ZWNJ, folded spaces."""
    text = to_latin_digits(text.translate(_ARABIC_LETTERS)).replace("\u200c", "")
    return " ".join(text.split()).casefold()
