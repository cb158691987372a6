"""Any upload to a checked package: a workbook or CSV is built into a data package first,
the agency profile fills what the package lacks, and validation runs as for any upload.

`portal.publishing.publish` uses this for both validating and publishing, so the CLI, the API and
the Publish page see the same report, corrections and filled properties.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.config import Settings
from portal.intake.sheets.options import SheetOptions, is_sheet_source
from portal.intake.staging import StagedPackage, staged
from portal.progress import Progress
from portal.validation.engine import validate_package
from portal.validation.fixer import Change, write_fixed_copy
from portal.validation.report import Report
from portal.validation.rules.packs import rule_packs

if TYPE_CHECKING:
    from portal.intake.sheets.build import Built
    from portal.store.agency_profiles import AgencyProfile

SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass
class Checked:
    package: StagedPackage
    report: Report
    effective: dict[str, Any]
    built: Built | None = None
    filled: list[str] = field(default_factory=list)

    def normalisation(self) -> dict[str, Any] | None:
        """The `normalisation` attachment of the version: what changed on the way in."""
        if self.built is not None:
            return self.built.document(self.filled)
        if self.filled:
            return {
                "source": Path(self.package.source).name,
                "corrections": [],
                "filled_from_profile": self.filled,
            }
        return None


def merged_report(report: Report, built: Built) -> Report:
    """Sheet findings and validation findings in one report, errors first.

    A column the sheet lacks is written empty; its per-row findings would only repeat
    the one "column missing" finding, so they are left out.
    """
    kept = [
        f for f in report.findings if (f.resource, f.field) not in built.suppressed or f.row is None
    ]
    report.findings = sorted(
        built.findings + kept,
        key=lambda f: (SEVERITY_ORDER[f.severity], f.resource or "", f.row or 0, f.field or ""),
    )
    return report


@contextmanager
def _package_source(
    source: Path, settings: Settings, sheet: SheetOptions | None, fix: bool
) -> Iterator[tuple[Path, Built | None]]:
    if not is_sheet_source(source):
        yield source, None
        return
    # The spreadsheet readers (openpyxl) only for a sheet: a package's validation runs
    # without them (issue 25: a 10-row `glasswall validate` paid 0.2 s to import them).
    from portal.intake.sheets.build import build_package

    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sheet-", dir=settings.staging_dir))
    try:
        built = build_package(
            source, work / "package", sheet or SheetOptions(), fix=fix, settings=settings
        )
        yield built.folder, built
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def checked(
    source: Path,
    settings: Settings,
    *,
    sheet: SheetOptions | None = None,
    fix: bool = False,
    profile: AgencyProfile | None = None,
    agency: str | None = None,
    progress: Progress | None = None,
) -> Iterator[Checked]:
    """Stage, fill from the profile and validate; the staged package lives while open.

    `progress` is told the rows checked (see `portal.progress`)."""
    with (
        _package_source(Path(source), settings, sheet, fix) as (path, built),
        staged(path, settings) as package,
    ):
        filled: list[str] = []
        if agency:
            from portal.intake.agency_profile import (
                fill_from_profile,  # the store, only for an agency
            )

            filled = fill_from_profile(package.descriptor, profile, agency)
        rules = rule_packs(settings.validators)
        report, effective = validate_package(package, rules, agency=agency, progress=progress)
        if built is not None:
            report = merged_report(report, built)
        yield Checked(package, report, effective, built, filled)


@dataclass(frozen=True)
class ValidationResult:
    report: Report
    changes: list[Change]
    built: Built | None = None  # a workbook or CSV: what was read, corrected and where
    filled: list[str] = field(default_factory=list)  # properties taken from the agency profile


def validate_source(
    source: Path,
    settings: Settings,
    fix_to: Path | None = None,
    *,
    sheet: SheetOptions | None = None,
    profile: AgencyProfile | None = None,
    agency: str | None = None,
    package_to: Path | None = None,
    progress: Progress | None = None,
) -> ValidationResult:
    """Stage and validate without storing anything.

    `fix_to` gets a corrected copy (a workbook's or CSV's package with its corrections
    applied); `package_to` the package as built, for a spreadsheet upload.
    """
    with checked(
        source,
        settings,
        sheet=sheet,
        fix=fix_to is not None,
        profile=profile,
        agency=agency,
        progress=progress,
    ) as result:
        changes: list[Change] = []
        if fix_to is not None and result.built is None:
            changes = write_fixed_copy(result.package, result.report, fix_to)
        elif fix_to is not None:
            shutil.copytree(result.package.root, fix_to)
        if package_to is not None and result.built is not None:
            shutil.copytree(result.package.root, package_to)
        return ValidationResult(result.report, changes, result.built, result.filled)
