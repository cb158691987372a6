"""The one matcher of free-text search: the projects page, the DataStore's `q`, the
catalogue page, `package_search` and the SQL page's `matches(text, query)` find by it.

A text is found when every word of the query occurs in it, both folded by the normaliser
(`portal.persian.normalize`: one spelling per letter, no marks, Latin digits, casefolded)
and the text also read without ZWNJ (`portal.persian.searchable`), so «راهآهن» finds
«راه‌آهن». Texts are folded column-wise with Arrow; the few rows holding a character whose
Arrow lower case is not Python's case folding (ß, İ, Greek and Cherokee forms...) are folded
by the normaliser itself, so the column and the normaliser agree on every text.

A row of a table is found by every cell, by the names of the place codes it holds (`IR-06`
is also «خوزستان» and "Khuzestan") and by its agency's names when the caller has them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.persian import SEARCH_FOLDS, SPELLINGS_APART, fold, normalize
from portal.profiles import codelist

# column -> the codelist whose names a code in it is also found by
NAMED_COLUMNS = {"province": "provinces"}
_REPLACEMENTS = list(SEARCH_FOLDS.items())  # the same folds as `normalize`
# Characters whose Arrow lower case is Python's case folding (checked for each one in
# tests/tables/test_search.py): Latin, Arabic and Persian, punctuation. A text with any other
# character is folded by the normaliser row by row.
ARROW_FOLDS = (
    (0x0000, 0x00B4), (0x00B6, 0x00DE), (0x00E0, 0x012F), (0x0131, 0x0148),
    (0x014A, 0x017E), (0x0180, 0x01EF), (0x01F1, 0x024F), (0x0600, 0x06FF),
    (0x0750, 0x077F), (0x08A0, 0x08FF), (0x2000, 0x206F), (0x20A0, 0x20CF),
    (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
)  # fmt: skip
_OTHER = "[^" + "".join(f"\\x{{{low:x}}}-\\x{{{high:x}}}" for low, high in ARROW_FOLDS) + "]"
# Free-text tokens that are query syntax, not words (Solr's `a AND b`, `+a`).
_NOT_WORDS = frozenset({"and", "+"})


def query_words(query: str) -> list[str]:
    """The words every found text holds: normalised, quotes and `AND` dropped, and a run
    with no letter or digit dropped (a dash between two names, an ellipsis: no word)."""
    return [
        w
        for w in normalize(query.replace('"', " ")).split()
        if w not in _NOT_WORDS and any(c.isalnum() for c in w)
    ]


def unsearchable(query: str) -> bool:
    """Something was typed (`...`, `،،`, `---`) but it holds no word to look for: it finds
    nothing. Nothing typed, or only spaces (a cleared search box), is no search at all."""
    return bool(query.strip()) and not query_words(query)


def _text(column: Any) -> pa.Array:
    """Cells as text, a missing one as ""; one contiguous array."""
    text = pc.fill_null(pc.cast(column, pa.string()), "")
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def fold_column(column: Any) -> pa.Array:
    """`portal.persian.fold` for every cell (spaces are not folded: no word holds one)."""
    text = _text(column)
    folded = text
    for old, new in _REPLACEMENTS:
        folded = pc.replace_substring(folded, old, new)
    folded = pc.utf8_lower(folded)
    other = pc.match_substring_regex(text, _OTHER)
    if pc.any(other).as_py():
        exact = [fold(cell) for cell in text.filter(other).to_pylist()]
        folded = pc.replace_with_mask(folded, other, pa.array(exact, pa.string()))
    return folded


def _spellings(column: Any) -> tuple[pa.Array, pa.Array]:
    """Each cell folded, and folded again without ZWNJ; each distinct cell only once
    (a column repeats its provinces, statuses and counties row after row)."""
    encoded = pc.dictionary_encode(_text(column))
    cells = encoded.dictionary
    folded = fold_column(cells)
    joined = fold_column(pc.replace_substring(cells, "\u200c", ""))
    return pc.take(folded, encoded.indices), pc.take(joined, encoded.indices)


def searchable_column(column: Any) -> pa.Array:
    """`portal.persian.searchable` for every cell: folded, and folded again without ZWNJ."""
    folded, joined = _spellings(column)
    return pc.binary_join_element_wise(folded, joined, SPELLINGS_APART)


def haystacks(texts: Iterable[str]) -> pa.Array:
    """Texts (a catalogue's entries, say) ready for `found`."""
    return searchable_column(pa.array(list(texts), pa.string()))


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


def _named(name: str, column: pa.Array) -> pa.Array:
    listname = NAMED_COLUMNS.get(name)
    if listname is None:
        return column
    codes, words = _names(listname)
    found = pc.index_in(column, value_set=codes)
    return pc.if_else(pc.is_null(found), column, pc.take(words, found))


def row_text(table: pa.Table, extra: Iterable[Any] = ()) -> pa.ChunkedArray:
    """Per row: every cell (place codes with their names) and `extra` columns, as
    `searchable` has their joined text (folding goes letter by letter, so each column is
    folded alone, each distinct cell once, and the folded cells joined)."""
    texts = [_named(n, _text(c)) for n, c in zip(table.column_names, table.columns, strict=True)]
    texts += [_text(column) for column in extra]
    if not texts:
        return pa.chunked_array([pa.array([], pa.string())])
    pairs = [_spellings(text) for text in texts]
    folded = pc.binary_join_element_wise(*(f for f, _ in pairs), " ")
    joined = pc.binary_join_element_wise(*(j for _, j in pairs), " ")
    return pa.chunked_array([pc.binary_join_element_wise(folded, joined, SPELLINGS_APART)])


def row_mask(text: Any, query: str, everywhere: str = "") -> Any:
    """Rows whose text (from `row_text`, `haystacks` or `searchable_column`) holds every
    word of `query`; None when nothing was typed (no search), no row when what was typed
    holds no word (`unsearchable`). A word found in `everywhere` (what all rows share:
    their agency's names) holds for every row."""
    words = query_words(query)
    if not words:
        return pa.array(np.zeros(len(text), dtype=bool)) if query.strip() else None
    shared = haystacks([everywhere])[0].as_py() if everywhere else ""
    mask = None
    for word in words:
        if shared and word in shared:
            continue
        hit = pc.match_substring(text, word)
        mask = hit if mask is None else pc.and_(mask, hit)
    if mask is None and words:
        return pc.is_valid(text)  # every word is the agency's: every row
    return mask


def found(text: Any, query: str) -> np.ndarray:
    """`row_mask` as a numpy bool per row; every row when nothing was typed."""
    mask = row_mask(text, query)
    if mask is None:
        return np.ones(len(text), dtype=bool)
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def matches(query: str, text: str) -> bool:
    """One text: every word of `query` occurs in it (the matcher above, for one row)."""
    return bool(found(haystacks([text]), query)[0])
