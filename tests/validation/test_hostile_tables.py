"""Tables built to hurt (issue 13, items 9 and 12): each is a bilingual finding, never a crash.

Shape caps are checked on the raw bytes before pyarrow or frictionless see the file;
number options that once crashed the vector checker now validate; Arrow's laxer integer
parser no longer lets `0x10` through; invalid cells are not counted as empty.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from portal.config import Settings
from portal.publishing.publish import validate_source
from portal.validation.report import Report
from tests.packages import copy_sample, read_rows, write_rows

WIDE = ",".join(f"c{i}" for i in range(600)) + "\n1\n"


def _package(root: Path, fields: list[dict[str, Any]], text: str | bytes) -> Path:
    root.mkdir(parents=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (root / "table.csv").write_bytes(data)
    descriptor = {
        "name": "hostile",
        "resources": [{"name": "table", "path": "table.csv", "schema": {"fields": fields}}],
    }
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def _report(folder: Path, settings: Settings) -> Report:
    return validate_source(folder, settings).report


def _errors(report: Report) -> dict[str, Any]:
    return {f.code: f for f in report.findings if f.severity == "error"}


def _bilingual(finding: Any) -> None:
    assert finding.message["fa"] and finding.message["en"]
    assert "table" in finding.message["en"]


@pytest.mark.parametrize(
    ("code", "fields", "text"),
    [
        ("table-empty", [{"name": "a", "type": "integer"}], ""),
        ("table-no-rows", [{"name": "a", "type": "integer"}], "a\n"),
        ("table-too-many-columns", [{"name": "c0"}], WIDE),
        ("table-cell-too-long", [{"name": "a"}], "a\n" + "x" * 5_000_000 + "\n"),
        ("table-line-too-long", [{"name": "a"}], "a\n" + "x," * 600_000 + "\n"),
    ],
)  # fmt: skip
def test_a_hostile_shape_is_one_bilingual_finding(
    tmp_path: Path, settings: Settings, code: str, fields: list[dict[str, Any]], text: str
) -> None:
    report = _report(_package(tmp_path / "pkg", fields, text), settings)
    found = _errors(report)
    assert code in found, sorted(found)
    _bilingual(found[code])


def test_a_million_columns_is_refused_fast(tmp_path: Path, settings: Settings) -> None:
    header = ",".join(f"c{i}" for i in range(100_000))
    folder = _package(tmp_path / "pkg", [{"name": "c0"}], header + "\n" + "1," * 99_999 + "1\n")
    started = time.perf_counter()
    report = _report(folder, replace(settings, max_line_bytes=10_000_000))
    assert "table-too-many-columns" in _errors(report)
    assert time.perf_counter() - started < 5  # it took 16.7 s and 1.2 GB


@pytest.mark.parametrize(
    "field",
    [
        {"name": "a", "type": "integer", "bareNumber": False},
        {"name": "a", "type": "number", "bareNumber": False},
        {"name": "a", "type": "number", "groupChar": ","},
        {"name": "a", "type": "number", "decimalChar": ","},
        {"name": "a", "type": "integer", "groupChar": "."},
    ],
)
def test_number_options_validate_instead_of_crashing(
    tmp_path: Path, settings: Settings, field: dict[str, Any]
) -> None:
    folder = _package(tmp_path / "pkg", [field], 'a\n"1,5"\n12\n"1.000"\nx\n')
    report = _report(folder, settings)
    assert report.findings is not None
    assert any(f.code == "type-error" and f.row == 5 for f in report.findings)


@pytest.mark.parametrize("width", [2, 8, 20])
def test_hex_in_an_integer_column_is_a_type_error_whatever_the_width(
    tmp_path: Path, settings: Settings, width: int
) -> None:
    fields = [{"name": f"c{i}", "type": "integer"} for i in range(width)]
    header = ",".join(f"c{i}" for i in range(width))
    rows = "\n".join(
        ",".join(["0x10" if r == 1 else str(r)] + ["1"] * (width - 1)) for r in range(3)
    )
    report = _report(_package(tmp_path / "pkg", fields, f"{header}\n{rows}\n"), settings)
    hits = [(f.code, f.row, f.field) for f in report.findings if f.code == "type-error"]
    assert hits == [("type-error", 3, "c0")]


def test_invalid_cells_are_not_counted_as_empty(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    for row in rows:
        row["start_date"] = "1400-09-15"  # a Jalali date: invalid, but not empty
    write_rows(path, rows)
    report = _report(folder, settings)
    assert any(f.code == "jalali-date" and f.field == "start_date" for f in report.findings)
    assert report.completeness["projects"]["start_date"] == 1.0
