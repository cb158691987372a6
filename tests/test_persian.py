"""Persian text: digits, letters, search folding and Jalali dates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.persian import (
    jalali_to_iso,
    normalize,
    normalize_letters,
    to_latin_digits,
    to_persian_digits,
)
from portal.tables.search import matches


def test_digits_both_ways() -> None:
    assert to_persian_digits("IR-21 1403") == "IR-۲۱ ۱۴۰۳"
    assert to_latin_digits("۱۴۰۳ و ١٤٠٣") == "1403 و 1403"  # Persian and Arabic-Indic


def test_search_folds_spelling_but_letters_keep_zwnj() -> None:
    assert normalize("راه‌آهن  ميبد ۱۲") == normalize("راه آهن میبد 12")  # ZWNJ reads as a space
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


ZWNJ = "\u200c"
MARKS = "".join(chr(code) for code in range(0x064B, 0x0660)) + "\u0670\u0640"  # and tatweel
persian_words = st.text(alphabet="ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", min_size=1, max_size=8)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("پایانه فرودگاه", "توسعهٔ پایانهٔ فرودگاه اهواز"),
        ("راه آهن", "راه‌آهن"),
        ("راه‌آهن", "راه آهن"),
        ("كرمان", "کرمان"),
        ("علي", "علی"),
        ("مدرسة", "مدرسه"),
        ("مسئول", "مسیول"),
        ("۱۴۰۳", "1403"),
        ("١٤٠٣", "۱۴۰۳"),
        ("تهـــران", "تهران"),
        ("مُدرِسه", "مدرسه"),
        ("Tehran", "TEHRAN"),
    ],
)
def test_spellings_a_reader_types_match(typed: str, written: str) -> None:
    assert normalize(typed) in normalize(written)


@given(st.lists(persian_words, min_size=1, max_size=4))
def test_zwnj_reads_as_a_space(words: list[str]) -> None:
    assert normalize(ZWNJ.join(words)) == normalize(" ".join(words))


@given(persian_words, st.lists(st.sampled_from(MARKS), max_size=3))
def test_marks_and_tatweel_are_ignored(word: str, marks: list[str]) -> None:
    marked = word[:1] + "".join(marks) + word[1:]
    assert normalize(marked) == normalize(word)


@given(st.integers(min_value=0, max_value=10**12))
def test_persian_arabic_and_latin_digits_are_one(value: int) -> None:
    latin = str(value)
    persian = latin.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    arabic = latin.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert normalize(persian) == normalize(arabic) == latin


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize("typed", ["راه آهن", "راه‌آهن", "راهآهن", "راه اهن", "RAH"])
def test_a_word_with_or_without_zwnj_finds_it(typed: str) -> None:
    assert matches(typed, "توسعهٔ راه‌آهن یزد (rah)")  # Latin casefolded too


def test_every_word_must_occur() -> None:
    assert matches("پایانه اهواز", "توسعهٔ پایانهٔ فرودگاه اهواز")
    assert not matches("پایانه یزد", "توسعهٔ پایانهٔ فرودگاه اهواز")
