"""The descriptor's check runs beside the shape scans; an invalid descriptor still gets
frictionless's findings alone, and no table is read (issue 25)."""

from __future__ import annotations

from pathlib import Path

from portal.validation.structural import validate_structure


def _table(root: Path) -> None:
    (root / "data").mkdir()
    (root / "data" / "t.csv").write_text("id,name\n1,a\n2,b\n", encoding="utf-8")


def _resource(**extra: object) -> dict:
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
    return {"name": "t", "path": "data/t.csv", "schema": schema, **extra}


def test_a_valid_descriptor_reads_its_tables(tmp_path: Path) -> None:
    _table(tmp_path)
    result = validate_structure({"name": "p", "resources": [_resource()]}, tmp_path)
    assert result.findings == []
    assert [(s.name, s.rows) for s in result.summaries] == [("t", 2)]


def test_an_invalid_field_type_gets_frictionless_findings_and_no_read(tmp_path: Path) -> None:
    _table(tmp_path)
    resource = _resource()
    resource["schema"]["fields"][0]["type"] = "no-such-type"
    result = validate_structure({"name": "p", "resources": [resource]}, tmp_path)
    assert result.findings and all(f.row is None for f in result.findings)
    assert {f.message_key for f in result.findings} <= {
        "finding.frictionless",
        *(f"finding.{f.code}" for f in result.findings),
    }
    assert result.summaries == []  # the table was not read


def test_a_scan_that_fails_on_an_invalid_descriptor_is_not_reported(tmp_path: Path) -> None:
    # No path: the shape scan cannot even name the file (KeyError); frictionless says why.
    broken = {"name": "t", "format": "csv", "data": None, "schema": {"fields": []}}
    result = validate_structure({"name": "p", "resources": [broken]}, tmp_path)
    assert result.findings
    assert all(f.row is None for f in result.findings)
