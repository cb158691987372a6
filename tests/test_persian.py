"""The one search normaliser: what a Persian reader types finds what an agency wrote."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.persian import normalize

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
