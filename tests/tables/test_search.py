"""The one matcher: a province, county or agency name finds rows on the projects page, in
the DataStore's `q`, the catalogue and package_search alike (issue 22, item 3)."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.persian import fold, normalize, searchable
from portal.tables.search import (
    ARROW_FOLDS,
    fold_column,
    found,
    haystacks,
    matches,
    query_words,
    row_mask,
    row_text,
    searchable_column,
    unsearchable,
)


def variants(name: str) -> list[str]:
    """Spellings the normaliser folds: Arabic ي/ك, ZWNJ dropped or as a space, upper case."""
    arabic = name.replace("ی", "ي").replace("ک", "ك")
    return [name, arabic, name.replace("\u200c", ""), name.replace("\u200c", " "), name.upper()]


def test_a_province_code_is_found_by_its_names_in_both_languages() -> None:
    table = pa.table({"id": ["a", "b"], "province": ["IR-06", "IR-21"], "county": ["اهواز", ""]})
    text = row_text(table)
    for query in ("خوزستان", "Khuzestan", "khuzestan", "خوزستان اهواز", "IR-06"):
        assert row_mask(text, query).to_pylist() == [True, False], query
    assert row_mask(text, "یزد").to_pylist() == [False, True]
    assert row_mask(text, "") is None


def test_every_word_of_the_agency_holds_for_every_row() -> None:
    text = row_text(pa.table({"id": ["a", "b"], "province": ["IR-06", "IR-21"]}))
    agency = "mrud-khuzestan اداره کل راه و شهرسازی خوزستان"
    assert row_mask(text, "شهرسازی", everywhere=agency).to_pylist() == [True, True]
    assert row_mask(text, "شهرسازي یزد", everywhere=agency).to_pylist() == [False, True]


# Letters a Persian text is typed with, their Arabic look-alikes, marks, ZWNJ and ZWJ,
# Persian, Arabic and Latin digits, Latin letters (with ß and İ, whose case folding Arrow
# does not know) and spaces.
PERSIAN_TYPED = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی" "يكىئةۀأإآؤء" "\u064b\u064e\u0650\u0651\u0654\u0670\u0640"
    "\u200c\u200d\u00a0" "۰۱۲۳۴۵۶۷۸۹٠١٢٣0123456789٫٬" "abcRAHßİΣς" "  .-|()"
)  # fmt: skip
persian_text = st.text(alphabet=PERSIAN_TYPED, max_size=40)


@given(persian_text)
@settings(max_examples=300, deadline=None)
def test_the_column_folds_every_text_as_the_normaliser_does(text: str) -> None:
    folded = fold_column(pa.array([text]))[0].as_py()
    assert " ".join(folded.split()) == normalize(text)
    together = searchable_column(pa.array([text]))[0].as_py()
    assert set(together.split()) == set(searchable(text).split())


@given(persian_text, st.lists(persian_text, max_size=3), st.data())
@settings(max_examples=300, deadline=None)
def test_the_matcher_agrees_with_the_normaliser(text: str, others: list[str], data) -> None:
    """A query (words of the text, retyped in another spelling, or anything) finds the
    text exactly when each of its normalised words occurs in the normalised text."""
    words = text.split() + [w for o in others for w in o.split()]
    chosen = data.draw(st.lists(st.sampled_from(words), max_size=3)) if words else []
    retyped = [w.replace("ی", "ي").replace("\u200c", "").upper() for w in chosen]
    for query in (" ".join(chosen), " ".join(retyped), " ".join(others)):
        words = query_words(query)
        # no word to look for: everything when nothing was typed, else nothing
        expected = all(w in searchable(text) for w in words) if words else not query.strip()
        assert matches(query, text) is expected, (query, text)
        assert found(haystacks([text, "—"]), query)[0] == expected


def test_arrow_lowers_every_character_it_is_trusted_with_as_python_folds_it() -> None:
    """Each character of ARROW_FOLDS: Arrow's lower case after the folds is Python's
    `casefold` (a new Arrow or Python with other Unicode tables would fail here)."""
    chars = [chr(c) for low, high in ARROW_FOLDS for c in range(low, high + 1)]
    folded = fold_column(pa.array(chars)).to_pylist()
    assert [c for c, f in zip(chars, folded, strict=True) if f != fold(c)] == []


def test_what_arrow_cannot_fold_is_folded_by_the_normaliser() -> None:
    texts = ["Straße", "İstanbul", "ΣΟΦΙΑ", "راه‌آهن", ""]
    assert fold_column(pa.array(texts)).to_pylist() == [fold(t) for t in texts]
    assert matches("STRASSE", "Straße") and matches("σοφια", "ΣΟΦΙΑ")


def test_the_seam_between_two_spellings_is_no_word() -> None:
    """`|` joined a text's two spellings: the query «|» found every row through `q`."""
    text = row_text(pa.table({"title": ["راه‌آهن", "جاده"]}))
    assert row_mask(text, "|").to_pylist() == [False, False]
    assert not matches("|", "راه‌آهن | جاده") and not matches("|", "راه‌آهن")


