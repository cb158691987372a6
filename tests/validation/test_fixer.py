"""`validate --fix OUT` writes a corrected copy, lists every change, and leaves the original."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from portal.cli import app
from portal.config import Settings
from tests.packages import copy_sample, read_rows, set_cell

runner = CliRunner()


def test_fix_writes_corrected_copy(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 1, "start_date", "1402/05/17")
    set_cell(folder, 2, "jobs_created", "۱۲۰")
    original = (folder / "data" / "projects.csv").read_bytes()
    out = tmp_path / "fixed"
    result = runner.invoke(app, ["validate", str(folder), "--fix", str(out), "--json"])
    assert result.exit_code == 1  # the original still has the Jalali date
    report = json.loads(result.stdout)
    assert {(f["row"], f["field"], f["old"], f["new"]) for f in report["fixes"]} == {
        (3, "start_date", "1402/05/17", "2023-08-08"),
        (4, "jobs_created", "۱۲۰", "120"),
    }
    assert (folder / "data" / "projects.csv").read_bytes() == original
    rows = read_rows(out / "data" / "projects.csv")
    assert rows[1]["start_date"] == "2023-08-08" and rows[2]["jobs_created"] == "120"
    again = runner.invoke(app, ["validate", str(out), "--json"])
    assert json.loads(again.stdout)["findings"] == [] and again.exit_code == 0


def test_fix_converts_windows_1256(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    path = folder / "data" / "projects.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("windows-1256", errors="replace"))
    out = tmp_path / "fixed"
    result = runner.invoke(app, ["validate", str(folder), "--fix", str(out)])
    assert result.exit_code == 1
    fixed = runner.invoke(app, ["validate", str(out), "--json"])
    assert fixed.exit_code == 0, fixed.stdout


def test_fix_refuses_an_existing_folder(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    result = runner.invoke(app, ["validate", str(folder), "--fix", str(folder)])
    assert result.exit_code == 2


def test_fix_keeps_the_tables_own_dialect(tmp_path: Path, settings: Settings) -> None:
    """A `;`-separated table is read and rewritten with `;`, not re-split on commas."""
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 2, "jobs_created", "۱۲۰")
    path = folder / "data" / "projects.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[1][rows[0].index("contractor")] = "شرکت الف، ب, و پ"  # commas inside a cell
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["dialect"] = {"delimiter": ";"}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    out = tmp_path / "fixed"
    result = runner.invoke(app, ["validate", str(folder), "--fix", str(out), "--json"])
    assert [(f["row"], f["new"]) for f in json.loads(result.stdout)["fixes"]] == [(4, "120")]
    fixed = list(csv.reader((out / "data" / "projects.csv").open(encoding="utf-8"), delimiter=";"))
    assert fixed[3][rows[0].index("jobs_created")] == "120"
    assert fixed[1][rows[0].index("contractor")] == "شرکت الف، ب, و پ"
    assert [len(row) for row in fixed] == [len(row) for row in rows]
    again = runner.invoke(app, ["validate", str(out), "--json"])
    assert again.exit_code == 0, again.stdout
