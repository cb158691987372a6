"""intake -> validation -> store, as one step that either publishes a whole version or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal.config import Settings
from portal.errors import Forbidden, InvalidPackage, NotFound
from portal.intake import StagedPackage, staged
from portal.store import Store, catalog
from portal.store.records import Agency, Version
from portal.store.replica import source as replica_source
from portal.store.tokens import authenticate
from portal.store.writer import NewResource, commit_version
from portal.trust.explanations import Explanation
from portal.trust.publishing import trust_attachments
from portal.validation.engine import validate_package
from portal.validation.fixer import Change, write_fixed_copy
from portal.validation.report import Report

MEDIATYPES = {".csv": "text/csv", ".json": "application/json", ".tsv": "text/tab-separated-values"}


@dataclass(frozen=True)
class ValidationResult:
    report: Report
    changes: list[Change]


@dataclass(frozen=True)
class PublishResult:
    version: Version
    unchanged: bool
    report: Report


def validate_source(
    source: Path, settings: Settings, fix_to: Path | None = None
) -> ValidationResult:
    """Stage and validate without storing anything; optionally write a corrected copy."""
    with staged(source, settings) as package:
        report, _ = validate_package(package)
        changes = write_fixed_copy(package, report, fix_to) if fix_to is not None else []
        return ValidationResult(report, changes)


def _check_claim(package: StagedPackage, agency: Agency) -> None:
    """A package that names an agency may only be published by that agency's token."""
    claimed = package.descriptor.get("agency")
    if claimed is not None and claimed != agency.slug:
        raise Forbidden("publish.other_agency", claimed=str(claimed), agency=agency.slug)


def _resources(package: StagedPackage, report: Report) -> list[NewResource]:
    resources = []
    for index, resource in enumerate(package.descriptor["resources"]):
        name = str(resource.get("name") or f"resource-{index + 1}")
        path = str(resource["path"])
        mediatype = resource.get("mediatype") or MEDIATYPES.get(
            Path(path).suffix.lower(), "application/octet-stream"
        )
        resources.append(
            NewResource(name, path, package.file(path), str(mediatype), report.rows_of(name))
        )
    return resources


def publish(
    store: Store,
    source: Path,
    settings: Settings,
    *,
    token: str | None = None,
    agency_slug: str | None = None,
    explanations: list[Explanation] | None = None,
) -> PublishResult:
    """Publish `source` for the token's agency (or, for operators, the named agency).

    A dataset that already has a version is checked against it; every change found
    needs an explanation (`explanations`, or `explanations.yaml` in the package).
    """
    writer = replica_source(store.home)
    if writer is not None:  # a version made here would fork the writer's chain
        raise Forbidden("replica.read_only", source=writer)
    if agency_slug is None:
        agency = authenticate(store.conn, token)
    else:
        found = catalog.agency(store.conn, agency_slug)
        if found is None:
            raise NotFound("agency.not_found", agency=agency_slug)
        agency = found
    with staged(source, settings) as package:
        _check_claim(package, agency)
        report, effective = validate_package(package, agency=agency.slug)
        if not report.valid:
            raise InvalidPackage(report)
        dataset = str(package.descriptor["name"])
        title = str(effective.get("title") or dataset)
        previous = catalog.version(store.conn, agency.slug, dataset)
        attachments = trust_attachments(store, previous, package, effective, explanations or [])
        version, unchanged = commit_version(
            store,
            agency.slug,
            dataset,
            title,
            effective,
            report.to_dict(),
            _resources(package, report),
            attachments,
        )
    return PublishResult(version, unchanged, report)
