"""`glasswall validate PATH --fix OUT`: a corrected copy, and the list of every change.

Only findings that carry a suggestion are applied (Persian digits, Arabic letters,
Jalali dates, a county's published spelling, a non-UTF-8 encoding); the original is never
touched and nothing is changed that the list does not show.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from portal.intake.descriptor_safety import normalized
from portal.intake.staging import StagedPackage
from portal.spreadsheet_safe import csv_writer
from portal.validation.report import Report
from portal.validation.table.dialect import CsvDialect

CELL_FIXES = {"persian-digits", "arabic-letters", "jalali-date", "county-spelling"}


@dataclass(frozen=True)
class Change:
    file: str
    row: int | None
    field: str | None
    old: str
    new: str


def _rewrite(
    path: Path,
    encoding: str,
    dialect: CsvDialect,
    fixes: dict[tuple[int, str], tuple[str, str]],
) -> set[tuple[int, str]]:
    """Apply `fixes` to the table at `path`, read and written in its own dialect; return
    the cells actually written (only those are reported)."""
    text = path.read_bytes().decode(encoding)
    options = dialect.python_options()
    rows = list(csv.reader(io.StringIO(text, newline=""), **options))
    header = rows[0] if rows else []
    written: set[tuple[int, str]] = set()
    for (row_number, field), (old, new) in fixes.items():
        if field in header and 1 < row_number <= len(rows):
            cells = rows[row_number - 1]
            position = header.index(field)
            if position < len(cells) and cells[position].strip() == old.strip():
                cells[position] = new
                written.add((row_number, field))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv_writer(handle, lineterminator="\n", **options).writerows(rows)
    return written


def write_fixed_copy(package: StagedPackage, report: Report, out: Path) -> list[Change]:
    """Copy the staged package to `out` with every suggested correction applied."""
    shutil.copytree(package.root, out, dirs_exist_ok=False)
    resources = {str(r.get("name")): r for r in package.descriptor["resources"]}
    paths = {name: str(r.get("path")) for name, r in resources.items()}
    changes: list[Change] = []
    by_resource: dict[str, dict[tuple[int, str], tuple[str, str]]] = {}
    encodings: dict[str, str] = {}
    for finding in report.findings:
        if finding.resource is None or finding.suggestion is None:
            continue
        if finding.code == "encoding-not-utf8":
            encodings[finding.resource] = finding.suggestion
            changes.append(Change(paths[finding.resource], None, None, finding.suggestion, "utf-8"))
        elif finding.code in CELL_FIXES and finding.row and finding.field:
            key = (finding.row, finding.field)
            by_resource.setdefault(finding.resource, {})[key] = (
                finding.cell or "",
                finding.suggestion,
            )
    for resource in sorted(set(by_resource) | set(encodings)):
        target = out / normalized(paths[resource])
        dialect = CsvDialect.from_descriptor(resources[resource].get("dialect"))
        encoding = encodings.get(resource, "utf-8-sig")
        fixes = by_resource.get(resource, {})
        written = _rewrite(target, encoding, dialect, fixes)
        for (row, field), (old, new) in sorted(fixes.items()):
            if (row, field) in written:
                changes.append(Change(paths[resource], row, field, old, new))
    return changes
