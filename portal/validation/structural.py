"""Structural validation with frictionless-py semantics.

Until the fast engine lands this layer *is* frictionless-py, run on a staged package
whose references were already checked (descriptor_safety), so it cannot reach the
network or files outside staging.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package
from frictionless.errors import (
    CellError,
    Error,
    LabelError,
    RowError,
)

from portal.i18n import catalog
from portal.validation.report import Finding, ResourceSummary

# frictionless keeps only 1,000 errors by default and then skips end-of-file checks.
ERROR_LIMIT = 100_000
_CELL_ECHO = 200


def _finding(error: Error, resource: str | None) -> Finding:
    code = error.type
    key = f"finding.{code}" if f"finding.{code}" in catalog("en") else "finding.frictionless"
    row = getattr(error, "row_number", None) if isinstance(error, RowError) else None
    field_name = None
    cell = None
    if isinstance(error, CellError):
        field_name = error.field_name
        cell = str(error.cell)[:_CELL_ECHO]
    elif isinstance(error, LabelError):
        field_name = error.field_name or error.label
        row = error.row_numbers[0] if error.row_numbers else 1
    return Finding.make(
        code,
        "error",
        resource=resource,
        row=row,
        field=field_name,
        cell=cell,
        message_key=key,
        note=error.note,
        type=code,
    )


def validate_structure(
    descriptor: dict[str, Any], root: Path
) -> tuple[list[Finding], list[ResourceSummary]]:
    """Run frictionless on the staged package; return findings and per-resource row counts."""
    findings: list[Finding] = []
    summaries: list[ResourceSummary] = []
    try:
        package = Package(descriptor, basepath=str(root))
    except FrictionlessException as exception:
        # An invalid descriptor: frictionless lists each reason behind one error.
        reasons = exception.reasons or [exception.error]
        return [_finding(reason, None) for reason in reasons], summaries
    report = package.validate(limit_errors=ERROR_LIMIT)
    for error in report.errors:
        findings.append(_finding(error, None))
    for task in report.tasks:
        findings.extend(_finding(error, task.name) for error in task.errors)
        rows = task.stats.get("rows") if isinstance(task.stats, dict) else None
        summaries.append(ResourceSummary(task.name, str(task.place), None, rows))
    return findings, summaries
