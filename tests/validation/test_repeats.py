"""A repeated key says which value repeats and where it came first (found by the attack
rerun: `"" is repeated ()` told a clerk nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.i18n import text
from portal.validation.table import integrity
from portal.validation.table.package import validate_tables


def _errors(tmp_path: Path, primary: list[str]) -> list[tuple]:
    (tmp_path / "main.csv").write_text("id,name\n1,a\n2,b\n1,a\n3,\n3,\n", encoding="utf-8")
    fields = [
        {"name": "id", "type": "integer", "constraints": {"unique": True}},
        {"name": "name", "type": "string"},
    ]
    schema = {"fields": fields, "primaryKey": primary}
    resource = {"name": "main", "path": "main.csv", "schema": schema}
    descriptor = {"name": "x", "resources": [resource]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    outcome = validate_tables(descriptor, tmp_path)["main"]
    return [(e.row, e.code, e.cell, e.note) for e in outcome.errors]


def test_a_repeated_value_and_key_name_the_value_and_the_first_row(tmp_path: Path) -> None:
    assert _errors(tmp_path, ["id", "name"]) == [
        (4, "primary-key", "1, a", "the same as in the row at position 2"),
        (4, "unique-error", "1", "the same as in the row at position 2"),
        (6, "primary-key", "3, ", "the same as in the row at position 5"),
        (6, "unique-error", "3", "the same as in the row at position 5"),
    ]


def test_the_messages_carry_the_value_in_both_languages() -> None:
    params = {"resource": "projects", "row": 34, "field": "id", "cell": "mrud-yazd-0001"}
    note = "the same as in the row at position 2"
    for key in ("finding.unique-error", "finding.primary-key"):
        assert "mrud-yazd-0001" in text(key, "en", **params, note=note)
        assert "mrud-yazd-0001" in text(key, "fa", **params, note=note)


def _reference(values: list[object]) -> tuple[list[int], list[int]]:
    """Row by row, as frictionless remembers: each repeat and where its value came first."""
    first_at: dict[object, int] = {}
    later, first = [], []
    for position, value in enumerate(values):
        seen = first_at.setdefault(value, position)
        if seen != position:
            later.append(position)
            first.append(seen)
    return later, first


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "آب", "آ\u200cب", "", "x" * 20, "yy"]), max_size=60)
    | st.lists(st.integers(-3, 3), max_size=60)
)
def test_repeats_are_found_as_row_by_row_memory_finds_them(values: list[object]) -> None:
    whole = pa.array(values, pa.string() if values and isinstance(values[0], str) else pa.int64())
    column = pa.chunked_array([whole.slice(0, 7), whole.slice(7)])  # read in two batches
    found = integrity.repeats(column)
    assert (found.later.tolist(), found.first.tolist()) == _reference(values)


def test_texts_that_share_a_fingerprint_are_still_told_apart() -> None:
    values = ["a", "b", "a", "c", "b", "d"]
    column = pa.chunked_array([pa.array(values)])
    colliding = np.zeros(len(values), dtype=np.uint64)  # every print equal: all collide
    found = integrity.repeats(column, colliding)
    assert (found.later.tolist(), found.first.tolist()) == _reference(values)
