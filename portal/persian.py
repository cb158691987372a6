"""Persian text helpers: digits and the spellings that make the same word look different."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import jdatetime

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


# How a Persian reader searches: one spelling per letter, no marks, ZWNJ as a space.
# Hamza, ezafe and diacritics sit on a letter as combining marks (U+064B..U+065F, U+0670)
# or are precomposed with it; both forms fold to the bare letter.
SEARCH_FOLDS: dict[str, str] = {
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ہ": "ه",
    "آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و", "ء": "", "\u0640": "",  # tatweel
    "\u200c": " ", "\u200d": "", "\u200f": "", "\u200e": "", "\u00a0": " ",
    "٫": ".", "٬": ",",
    **{chr(code): "" for code in range(0x064B, 0x0660)},  # harakat, hamza above/below
    "\u0670": "",  # superscript alef
    **dict(zip(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2, strict=True)),
}  # fmt: skip
_SEARCH = str.maketrans(SEARCH_FOLDS)


def fold(text: str) -> str:
    """`normalize` without folding the spaces: the per-character part, which the
    vectorised matcher (`portal.tables.search.fold_column`) repeats column-wise."""
    return text.translate(_SEARCH).casefold()


def normalize(text: str) -> str:
    """The one search form, used by the pages, the API's `q` and download filters.

    Spelling-insensitive: Persian ی/ک for Arabic ي/ك, ه for ة, no hamza, ezafe,
    tatweel or diacritics, Latin digits, ZWNJ read as a space, spaces folded, casefolded.
    """
    return " ".join(fold(text).split())


# Between a text's two spellings in `searchable`: whitespace, so no query word spans it.
SPELLINGS_APART = "\n"


def searchable(text: str) -> str:
    """The text a search looks in: `normalize`d, plus its spelling without ZWNJ when it had
    one, so «راه آهن», «راه‌آهن» and «راهآهن» all find «راه‌آهن». A query is `normalize`d
    and each of its words must occur here (the matcher is `portal.tables.search`)."""
    folded = normalize(text)
    joined = normalize(text.replace("\u200c", ""))
    return folded if joined == folded else f"{folded}{SPELLINGS_APART}{joined}"


JALALI_MONTHS = {
    "فروردین": 1,
    "اردیبهشت": 2,
    "خرداد": 3,
    "تیر": 4,
    "مرداد": 5,
    "شهریور": 6,
    "مهر": 7,
    "آبان": 8,
    "آذر": 9,
    "دی": 10,
    "بهمن": 11,
    "اسفند": 12,
}
_NUMERIC_JALALI = re.compile(r"^\s*(1[34]\d\d)\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")
_WORDED_JALALI = re.compile(r"^\s*(\d{1,2})\s+(\S+)\s+(1[34]\d\d)\s*$")


@lru_cache(maxsize=65536)  # a table repeats its dates: 16k Jalali cells are a few hundred dates
def jalali_to_iso(text: str) -> str | None:
    """`1402/05/17`, `۱۴۰۲-۰۵-۱۷` or `۱۵ آذر ۱۴۰۰` -> the Gregorian ISO date; None otherwise."""
    clean = normalize_letters(to_latin_digits(text))
    match = _NUMERIC_JALALI.match(clean)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        worded = _WORDED_JALALI.match(clean)
        if not worded or worded.group(2) not in JALALI_MONTHS:
            return None
        day, month, year = (
            int(worded.group(1)),
            JALALI_MONTHS[worded.group(2)],
            int(worded.group(3)),
        )
    try:
        import jdatetime  # (and greenlet): loaded by the first Jalali date, not by `--help`

        gregorian: date = jdatetime.date(year, month, day).togregorian()  # jdatetime is untyped
        return gregorian.isoformat()
    except ValueError:
        return None


def iso_to_jalali(day: date) -> str:
    """`day` as the Jalali `1403/08/01` a Persian reader expects (Latin digits)."""
    return str(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"))


def normalize_letters(text: str) -> str:
    """Arabic ي/ك/ى -> Persian ی/ک, keeping everything else as typed."""
    return text.translate(_ARABIC_LETTERS)


_LABEL_NOISE = re.compile(r"[^\w\s]|_", re.UNICODE)
_MARKS = str.maketrans(
    {
        "\u0640": None,
        "\u064b": None,
        "\u064c": None,
        "\u064d": None,
        "\u064e": None,
        "\u064f": None,
        "\u0650": None,
        "\u0651": None,
        "\u0652": None,
        "\u0654": None,
        "\u0670": None,
        "ة": "ه",
        "ۀ": "ه",
    }
)


def fold_label(text: str) -> str:
    """A column header or codelist label folded for matching: spelling, ZWNJ, case,
    punctuation and spacing do not count (`اعتبار(ريال)` matches `اعتبار (ریال)`)."""
    text = to_latin_digits(text.translate(_ARABIC_LETTERS).translate(_MARKS))
    text = _LABEL_NOISE.sub(" ", text.replace("\u200c", " ").replace("\u200f", ""))
    return "".join(text.split()).casefold()


# Jalali periods as a reader says them: `1404-09` is «آذر ۱۴۰۴» or "Azar 1404".
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
