"""The one matcher of free-text search over rows: the projects page, the DataStore's `q`
and the CKAN search all find a row by the same words.

A row is found by every cell (folded like `portal.persian.normalize`, and again without
ZWNJ, as `portal.persian.searchable` does), by the names of the place codes it holds
(`IR-06` is also «خوزستان», "Khuzestan" and «خوزستان» typed with Arabic letters), and by
its agency's names when the caller has them. A query matches when each of its words
occurs; the scalar rule for one text is `portal.persian.matches`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from portal.persian import SEARCH_FOLDS, normalize, searchable
from portal.profiles import codelist

# column -> the codelist whose names a code in it is also found by
NAMED_COLUMNS = {"province": "provinces"}
_REPLACEMENTS = list(SEARCH_FOLDS.items())  # the same folds as `normalize`


def normalize_column(column: Any) -> Any:
    """The vectorised twin of `portal.persian.normalize` (spaces are not folded)."""
    for old, new in _REPLACEMENTS:
        column = pc.replace_substring(column, old, new)
    return pc.utf8_lower(column)


def searchable_column(column: Any) -> Any:
    """The vectorised twin of `portal.persian.searchable`: folded, and folded again
    without ZWNJ (so «راهآهن» finds «راه‌آهن»)."""
    joined = normalize_column(pc.replace_substring(column, "\u200c", ""))
    return pc.binary_join_element_wise(normalize_column(column), joined, " | ")


@cache
def _names(listname: str) -> tuple[pa.Array, pa.Array]:
    entries = codelist(listname)
    codes = pa.array([e.code for e in entries], pa.string())
    words = pa.array([f"{e.code} {e.name_fa} {e.name_en}" for e in entries], pa.string())
    return codes, words


def place_words(codes: Iterable[str], listname: str = "provinces") -> str:
    """Codes with their names in both languages, as one text (for catalogue entries)."""
    named = {e.code: f"{e.code} {e.name_fa} {e.name_en}" for e in codelist(listname)}
    return " ".join(named.get(str(code), str(code)) for code in codes)


def _text(column: Any) -> Any:
    return pc.fill_null(pc.cast(column, pa.string()), "")


def _named(name: str, column: Any) -> Any:
    listname = NAMED_COLUMNS.get(name)
    if listname is None:
        return column
    codes, words = _names(listname)
    found = pc.index_in(column, value_set=codes)
    return pc.if_else(pc.is_null(found), column, pc.take(words, found))


def row_text(table: pa.Table, extra: Iterable[Any] = ()) -> pa.ChunkedArray:
    """Per row: every cell (place codes with their names) and `extra` columns, folded."""
    texts = [_named(n, _text(c)) for n, c in zip(table.column_names, table.columns, strict=True)]
    texts += [_text(column) for column in extra]
    if not texts:
        return pa.chunked_array([pa.array([], pa.string())])
    joined = pc.binary_join_element_wise(*texts, " ")
    result = searchable_column(joined)
    return result if isinstance(result, pa.ChunkedArray) else pa.chunked_array([result])


def query_words(query: str) -> list[str]:
    return normalize(query).split()


def row_mask(text: pa.ChunkedArray, query: str, everywhere: str = "") -> Any:
    """Rows whose text holds every word of `query` (None when the query has no word).
    A word found in `everywhere` (what all rows share: their agency's names) holds for all."""
    words = query_words(query)
    shared = searchable(everywhere) if everywhere else ""
    mask = None
    for word in words:
        if shared and word in shared:
            continue
        hit = pc.match_substring(text, word)
        mask = hit if mask is None else pc.and_(mask, hit)
    if mask is None and words:
        return pc.is_valid(text)  # every word is the agency's: every row
    return mask
