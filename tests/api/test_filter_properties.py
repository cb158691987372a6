"""Property tests for datastore filters (issue 13, item 9): any JSON value is a 409 or a filter."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.api.ckan.datastore import _typed
from portal.api.ckan.params import Params
from portal.errors import BadParameter

COLUMNS = {
    "integer": pa.chunked_array([pa.array([1, 2], pa.int64())]),
    "number": pa.chunked_array([pa.array([1.5, 2.0], pa.float64())]),
    "boolean": pa.chunked_array([pa.array([True, False], pa.bool_())]),
    "string": pa.chunked_array([pa.array(["a", "b"], pa.string())]),
    "date": pa.chunked_array([pa.array(["2020-05-22", None], pa.string())]),  # read as text
}
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@pytest.mark.parametrize("kind", sorted(COLUMNS))
@given(value=_json)
@settings(max_examples=150, deadline=None)
def test_any_value_is_a_usable_filter_or_a_409(kind: str, value: Any) -> None:
    column = COLUMNS[kind]
    try:
        typed = _typed(value, column, "f", kind=kind)
    except BadParameter as exc:
        assert exc.http_status == 409
        return
    pa.array([typed], type=column.type)  # Arrow can hold it: no overflow, no type error


@given(text=st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_filters_text_parses_or_is_a_409(text: str) -> None:
    try:
        Params({"filters": text}).structured("filters")
    except BadParameter as exc:
        assert exc.http_status == 409


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", '{"a": NaN}', "[" * 5000])
def test_non_json_numbers_and_deep_nesting_are_409(text: str) -> None:
    with pytest.raises(BadParameter):
        Params({"filters": text}).structured("filters")
