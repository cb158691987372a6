"""The one matcher: a province, county or agency name finds rows on the projects page, in
the DataStore's `q`, the catalogue and package_search alike (issue 22, item 3)."""

from __future__ import annotations

import pyarrow as pa

from portal.tables.search import row_mask, row_text


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
