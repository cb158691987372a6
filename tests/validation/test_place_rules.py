"""County names in an upload are checked against the published county list."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from portal.cli import app
from portal.config import Settings
from tests.packages import copy_sample, read_rows, set_cell

runner = CliRunner()


def validate(folder: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["validate", str(folder), "--json", *extra])
    return json.loads(result.stdout)


def test_a_spelling_variant_is_fixed_to_the_listed_name(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")  # Yazd (IR-21)
    set_cell(folder, 1, "county", "اشک\u200cذر")  # a ZWNJ where the list has none
    set_cell(folder, 2, "county", "شهرستان بافق")
    report = validate(folder)
    found = {(f["row"], f["code"], f["suggestion"]) for f in report["findings"]}
    assert found == {(3, "county-spelling", "اشکذر"), (4, "county-spelling", "بافق")}
    out = tmp_path / "fixed"
    fixed = validate(folder, "--fix", str(out))
    assert {(f["row"], f["new"]) for f in fixed["fixes"]} == {(3, "اشکذر"), (4, "بافق")}
    rows = read_rows(out / "data" / "projects.csv")
    assert (rows[1]["county"], rows[2]["county"]) == ("اشکذر", "بافق")
    assert validate(out)["findings"] == []


def test_an_unknown_county_names_the_nearest_and_is_not_fixed(
    tmp_path: Path, settings: Settings
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 1, "county", "مهریزز")  # a typing slip: near one name, not a spelling
    set_cell(folder, 2, "county", "دزفول")  # a county of Khuzestan, written in a Yazd row
    report = validate(folder)
    found = {f["row"]: f for f in report["findings"]}
    assert {f["code"] for f in found.values()} == {"county-unknown"}
    assert found[3]["suggestion"] is None and "استان یزد" in found[3]["message"]["fa"]
    assert "not a county of Yazd" in found[3]["message"]["en"]
    assert "Nearest names: مهریز" in found[3]["message"]["en"]
    assert "«دزفول»" in found[4]["message"]["fa"] and found[4]["severity"] == "warning"
    out = tmp_path / "fixed"
    assert validate(folder, "--fix", str(out))["fixes"] == []


def test_the_list_is_the_published_one() -> None:
    """448 counties of 31 provinces, each code under its province's number."""
    from portal.profiles import codelist_names
    from portal.profiles.county_names import counties

    listed = counties()
    assert len(listed) == 448 and len({c.code for c in listed}) == 448
    assert {c.province for c in listed} == set(codelist_names("provinces"))
    assert all(c.code[:2] == c.province[3:] for c in listed)
