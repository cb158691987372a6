"""intake -> validation -> store, as one step that either publishes a whole version or nothing.

An upload is a data package (folder, .zip, datapackage.json) or a workbook/CSV that
`portal.intake.sheets` turns into one; either way the agency profile fills what it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal.config import Settings
from portal.errors import Forbidden, InvalidPackage
from portal.intake.checked import (  # noqa: F401 (the validation result: callers import it here)
    ValidationResult,
    checked,
    validate_source,
)
from portal.intake.sheets.build import Built
from portal.intake.sheets.clerk import clerk_report
from portal.intake.sheets.options import SheetOptions
from portal.intake.staging import StagedPackage
from portal.names import check_name
from portal.progress import Progress
from portal.publishing.admission import Publisher, admit, operator
from portal.publishing.release_time import future, iso
from portal.store import Store
from portal.store.agency_profiles import load_profile
from portal.store.disk import refused_when_full
from portal.store.drafts import Draft, keep
from portal.store.members import four_eyes
from portal.store.records import Agency, Version
from portal.store.releases import Release, schedule
from portal.store.replica import source as replica_source
from portal.store.writer import NewResource, commit_version, put_parts, to_json_bytes
from portal.tables.reader import warm_tables
from portal.trust.explanations import Explanation
from portal.trust.publishing import trust_attachments
from portal.validation.report import Report
from portal.validation.rules.packs import rule_packs

MEDIATYPES = {".csv": "text/csv", ".json": "application/json", ".tsv": "text/tab-separated-values"}


@dataclass(frozen=True)
class PublishResult:
    """A published version, or (under four eyes, or from a preparer) a draft kept for
    approval: then `version` is None and nothing of it is public."""

    version: Version | None
    unchanged: bool
    report: Report
    built: Built | None = None
    filled: list[str] = field(default_factory=list)
    draft: Draft | None = None
    release: Release | None = None  # sealed for a later hour: public then, not now

    def published(self) -> Version:
        """The version, for callers that never keep drafts (operators, the samples)."""
        assert self.version is not None, "a draft was kept where a version was expected"
        return self.version


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


def publish_as(
    store: Store,
    source: Path,
    settings: Settings,
    member: Publisher,
    *,
    explanations: list[Explanation] | None = None,
    sheet: SheetOptions | None = None,
    fix: bool = False,
    progress: Progress | None = None,
    release_at: datetime | None = None,
) -> PublishResult:
    """Publish `source` for an admitted publisher (`portal.publishing.admission`: the CLI, the API
    and the Publish page admit first, once); a full disk met anywhere on the way is refused
    as `InsufficientStorage` (507, exit 1) and the writers leave nothing half-written."""
    if store.home.resolve() != settings.home.resolve():
        raise ValueError(f"store at {store.home} but settings for {settings.home}")
    with refused_when_full(store.home):
        return _publish(
            store,
            source,
            settings,
            member,
            explanations=explanations,
            sheet=sheet,
            fix=fix,
            progress=progress,
            release_at=release_at,
        )


def publish(
    store: Store,
    source: Path,
    settings: Settings,
    *,
    token: str | None = None,
    agency_slug: str | None = None,
    explanations: list[Explanation] | None = None,
    sheet: SheetOptions | None = None,
    fix: bool = False,
    progress: Progress | None = None,
    release_at: datetime | None = None,
) -> PublishResult:
    """`publish_as` for a script or test holding a token (not counted against the limit)
    or naming an agency as the operator; the ways in admit and call `publish_as`."""
    member = (
        admit(store, settings, token, count=False)
        if agency_slug is None
        else operator(store, agency_slug)
    )
    return publish_as(
        store,
        source,
        settings,
        member,
        explanations=explanations,
        sheet=sheet,
        fix=fix,
        progress=progress,
        release_at=release_at,
    )


def _publish(
    store: Store,
    source: Path,
    settings: Settings,
    member: Publisher,
    *,
    explanations: list[Explanation] | None = None,
    sheet: SheetOptions | None = None,
    fix: bool = False,
    progress: Progress | None = None,
    release_at: datetime | None = None,
) -> PublishResult:
    """Publish `source` for `member`'s agency.

    A dataset that already has a version is checked against it; every change found
    needs an explanation (`explanations`, or `explanations.yaml` in the package).
    `fix` applies a workbook's or CSV's corrections; each one is stored with the version.
    A preparer's upload, or any under the agency's four-eyes policy, is validated and kept
    as a draft for a second member to approve (`portal.publishing.approval`). With `release_at`
    the version is sealed now and published at that hour (`portal.store.releases`).
    """
    if release_at is not None:  # refused before the upload is read
        future(release_at, datetime.now(UTC))
    writer = replica_source(store.home)
    if writer is not None:  # a version made here would fork the writer's chain
        raise Forbidden("replica.read_only", source=writer)
    agency, signer = member.agency, member.signer
    profile = store.run(load_profile, agency.slug)
    with checked(
        source,
        settings,
        sheet=sheet,
        fix=fix,
        profile=profile,
        agency=agency.slug,
        progress=progress,
    ) as result:
        package, report, effective = result.package, result.report, result.effective
        _check_claim(package, agency)
        if not report.valid:
            clerk = clerk_report(report, result.built, result.filled) if result.built else None
            raise InvalidPackage(report, clerk)
        dataset = str(package.descriptor["name"])
        title = str(effective.get("title") or dataset)
        normalisation = result.normalisation()

        def attachments_for(latest: Version | None) -> dict[str, Any]:
            """Checked against `latest`: again under the writer's lock if it moved on."""
            rules = rule_packs(settings.validators)
            given = explanations or []
            found = trust_attachments(store, latest, package, effective, given, rules)
            if normalisation:
                found["normalisation"] = normalisation
            return found

        previous = store.version(agency.slug, dataset)
        if signer is not None and (signer.role == "preparer" or store.run(four_eyes, agency.slug)):
            check_name(dataset, "dataset")
            entries, hashes, attached = put_parts(
                store,
                effective,
                report.to_dict(),
                _resources(package, report),
                attachments_for(previous),
            )
            document = {
                "agency": agency.slug,
                "dataset": dataset,
                "title": title,
                "descriptor": hashes[0],
                "report": hashes[1],
                "resources": [entry.__dict__ for entry in entries],
                "attachments": attached,
                "checked_against": previous.number if previous else 0,
                "prepared_by": signer.public(),
                "release_at": iso(release_at) if release_at is not None else None,
            }
            draft = keep(store, signer, dataset, document)
            return PublishResult(None, False, report, result.built, result.filled, draft)
        if release_at is not None:
            check_name(dataset, "dataset")
            entries, hashes, attached = put_parts(
                store,
                effective,
                report.to_dict(),
                _resources(package, report),
                attachments_for(previous),
            )

            def recheck(latest: Version | None) -> dict[str, str]:
                found = attachments_for(latest).items()
                return {name: store.objects.put_bytes(to_json_bytes(doc)) for name, doc in found}

            sealed = schedule(
                store,
                agency.slug,
                dataset,
                title,
                release_at,
                (hashes, entries, attached),
                recheck,
                previous.number if previous else 0,
            )
            return PublishResult(None, False, report, result.built, result.filled, release=sealed)
        version, unchanged = commit_version(
            store,
            agency.slug,
            dataset,
            title,
            effective,
            report.to_dict(),
            _resources(package, report),
            attachments_for(previous),
            checked_against=previous.number if previous else 0,
            recheck=attachments_for,
        )
    if not unchanged:
        warm_tables(store, version)
    return PublishResult(version, unchanged, report, result.built, result.filled)
