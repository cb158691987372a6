"""A repeated key says which value repeats and where it came first (found by the attack
rerun: `"" is repeated ()` told a clerk nothing)."""

from __future__ import annotations

import json
from pathlib import Path

from portal.i18n import text
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
