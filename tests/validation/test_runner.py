"""The rule packs see each row once, even when the fast read starts over.

The fast read (Arrow) starts over from the first row when it meets a row of another
width or an undecodable byte (`portal.validation.table.reader.Restart`); by then the rule
packs may have seen whole batches of 65,536 rows. They must forget them: a finding told
twice, or completeness over rows counted twice, is a wrong report.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from portal.config import Settings
from portal.intake.staging import staged
from portal.progress import Tick
from portal.validation.engine import validate_package
from portal.validation.report import Report
from portal.validation.rules.packs import SHIPPED
from portal.validation.table.reader import BATCH_ROWS
from tests.packages import DATASETS, read_rows, write_rows

TODAY = date(2026, 11, 22)
ROWS = 2 * BATCH_ROWS + 5000  # two whole batches seen before the trouble


def _long_package(tmp_path: Path) -> Path:
    """A projects package of ROWS rows; row 7 breaks two rules (a future end date)."""
    folder = Path(shutil.copytree(DATASETS / "mrud-khuzestan", tmp_path / "pkg"))
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    many = [
        {**row, "id": f"{row['id']}-{copy}"}
        for copy in range(ROWS // len(rows) + 1)
        for row in rows
    ][:ROWS]
    many[5].update(actual_end_date="2099-01-01", status="completed")
    write_rows(path, many)
    return folder


def _late_line(folder: Path, change: bytes) -> None:
    """Append `change` to a line after the first two batches."""
    path = folder / "data" / "projects.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2 * BATCH_ROWS + 100] += change
    path.write_bytes(b"\n".join(lines))


def _run(folder: Path, settings: Settings, ticks: list[Tick]) -> Report:
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED, today=TODAY, progress=ticks.append)
    return report


@pytest.mark.parametrize(
    ("change", "trouble"),
    [(b",an extra cell", "extra-cell"), (b"\xff\xfe", "encoding-error")],
    ids=["row-of-another-width", "undecodable-byte"],
)
def test_a_read_that_starts_over_reports_each_finding_once(
    tmp_path: Path, settings: Settings, change: bytes, trouble: str
) -> None:
    folder = _long_package(tmp_path)
    _late_line(folder, change)
    ticks: list[Tick] = []
    report = _run(folder, settings, ticks)
    assert trouble in report.counts()
    seen = [(f.code, f.resource, f.row, f.field) for f in report.findings]
    assert len(seen) == len(set(seen)), sorted(s for s in seen if seen.count(s) > 1)[:5]
    assert report.counts()["actual-date-in-future"] == 1
    read = report.rows_of("projects")
    assert read is not None and read <= ROWS
    assert all(0 <= share <= 1 for share in report.completeness["projects"].values())
    assert report.completeness["projects"]["id"] == 1.0  # every row has its id, once
    final = [t for t in ticks if t.task == "rows" and t.finished]
    assert final and final[-1].done <= ROWS  # progress counted each row once
