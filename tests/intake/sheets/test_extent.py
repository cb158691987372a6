"""Issue 21, item 1: a small hostile workbook is refused before any reader allocates.

Each hostile book is read in a child process with a memory ceiling, so a reader that
still allocates the sheet's rectangle kills the child (as it killed the server's worker)
and the test fails instead of the test run.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from portal.config import Settings
from portal.errors import GlassWallError
from portal.intake.sheets.build import read_source
from portal.intake.sheets.extent import WorkbookLimits, _ExactScan, check_members, part_extent
from tests.intake.sheets.degenerate import (
    HEADER_ROW,
    HOSTILE,
    honest_sheets,
    raw_workbook,
    sheet_xml,
)

READ = """
import json, sys
from pathlib import Path
from portal.config import Settings
from portal.errors import GlassWallError
from portal.intake.sheets.build import read_source
try:
    read_source(Path(sys.argv[1]), Settings(home=Path(sys.argv[2])))
    print(json.dumps({"read": True}))
except GlassWallError as error:
    print(json.dumps({"code": error.key, "where": error.params, "message": error.message}))
"""
MEMORY_CEILING = 3 * 1024**3


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


def _child(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=cwd,
        preexec_fn=_ceiling,
    )


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_workbook_is_refused_and_the_reader_survives(case: str, tmp_path: Path) -> None:
    write, key = HOSTILE[case]
    path = write(tmp_path)
    run = _child("-c", READ, str(path), str(tmp_path / "var"), cwd=tmp_path)
    assert run.returncode == 0, f"the reader died ({run.returncode}): {run.stderr[-400:]}"
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    assert answer.get("code") == key, answer
    assert path.name in answer["message"]["en"] and path.name in answer["message"]["fa"]


def test_the_far_cell_is_named_with_exit_2_by_the_cli(tmp_path: Path) -> None:
    write, _ = HOSTILE["cell at XFD90000"]
    path = write(tmp_path)
    cli = "from portal.cli import main; main()"
    run = _child("-c", cli, "validate", str(path), "--json", cwd=tmp_path)
    assert run.returncode == 2, run.stderr[-400:]
    refused = json.loads(run.stdout)["refused"]
    assert refused["code"] == "sheets.too_many_columns"
    assert refused["where"] == {
        "file": "far.xlsx",
        "sheet": "s1",
        "column": "XFD",
        "columns": 16384,
        "limit": 500,
    }
    assert "XFD" in refused["message"]["fa"] and "Traceback" not in run.stderr


@pytest.mark.slow
def test_eighty_sheets_without_dimension_are_refused_at_once(
    tmp_path: Path, settings: Settings
) -> None:
    """Issue 21: such a workbook cost 35 s of CPU (openpyxl parsed every sheet for its size)."""
    path = honest_sheets(tmp_path)
    started = time.process_time()
    with pytest.raises(GlassWallError) as refused:
        read_source(path, settings)
    assert refused.value.key == "sheets.too_many_sheets"
    assert time.process_time() - started < 5.0


def _extents(tmp_path: Path, xml: str) -> tuple[object, object]:
    path = raw_workbook(tmp_path / "one.xlsx", [xml])
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/worksheets/sheet1.xml")
        fast = part_extent(archive, member, "one")
        exact = _ExactScan("one").run(archive, member)
    return fast, exact


@pytest.mark.parametrize(
    ("rows", "after", "reach"),
    [
        (HEADER_ROW, "", (2, 3, 6)),
        (HEADER_ROW + '<row r="7"><c r="E7" s="1"/><c r="F7"><v>1</v></c></row>', "", (7, 6, 8)),
        (HEADER_ROW + '<row r="90000"><c r="XFD90000"><v>1</v></c></row>', "", (90000, 16384, 7)),
        (HEADER_ROW + '<row r="5"><c><v>1</v></c><c><v>2</v></c></row>', "", (5, 3, 8)),
        (HEADER_ROW + "<row r='9'><c r='K9'><v>1</v></c></row>", "", (9, 11, 7)),
        (
            HEADER_ROW,
            '<mergeCells count="1"><mergeCell ref="A3:C40"/></mergeCells>',
            (2, 3, 6),
        ),
    ],
)
def test_the_fast_reading_and_the_exact_parse_agree(
    tmp_path: Path, rows: str, after: str, reach: tuple[int, int, int]
) -> None:
    fast, exact = _extents(tmp_path, sheet_xml(rows, after))
    assert fast == exact
    assert (exact.rows, exact.columns, exact.cells) == reach  # type: ignore[attr-defined]


def test_a_second_reference_on_a_cell_counts(tmp_path: Path) -> None:
    xml = sheet_xml(HEADER_ROW + '<row r="3"><c r="A3" r="XFD90000"><v>1</v></c></row>')
    fast, exact = _extents(tmp_path, xml)
    assert fast == exact and exact.columns == 16384  # type: ignore[attr-defined]


def test_a_reference_that_is_not_one_is_refused(tmp_path: Path) -> None:
    xml = sheet_xml(HEADER_ROW + '<row r="3"><c r="&#88;FD90000"><v>1</v></c></row>')
    with pytest.raises(GlassWallError) as refused:
        _extents(tmp_path, xml)
    assert refused.value.key == "sheets.corrupt" and "one" in refused.value.message["en"]


def test_every_member_has_its_ratio_checked_and_all_their_size(tmp_path: Path) -> None:
    small = raw_workbook(tmp_path / "small.xlsx", [sheet_xml(" " * 100_000)])
    limits = WorkbookLimits(max_ratio=200, max_columns=500)
    with zipfile.ZipFile(small) as archive, pytest.raises(GlassWallError) as refused:
        check_members(archive, "small.xlsx", limits)
    assert refused.value.key == "intake.zip_bomb"
    honest = raw_workbook(tmp_path / "honest.xlsx", [sheet_xml(HEADER_ROW)])
    tight = WorkbookLimits(max_ratio=200, max_columns=500, max_xml_bytes=1000)
    with zipfile.ZipFile(honest) as archive, pytest.raises(GlassWallError) as refused:
        check_members(archive, "honest.xlsx", tight)
    assert refused.value.key == "sheets.too_much_xml"
    assert refused.value.http_status == 413
