"""The validation entry point: profiles, structure and rule packs in one pass, then the score."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from portal.intake.descriptor_safety import referenced_files
from portal.intake.staging import StagedPackage
from portal.progress import Progress, RowMeter
from portal.validation.inline import inline_references
from portal.validation.memory import fewer_collections
from portal.validation.profiles_step import apply_profiles
from portal.validation.report import Finding, Report
from portal.validation.rules.batch import RuleContext
from portal.validation.rules.packs import RulePacks
from portal.validation.rules.runner import RuleRun
from portal.validation.score import quality_score
from portal.validation.structural import normalize, validate_structure
from portal.validation.table.shape import TableLimits

DATASET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


def _name_findings(package: StagedPackage) -> list[Finding]:
    name = package.descriptor.get("name")
    if not isinstance(name, str) or not DATASET_NAME.match(name):
        return [Finding.make("package-name", "error", field="name", cell=str(name or ""))]
    return []


def _limits(package: StagedPackage) -> TableLimits:
    settings = package.settings
    if settings is None:
        return TableLimits()
    return TableLimits(settings.max_columns, settings.max_line_bytes, settings.max_cell_bytes)


def _data_bytes(package: StagedPackage) -> int:
    """Bytes of the files the package names: what the row meter measures its way through."""
    sizes = (package.file(relative) for _, relative in referenced_files(package.descriptor))
    return sum(path.stat().st_size for path in sizes if path.is_file())


def validate_package(
    package: StagedPackage,
    rules: RulePacks,
    *,
    agency: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> tuple[Report, dict[str, Any]]:
    """Validate a staged package against `rules`; return the report and the effective
    descriptor.

    `agency` is the publishing agency (for the publisher rule); `today` anchors the
    rules about future dates and freshness (the day of validation by default);
    `progress` is told the rows checked so far (from the checking thread).
    """
    with fewer_collections():
        return _validate(package, rules, agency, today or date.today(), progress)


def _validate(
    package: StagedPackage,
    rules: RulePacks,
    agency: str | None,
    today: date,
    progress: Progress | None,
) -> tuple[Report, dict[str, Any]]:
    name = package.descriptor.get("name")
    inlined, inline_findings = inline_references(package.descriptor, package.root)
    findings = _name_findings(package) + inline_findings
    if inline_findings:
        return Report(str(name) if name else None, findings, []), inlined
    effective, profile_findings, profiles = apply_profiles(inlined, package.root)
    effective = normalize(effective)
    findings += profile_findings
    off_profile = {f.resource for f in profile_findings if f.resource}
    context = RuleContext(today, rules, agency)
    run = RuleRun(effective, profiles, context, off_profile)
    if progress is not None:
        run.meter = RowMeter(progress, _data_bytes(package))
    structure = validate_structure(effective, package.root, run.observer, _limits(package))
    if run.meter is not None:
        run.meter.finish()
    findings += structure.findings
    for summary in structure.summaries:
        summary.profile = profiles.get(summary.name)
    if structure.summaries or not structure.findings:
        findings += run.finish(structure.undecodable)
    findings.sort(key=lambda f: (f.resource or "", f.row or 0, f.field_number or 999))
    report = Report(str(name) if name else None, findings, structure.summaries, run.completeness())
    report.score = quality_score(report, effective, rules)
    return report, effective
