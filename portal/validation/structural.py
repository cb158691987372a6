"""Structural validation with frictionless-py semantics, on the fast engine.

The descriptor itself (is it a valid Data Package?) is checked by frictionless's
metadata validation, which reads no data; every row is checked by the engine in
`portal.validation.table`, which reports what frictionless-py's `validate` reports
(a differential test keeps it so).

The metadata check (importing frictionless and its models: about 0.25 s) runs in a thread
while this one scans the tables' raw bytes for their shape (numpy, which lets go of the
interpreter): the two used to follow each other in every `glasswall validate`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.i18n import catalog
from portal.intake.descriptor_safety import normalized
from portal.validation.report import Finding, ResourceSummary, echoed
from portal.validation.table.arrow_setup import prepare_arrow
from portal.validation.table.dialect import pin_dialect
from portal.validation.table.errors import TableError
from portal.validation.table.package import ObserverFactory, validate_tables
from portal.validation.table.shape import TableLimits, check_shape

if TYPE_CHECKING:
    from frictionless import Error

TABULAR_FORMATS = {"csv", "tsv"}


@cache
def _message_key(code: str) -> str:
    key = f"finding.{code}"
    return key if key in catalog("en") else "finding.frictionless"


def _from_table(error: TableError, resource: str) -> Finding:
    # Made the fast way (`Finding.of`): a file with 10 % of rows in error has 116k.
    return Finding.of(
        error.code,
        "error",
        resource,
        error.row,
        error.field,
        echoed(error.cell or None),
        error.field_number,
        _message_key(error.code),
        (("note", error.note), ("type", error.code)),  # sorted, as make() keeps them
    )


def _from_metadata(error: Error) -> Finding:
    return Finding.make(
        error.type,
        "error",
        message_key=_message_key(error.type),
        note=error.note,
        type=error.type,
    )


def normalize(descriptor: dict[str, Any]) -> dict[str, Any]:
    """Declare what frictionless would otherwise guess: UTF-8 and the CSV dialect."""
    for resource in descriptor.get("resources", []):
        if isinstance(resource, dict):
            resource.setdefault("encoding", "utf-8")
            dialect = dict(resource["dialect"]) if isinstance(resource.get("dialect"), dict) else {}
            if _format(resource) == "tsv":
                dialect.setdefault("delimiter", "\t")
            resource["dialect"] = pin_dialect(dialect)
    return descriptor


def _format(resource: dict[str, Any]) -> str:
    declared = resource.get("format")
    if declared:
        return str(declared).lower()
    return str(resource.get("path", "")).rsplit(".", 1)[-1].lower()


@dataclass
class StructureResult:
    findings: list[Finding] = field(default_factory=list)
    summaries: list[ResourceSummary] = field(default_factory=list)
    undecodable: dict[str, Path] = field(default_factory=dict)  # resource -> file


def _shape_finding(resource: dict[str, Any], root: Path, limits: TableLimits) -> Finding | None:
    """A table too wide, too long a line or cell, or empty: said before any reader opens it."""
    path = root / normalized(str(resource["path"]))
    if not path.is_file():
        return None  # frictionless names the missing file
    delimiter = str((resource.get("dialect") or {}).get("delimiter") or ",")
    found = check_shape(path, delimiter, limits)
    if found is None:
        return None
    return Finding.make(
        found.code,
        "error",
        resource=str(resource.get("name")),
        row=found.row,
        size=found.size,
        limit=found.limit,
    )


def _metadata_findings(descriptor: dict[str, Any], root: Path) -> list[Finding]:
    """frictionless's verdict on the descriptor alone: no data is read."""
    from frictionless import FrictionlessException, Package

    try:
        Package(descriptor, basepath=str(root))
    except FrictionlessException as exception:
        reasons = exception.reasons or [exception.error]
        return [_from_metadata(reason) for reason in reasons]
    return []


def _shapes(
    descriptor: dict[str, Any], root: Path, limits: TableLimits
) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Findings of resources too wide, long, empty or not tabular; the tables to read."""
    findings: list[Finding] = []
    tables: list[dict[str, Any]] = []
    for resource in descriptor["resources"]:
        if _format(resource) in TABULAR_FORMATS:
            shape = _shape_finding(resource, root, limits)
            if shape is not None:
                findings.append(shape)
            else:
                tables.append(resource)
        else:
            findings.append(
                Finding.make(
                    "format-unsupported",
                    "error",
                    resource=str(resource.get("name")),
                    cell=_format(resource),
                )
            )
    return findings, tables


def validate_structure(
    descriptor: dict[str, Any],
    root: Path,
    observers: ObserverFactory | None = None,
    limits: TableLimits | None = None,
) -> StructureResult:
    """Structural findings, per-resource row counts and files that would not decode.

    An invalid descriptor gets frictionless's findings alone, as before the scans ran
    beside its check: a shape scan that failed on such a descriptor is not reported."""
    prepare_arrow()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="metadata") as pool:
        metadata = pool.submit(_metadata_findings, descriptor, root)
        try:
            shapes, tables = _shapes(descriptor, root, limits or TableLimits())
        except Exception:
            if metadata.result():
                return StructureResult(metadata.result())
            raise
        invalid = metadata.result()
    if invalid:
        return StructureResult(invalid)
    result = StructureResult(shapes)
    findings = result.findings
    tabular: dict[str, list[dict[str, Any]]] = {"resources": tables}
    for name, outcome in validate_tables(tabular, root, observers).items():
        findings.extend(_from_table(error, name) for error in outcome.errors)
        path = next(str(r["path"]) for r in tabular["resources"] if str(r.get("name")) == name)
        result.summaries.append(ResourceSummary(name, path, None, outcome.rows))
        if outcome.rows == 0 and outcome.labels:
            findings.append(Finding.make("table-no-rows", "error", resource=name))
        if outcome.encoding_error is not None:
            result.undecodable[name] = root / normalized(path)
    return result
