"""Profiles follow from resource names; publishers' own schemas must keep the profile."""

from __future__ import annotations

import json
from pathlib import Path

from portal.config import Settings
from portal.intake.staging import staged
from portal.profiles import codelist, profile_of, profile_schema
from portal.validation.engine import validate_package
from portal.validation.rules.packs import SHIPPED
from tests.packages import copy_sample, generic_package


def test_province_codelist_has_all_31_provinces_in_both_languages() -> None:
    provinces = codelist("provinces")
    assert len(provinces) == 31
    assert {p.code for p in provinces} == {f"IR-{n:02d}" for n in range(31)}
    assert all(p.name_fa and p.name_en for p in provinces)
    assert next(p for p in provinces if p.code == "IR-06").name_fa == "خوزستان"


def test_codelists_become_enum_constraints() -> None:
    fields = {f["name"]: f for f in profile_schema("projects")["fields"]}
    assert "transport.road" in fields["sector"]["constraints"]["enum"]
    assert fields["status"]["constraints"]["enum"][0] == "identification"
    assert "codelist" not in fields["sector"]
    observations = {f["name"]: f for f in profile_schema("observations")["fields"]}
    assert "IR" in observations["province"]["constraints"]["enum"]


def test_profile_follows_resource_name() -> None:
    assert profile_of("projects") == "projects"
    assert profile_of("observations") == "indicators"
    assert profile_of("budget-lines") is None


def _schema_less(tmp_path: Path) -> Path:
    folder = copy_sample(tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0].pop("schema", None)
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return folder


def test_projects_without_schema_get_the_profile_schema(tmp_path: Path, settings: Settings) -> None:
    folder = _schema_less(tmp_path)
    rows = (folder / "data" / "projects.csv").read_text().splitlines()
    rows[3] = rows[3].replace(",IR-21,", ",IR-99,")
    (folder / "data" / "projects.csv").write_text("\n".join(rows) + "\n")
    with staged(folder, settings) as package:
        report, effective = validate_package(package, SHIPPED)
    assert effective["resources"][0]["schema"]["primaryKey"] == ["id"]
    codes = [(f.code, f.row, f.field) for f in report.findings]
    # The unknown province also falls outside the declared spatial coverage.
    assert sorted(codes, key=str) == [
        ("constraint-error", 4, "province"),
        ("spatial-inconsistent", None, "spatial"),
    ]


def _with_own_schema(tmp_path: Path, change: dict[str, str | None]) -> Path:
    folder = copy_sample(tmp_path / "pkg")
    schema = profile_schema("projects")
    fields = []
    for field in schema["fields"]:
        if field["name"] in change:
            if change[field["name"]] is None:
                continue
            field["type"] = change[field["name"]]
        fields.append(field)
    schema["fields"] = fields
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"] = schema
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return folder


def test_own_schema_dropping_a_profile_field_is_an_error(
    tmp_path: Path, settings: Settings
) -> None:
    folder = _with_own_schema(tmp_path, {"budget_irr": None})
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED)
    missing = [f for f in report.findings if f.code == "profile-field-missing"]
    assert [(f.resource, f.field) for f in missing] == [("projects", "budget_irr")]
    assert "budget_irr" in missing[0].message["fa"]
    assert not report.valid


def test_own_schema_with_incompatible_type_is_an_error(tmp_path: Path, settings: Settings) -> None:
    folder = _with_own_schema(tmp_path, {"start_date": "string"})
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED)
    assert [(f.code, f.field) for f in report.findings] == [("profile-field-type", "start_date")]


def test_own_schema_may_narrow_number_to_integer(tmp_path: Path, settings: Settings) -> None:
    folder = _with_own_schema(tmp_path, {"latitude": "integer"})
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED)
    assert not [f for f in report.findings if f.code.startswith("profile-")]


def test_indicators_without_observations_is_incomplete(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg", Path(__file__).parent.parent / "datasets" / "mcls-yazd")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"] = descriptor["resources"][:1]
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED)
    assert [(f.code, f.resource) for f in report.findings] == [
        ("profile-incomplete", "observations")
    ]


def test_generic_resource_is_checked_against_its_own_schema(
    tmp_path: Path, settings: Settings
) -> None:
    folder = generic_package(tmp_path / "pkg")
    (folder / "table.csv").write_text("id,label\n1,a\nx,b\n")
    with staged(folder, settings) as package:
        report, effective = validate_package(package, SHIPPED)
    assert effective["resources"][0]["schema"]["fields"][0]["name"] == "id"
    rows = [(f.code, f.row, f.field, f.cell) for f in report.findings if f.row is not None]
    assert rows == [("type-error", 3, "id", "x")]
    # A bare package also lacks every piece of metadata the portal asks for.
    assert {"license-missing", "publisher-missing", "contact-missing"} <= {
        f.code for f in report.findings
    }
