"""`validate --fix OUT` writes a corrected copy, lists every change, and leaves the original."""

from __future__ import annotations

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
