"""The validation entry point: profiles, then structure, then a report.

Rule packs (accuracy and completeness) plug in after the structural layer.
"""

from __future__ import annotations

import re
from typing import Any

from portal.intake import StagedPackage
from portal.validation.inline import inline_references
from portal.validation.profiles_step import apply_profiles
from portal.validation.report import Finding, Report
from portal.validation.structural import normalize, validate_structure

DATASET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


def _name_findings(package: StagedPackage) -> list[Finding]:
    name = package.descriptor.get("name")
    if not isinstance(name, str) or not DATASET_NAME.match(name):
        return [Finding.make("package-name", "error", field="name", cell=str(name or ""))]
    return []


def validate_package(package: StagedPackage) -> tuple[Report, dict[str, Any]]:
    """Validate a staged package; return the report and the effective descriptor."""
    inlined, inline_findings = inline_references(package.descriptor, package.root)
    findings = _name_findings(package) + inline_findings
    if inline_findings:
        name = package.descriptor.get("name")
        return Report(str(name) if name else None, findings, []), inlined
    effective, profile_findings, profiles = apply_profiles(inlined, package.root)
    effective = normalize(effective)
    findings += profile_findings
    structural, summaries = validate_structure(effective, package.root)
    findings.extend(structural)
    for summary in summaries:
        summary.profile = profiles.get(summary.name)
    name = package.descriptor.get("name")
    report = Report(str(name) if name else None, findings, summaries)
    return report, effective
