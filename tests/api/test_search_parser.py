"""The search parser: linear time on hostile input, and exact on the forms it understands."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.api.ckan.search import FIELDS, Query, parse, tokenize
from portal.errors import BadParameter

_names = st.sampled_from(FIELDS)
_plain = st.text(alphabet="abcdefghij0123456789.-", min_size=1, max_size=12)


@pytest.mark.parametrize(
    "unit", ["a", "a:", "(", 'a:"', "-", "name:(x OR ", "name:", "-name:(", "a-b:"]
)
def test_the_tokenizer_is_linear_on_64000_hostile_characters(unit: str) -> None:
    """The old `_CLAUSE` regex took ~22 s on 64,000 letters (issue 13, item 5)."""
    text = unit * (64_000 // len(unit))
    tokenize(text[:1000])
    started = time.perf_counter()
    tokenize(text)
    assert time.perf_counter() - started < 2.0  # the old regex: ~22 s; room for a busy machine


def test_a_query_longer_than_the_limit_is_a_409_naming_it() -> None:
    with pytest.raises(BadParameter) as caught:
        parse("a" * 64_000, "q", Query())
    assert caught.value.http_status == 409 and caught.value.field == "q"


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=200)
def test_any_text_gives_a_query_or_a_409(text: str) -> None:
    try:
        parse(text, "q", Query())
        parse(text, "fq", Query())
    except BadParameter as exc:
        assert exc.http_status == 409


@given(st.lists(st.tuples(st.booleans(), _names, st.lists(_plain, min_size=1, max_size=3))))
@settings(max_examples=200, deadline=200)
def test_clauses_written_out_are_read_back(
    clauses: list[tuple[bool, str, list[str]]],
) -> None:
    parts = []
    for negated, name, values in clauses:
        value = values[0] if len(values) == 1 else "(" + " OR ".join(values) + ")"
        parts.append(f"{'-' if negated else ''}{name}:{value}")
    found, rest = tokenize("  ".join(parts))
    assert rest == []
    assert found == [(n, name, tuple(values)) for n, name, values in clauses]


@given(st.lists(_plain, max_size=8))
def test_free_words_and_quoted_values(words: list[str]) -> None:
    query = Query()
    parse(" ".join(words) + ' name:"two words"', "q", query)
    assert query.clauses == [(False, "name", ("two words",))]
    assert len(query.words) == len([w for w in words if w.strip(".-")]) or query.words