def test_quotes_and_and_are_query_syntax_not_words() -> None:
    assert query_words('"راه آهن" AND یزد') == ["راه", "اهن", "یزد"]
    assert matches('"Khuzestan" AND ahvaz', "Ahvaz, Khuzestan")


# What a query can hold that is no letter or digit: punctuation (Latin, Persian, Arabic),
# symbols, quotes, tatweel, diacritics and hamza marks, ZWNJ/ZWJ, spaces.
NO_LETTER = (
    ".,;:!?-_—–()[]{}<>/\\|@#$%^&*~`'\"+=" "،؛؟«»٪٫٬ـ" "\u064b\u064e\u0650\u0651\u0654\u0670ء"
    "\u200c\u200d\u00a0 \t"
)  # fmt: skip
no_letter = st.text(alphabet=NO_LETTER, min_size=1, max_size=12)
ROWS = ["راه‌آهن تهران - قم ...", "جادهٔ یزد، اردکان", "Khuzestan --- IR-06 | «سد»", ""]


@given(no_letter)
@settings(max_examples=300, deadline=None)
def test_a_query_with_no_letter_or_digit_finds_nothing(query: str) -> None:
    """`q=...`, `q=،،`, `q=---` found every row (issue: walking the portal as a journalist):
    typed, but nothing to look for, is no hit; only a query with nothing typed (or only
    spaces, as a cleared search box sends) is no search."""
    text = row_text(pa.table({"title": ROWS}))
    if query.strip():
        assert unsearchable(query) and query_words(query) == []
        assert row_mask(text, query).to_pylist() == [False] * len(ROWS)
        assert row_mask(text, query, everywhere="mrud-yazd راه").to_pylist() == [False] * 4
        assert not found(haystacks(ROWS), query).any()
        assert not any(matches(query, row) for row in ROWS)
    else:
        assert not unsearchable(query) and row_mask(text, query) is None
        assert found(haystacks(ROWS), query).all()


@given(no_letter, st.sampled_from(["راه آهن", "یزد", "khuzestan", "IR-06", "قم"]))
@settings(max_examples=200, deadline=None)
def test_punctuation_beside_words_changes_nothing(noise: str, words: str) -> None:
    """«تهران - قم» looks for «تهران» and «قم»; the dash is no word every hit must hold."""
    text = row_text(pa.table({"title": ROWS}))
    alone = row_mask(text, words).to_pylist()
    assert row_mask(text, f"{noise} {words} {noise}").to_pylist() == alone
    assert not unsearchable(f"{noise} {words}")


def test_the_queries_people_typed() -> None:
    for query in ("...", "،،", "---", "ـ", "؟", '""', "«»", "AND", "+", "- -", "\u064e"):
        assert unsearchable(query), query
        assert not found(haystacks(ROWS), query).any(), query
    for query in ("", " ", "  \t"):
        assert not unsearchable(query) and found(haystacks(ROWS), query).all()
    assert query_words("تهران - قم ...") == ["تهران", "قم"]
    assert query_words("IR-06 a.b 1403/09") == ["ir-06", "a.b", "1403/09"]
