"""`glasswall ckan push`: the published catalog into a CKAN portal, idempotently.

For each dataset the order is: package metadata (without the completion mark), then every
resource whose sha256 differs from CKAN's copy, then the completion mark (the manifest's
sha256) in the extras. A push cut off anywhere leaves the mark missing or old, so the next
run sees that package as unfinished and resumes with what is still different; a package
whose mark already equals the manifest is left untouched (its metadata_modified too).
Nothing on CKAN is deleted unless `prune` is asked for: not a package we no longer publish,
not a resource a new version dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.errors import FederationFailed
from portal.federation.client import CkanPortal
from portal.federation.mapping import (
    CKAN_NAME,
    COMPLETE_EXTRA,
    extras_of,
    organization_differs,
    organization_payload,
    package_payload,
    resource_payload,
)
from portal.metadata.ckan_dicts import package_name
from portal.metadata.snapshot import Published, Snapshot
from portal.progress import Counter, Progress
from portal.store import Store


@dataclass(frozen=True)
class Step:
    """One thing a push does (or, in a dry run, would do)."""

    action: str  # create_organization, update_organization, create_package, update_package,
    #              upload_resource, keep_resource, delete_resource, delete_package, unchanged
    target: str
    version: int | None = None  # the package's version, where a step names one
    size: int | None = None  # bytes of a file to upload (the catalogs say it in units)


@dataclass
class PushReport:
    steps: list[Step] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for s in self.steps if s.action == action)


@dataclass(frozen=True)
class PushOptions:
    agency: str | None = None
    dry_run: bool = False
    prune: bool = False
    link: bool = False
    base_url: str = ""  # the portal's public address: links and --link resource URLs


class Pusher:
    def __init__(self, store: Store, portal: CkanPortal, options: PushOptions) -> None:
        self.store, self.portal, self.options = store, portal, options
        self.report = PushReport()

    def step(
        self, action: str, target: str, version: int | None = None, size: int | None = None
    ) -> bool:
        """Record a step; True when it must really be done (not a dry run)."""
        self.report.steps.append(Step(action, target, version, size))
        return not self.options.dry_run

    def organization(self, published: Published) -> None:
        agency = published.agency
        remote = self.portal.find("organization_show", id=agency.slug)
        if remote is None:
            if self.step("create_organization", agency.slug):
                self.portal.call("organization_create", **organization_payload(agency))
        elif organization_differs(remote, agency) and self.step("update_organization", agency.slug):
            self.portal.call("organization_patch", id=remote["id"], **organization_payload(agency))

    def dataset(self, published: Published) -> None:
        v = published.version
        name = package_name(v.agency, v.dataset)
        if not CKAN_NAME.match(name):
            raise FederationFailed("ckan.bad_name", name=name)
        remote = self.portal.find("package_show", id=name)
        if remote is not None and extras_of(remote).get(COMPLETE_EXTRA) == v.manifest_sha256:
            self.step("unchanged", name, v.number)
            ours = {r.name for r in v.resources}
            self._stale(name, [r for r in remote.get("resources", []) if r["name"] not in ours])
            return
        payload = package_payload(published, self.options.base_url, complete=False)
        if remote is None:
            if self.step("create_package", name, v.number):
                remote = self.portal.call("package_create", **payload)
        elif self.step("update_package", name, v.number):
            remote = self.portal.call("package_patch", id=remote["id"], **payload)
        existing = {r["name"]: r for r in (remote or {}).get("resources", [])}
        for entry in v.resources:
            have = existing.pop(entry.name, None)
            if have is not None and have.get("hash") == entry.sha256:
                continue
            if self.step("upload_resource", f"{name}/{entry.name}", size=entry.bytes):
                self._resource(published, entry.name, remote, have)
        self._stale(name, list(existing.values()))
        if remote is not None and not self.options.dry_run:
            complete = package_payload(published, self.options.base_url, complete=True)
            self.portal.call("package_patch", id=remote["id"], extras=complete["extras"])

    def _stale(self, name: str, resources: list[dict[str, Any]]) -> None:
        """Resources the published version no longer has: kept, unless pruning."""
        for stale in resources:
            target = f"{name}/{stale['name']}"
            if not self.options.prune:
                self.step("keep_resource", target)
            elif self.step("delete_resource", target):
                self.portal.call("resource_delete", id=stale["id"])

    def _resource(
        self, published: Published, name: str, package: Any, existing: dict[str, Any] | None
    ) -> None:
        fields = resource_payload(published, name, self.options.base_url, self.options.link)
        target = {"id": existing["id"]} if existing else {"package_id": package["id"]}
        if self.options.link:
            action = "resource_patch" if existing else "resource_create"
            self.portal.call(action, **target, **fields)
            return
        entry = next(r for r in published.version.resources if r.name == name)
        path: Path = self.store.objects.path(entry.sha256)
        with path.open("rb") as handle:
            upload = {"upload": (f"{name}.csv", handle)}
            action = "resource_patch" if existing else "resource_create"
            self.portal.call(action, files=upload, **target, **fields)

    def prune(self, snapshot: Snapshot, organizations: set[str]) -> None:
        ours = {package_name(p.version.agency, p.version.dataset) for p in snapshot.datasets}
        for org in sorted(organizations):
            shown = self.portal.find("organization_show", id=org, include_datasets=True)
            for package in (shown or {}).get("packages", []):
                if package["name"] not in ours and self.step("delete_package", package["name"]):
                    self.portal.call("package_delete", id=package["id"])


def push(
    store: Store,
    snapshot: Snapshot,
    portal: CkanPortal,
    options: PushOptions,
    progress: Progress | None = None,
) -> PushReport:
    pusher = Pusher(store, portal, options)
    chosen = [p for p in snapshot.datasets if options.agency in (None, p.agency.slug)]
    if options.agency is not None and options.agency not in snapshot.agencies:
        raise FederationFailed("ckan.no_such_agency", agency=options.agency)
    done_orgs: set[str] = set()
    counter = Counter(progress, "datasets", len(chosen))
    for published in chosen:
        if published.agency.slug not in done_orgs:
            pusher.organization(published)
            done_orgs.add(published.agency.slug)
        pusher.dataset(published)
        counter.advance()
    counter.finish()
    if options.prune:
        pusher.prune(snapshot, done_orgs)
    return pusher.report
