"""`glasswall ckan pull`: harvest packages from a CKAN portal into a read-only mirror agency.

Every package goes through the same intake -> validation -> store pipeline as an upload.
A package pushed by Glass Wall carries its published descriptor, so it comes back exactly
(same bytes, same findings); any other CKAN package gets a descriptor built from CKAN's
fields, and is refused with the validator's findings when it is not complete enough.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from portal.config import Settings
from portal.errors import FederationFailed, GlassWallError, IntakeRefused, InvalidPackage
from portal.federation.client import CkanPortal
from portal.federation.mapping import DESCRIPTOR_EXTRA, extras_of
from portal.intake.descriptor_safety import check_descriptor, normalized
from portal.intake.leftovers import tag
from portal.intake.staging import DESCRIPTOR, Budget
from portal.metadata.datapackage import bare_sha256
from portal.progress import Counter, Progress
from portal.publishing.admission import operator
from portal.publishing.publish import publish_as
from portal.store import Store
from portal.store.agencies import add_mirror, mirror_source

PAGE = 100
_SAFE_NAME = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class Outcome:
    package: str
    status: str  # published, unchanged, refused
    version: int | None = None
    reason: dict[str, str] = field(default_factory=dict)


def _packages(portal: CkanPortal, org: str | None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    fq = f'organization:"{org}"' if org else ""
    while True:
        page = portal.call("package_search", fq=fq, rows=PAGE, start=len(found), sort="name asc")
        found += page["results"]
        if not page["results"] or len(found) >= page["count"]:
            return found


def _descriptor(package: dict[str, Any], agency: str) -> dict[str, Any]:
    """The package's own descriptor when Glass Wall pushed it; else one built from CKAN."""
    extras = extras_of(package)
    if DESCRIPTOR_EXTRA in extras:
        try:
            descriptor = json.loads(extras[DESCRIPTOR_EXTRA])
        except (ValueError, RecursionError):
            raise IntakeRefused("intake.descriptor_not_package", file=DESCRIPTOR_EXTRA) from None
        if not isinstance(descriptor, dict):
            raise IntakeRefused("intake.descriptor_not_package", file=DESCRIPTOR_EXTRA)
    else:
        descriptor = {
            "name": _SAFE_NAME.sub("-", str(package["name"]).lower()),
            "title": package.get("title") or package["name"],
            "description": package.get("notes") or "",
            "keywords": [t["name"] for t in package.get("tags", [])],
            "licenses": [
                {
                    "name": package.get("license_id") or "notspecified",
                    "path": package.get("license_url") or "",
                }
            ],
            "resources": [],
        }
        for resource in package.get("resources", []):
            name = _SAFE_NAME.sub("-", str(resource.get("name") or resource["id"]).lower())
            spec: dict[str, Any] = {"name": name, "path": f"data/{name}.csv", "format": "csv"}
            schema = resource.get("schema")
            if schema:
                spec["schema"] = json.loads(schema) if isinstance(schema, str) else schema
            descriptor["resources"].append(spec)
    descriptor["agency"] = agency
    return descriptor


def _target(folder: Path, relative: str) -> Path:
    """Where a checked relative path lands: inside `folder`, through no link, not the descriptor."""
    parts = normalized(relative).parts
    if not parts or parts == (DESCRIPTOR,):
        raise IntakeRefused("intake.path_escape", key="path", value=relative, where="resources")
    walk = folder
    for part in parts[:-1]:
        walk = walk / part
        if walk.is_symlink() or (walk.exists() and not walk.is_dir()):
            raise IntakeRefused("intake.symlink", file=relative)
        walk.mkdir(exist_ok=True)
    target = walk / parts[-1]
    if target.exists() or target.is_symlink():
        raise IntakeRefused("intake.zip_duplicate", file=relative)
    return target


def _fetch(
    portal: CkanPortal,
    package: dict[str, Any],
    descriptor: dict[str, Any],
    folder: Path,
    settings: Settings,
) -> None:
    """Check the remote descriptor as an upload's, then download within intake's budget."""
    if not isinstance(descriptor.get("resources"), list):
        raise IntakeRefused("intake.descriptor_not_package", file=DESCRIPTOR_EXTRA)
    check_descriptor(descriptor)
    remote = {str(r.get("name")): r for r in package.get("resources", [])}
    by_position = list(package.get("resources", []))
    budget = Budget(settings)
    for index, spec in enumerate(descriptor["resources"]):
        resource = remote.get(str(spec.get("name"))) or (
            by_position[index] if index < len(by_position) else None
        )
        if resource is None:
            raise IntakeRefused(
                "intake.resource_missing", resource=str(spec.get("name")), file=spec["path"]
            )
        target = _target(folder, str(spec["path"]))
        shown = str(spec["path"])
        budget.add_file(shown)
        url = str(resource.get("url") or "")
        actual = portal.download(url, target, partial(budget.add_bytes, name=shown))
        declared = bare_sha256(str(resource.get("hash") or ""))
        if len(declared) == 64 and actual != declared:
            raise FederationFailed("ckan.hash_mismatch", url=url[:200], sha256=declared)
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")


def _mirror(store: Store, portal: CkanPortal, agency: str, org: str | None) -> None:
    source = f"{portal.url} organization {org or '*'}"
    if store.agency(agency) is None:
        shown = portal.find("organization_show", id=org) if org else None
        title = (shown or {}).get("title") or agency
        store.run(add_mirror, agency, title, title, source)
    elif store.run(mirror_source, agency) is None:
        raise FederationFailed("ckan.not_a_mirror", agency=agency)


def pull(
    store: Store,
    settings: Settings,
    portal: CkanPortal,
    org: str | None,
    agency: str | None,
    progress: Progress | None = None,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    counter = Counter(progress, "packages")
    for package in _packages(portal, org):
        counter.advance()
        target = agency or (package.get("organization") or {}).get("name") or "ckan-mirror"
        _mirror(store, portal, target, org or target)
        try:
            descriptor = _descriptor(package, target)
            with tempfile.TemporaryDirectory(
                prefix=f"pull{tag()}", dir=_staging(settings)
            ) as folder:
                _fetch(portal, package, descriptor, Path(folder), settings)
                result = publish_as(store, Path(folder), settings, operator(store, target))
        except InvalidPackage as exc:
            errors = {f.code for f in exc.report.findings if f.severity == "error"}
            # unexplained cross-version changes are warnings: name them when no error is
            codes = sorted(errors or {f.code for f in exc.report.findings})
            reason = GlassWallError("ckan.refused_invalid", codes=", ".join(codes)).message
            outcomes.append(Outcome(package["name"], "refused", reason=reason))
            continue
        except GlassWallError as exc:
            if isinstance(exc, FederationFailed) and exc.key != "ckan.hash_mismatch":
                raise
            outcomes.append(Outcome(package["name"], "refused", reason=exc.message))
            continue
        status = "unchanged" if result.unchanged else "published"
        outcomes.append(Outcome(package["name"], status, result.published().number))
    counter.finish()
    return outcomes


def _staging(settings: Settings) -> Path:
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    return settings.staging_dir
