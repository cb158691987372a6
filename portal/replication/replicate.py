"""`glasswall replicate --from URL`: a read-only node fed by the writer's log and objects.

Each pass reads the writer's `/log.jsonl`, checks its hash chain and that the local log
is a prefix of it (a writer that rewrote history is refused, never followed), then for
each new entry fetches the manifest, descriptor, report, attachments and every resource
from `/objects/{sha256}`, keeps each only if it hashes to its name, and applies the
version locally (see `portal.store.replica`). A sealed entry proves only that the writer
said it: before anything is applied, the manifest is held to the writer's own rules
(`portal.store.manifests`: names, agency slug, safe relative paths, every key typed), the
descriptor to intake's (`portal.intake.descriptor_safety`), the version must be exactly the last
one here plus one, and each resource is read no further than the byte count its manifest
lists (JSON documents no further than `MAX_DOCUMENT_BYTES`). Nothing is taken on trust: a changed
object or a broken chain stops the pass with the problem named, and nothing half-applied
becomes visible. The objects are immutable, so a CDN or cache in between is harmless.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from portal.errors import GlassWallError, RemoteUnreachable
from portal.i18n import LANGUAGES, text
from portal.intake.descriptor_safety import check_descriptor
from portal.metadata.ckan_dicts import organization_id
from portal.progress import Counter, Progress
from portal.store import Store
from portal.store.agency_log import ENTRY_TYPE
from portal.store.manifests import (
    MAX_DOCUMENT_BYTES,
    Manifest,
    ManifestRefused,
    PublishEntry,
    check_agency_entry,
    check_entry,
    check_manifest,
)
from portal.store.public_log import canonical, parse_log
from portal.store.releases import CALENDAR
from portal.store.replica import apply_agency, apply_calendar, apply_publication, mark
from portal.store.verify import Problem, check_chain, problem
from portal.tables.reader import warm_tables

TIMEOUT = httpx.Timeout(60.0, connect=10.0)
MAX_TITLE = 500  # an agency title from the writer's API, in characters


@dataclass
class PullReport:
    applied: list[str] = field(default_factory=list)  # "agency/dataset@version"
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    unreachable: dict[str, str] | None = None  # the writer did not answer this pass


class _TooLarge(Exception):
    """More bytes arrived than the manifest (or the document bound) allows."""


def _bounded(chunks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    """The chunks, stopping as soon as one goes past `limit` bytes in all."""
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        yield chunk


def _fetch(
    client: httpx.Client, store: Store, sha: str, where: str, listed: int | None = None
) -> Problem | None:
    """Store object `sha` from the writer if it is not here yet; a problem if it is wrong.

    A resource is read up to the byte count its manifest lists (plus one, to see a longer
    one), a JSON document up to `MAX_DOCUMENT_BYTES`, before its hash is checked."""
    limit = MAX_DOCUMENT_BYTES if listed is None else listed
    if store.objects.has(sha):
        size = store.objects.path(sha).stat().st_size
    else:
        url = f"/objects/{sha}"
        try:
            with client.stream("GET", url) as response:
                if response.status_code == 404:
                    return problem("object_missing", where, sha256=sha)
                response.raise_for_status()
                chunks = _bounded(response.iter_bytes(1024 * 1024), limit)
                found = store.objects.put_verified(chunks, sha)
        except _TooLarge:
            return problem("object_too_large", where, sha256=sha, limit=limit)
        except httpx.HTTPError as exc:
            raise RemoteUnreachable(
                "verify.remote_unreachable", url=f"{client.base_url}{url}", reason=str(exc)
            ) from None
        if found is None:
            return problem("object_changed", f"{where} /objects/{sha}")
        size = found
    if listed is not None and size != listed:
        return problem("object_size_differs", where, sha256=sha, size=size, listed=listed)
    return None


def _titles(client: httpx.Client, agency: str) -> tuple[str, str]:
    """The agency's titles as the writer's API shows them (its slug when they are unusable)."""
    try:
        response = client.get(f"/api/3/action/organization_show?id={organization_id(agency)}")
        names = response.json()["result"].get("title_translated") or {}
        fa, en = names.get("fa"), names.get("en")
    except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError):
        return agency, agency

    def usable(title: object) -> str:
        ok = isinstance(title, str) and title.strip() and len(title) <= MAX_TITLE
        return str(title) if ok else agency

    return usable(fa), usable(en)


def _document(store: Store, sha: str) -> Any:
    """A fetched JSON document, or None when it is not JSON."""
    try:
        return store.json_object(sha)
    except (ValueError, RecursionError):
        return None


def _refusal(where: str, refused: ManifestRefused) -> Problem:
    key = "field_missing" if refused.missing else "field_refused"
    return problem(key, where, field=refused.field, value=refused.value)


def _descriptor_problem(store: Store, manifest: Manifest, where: str) -> Problem | None:
    descriptor = _document(store, manifest.descriptor)
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return problem("document_unreadable", f"{where} descriptor", sha256=manifest.descriptor)
    try:
        check_descriptor(descriptor)
    except GlassWallError as error:
        message = {
            lang: text("verify.descriptor_refused", lang, where=where, reason=error.message[lang])
            for lang in LANGUAGES
        }
        return Problem("descriptor_refused", where, message)
    return None


def _continuity(store: Store, entry: PublishEntry, where: str) -> Problem | None:
    """A dataset's versions arrive one by one: exactly the last one here plus one."""
    latest = store.version(entry.agency, entry.dataset)
    previous = latest.number if latest else 0
    names = {"agency": entry.agency, "dataset": entry.dataset, "version": entry.version}
    if entry.version <= previous:
        return problem("version_duplicate", where, **names)
    if entry.version != previous + 1:
        return problem("version_gap", where, previous=previous, **names)
    return None


def _checked_manifest(
    client: httpx.Client, store: Store, entry: PublishEntry, where: str
) -> Manifest | Problem:
    """The entry's manifest fetched (bounded), parsed and held to the writer's rules."""
    found = _fetch(client, store, entry.manifest, f"{where} manifest")
    if found:
        return found
    data = _document(store, entry.manifest)
    if data is None:
        return problem("document_unreadable", f"{where} manifest", sha256=entry.manifest)
    try:
        manifest = check_manifest(data)
    except ManifestRefused as refused:
        return _refusal(where, refused)
    if (manifest.agency, manifest.dataset, manifest.version) != (
        entry.agency,
        entry.dataset,
        entry.version,
    ):
        return problem("manifest_mismatch", where)
    return manifest


def _pull_entry(client: httpx.Client, store: Store, entry: dict[str, Any]) -> Problem | None:
    """Check everything the entry leads to, then apply it: all of it or nothing."""
    where = f"log.jsonl:{entry.get('seq')}"
    if entry.get("type") == ENTRY_TYPE:
        try:
            check_agency_entry(entry)
        except ManifestRefused as refused:
            return _refusal(where, refused)
        apply_agency(store, entry)
        return None
    if entry.get("type") in CALENDAR:
        apply_calendar(store, entry)
        return None
    if entry.get("type") != "publish":
        return problem("log_unreadable", where)
    try:
        checked = check_entry(entry)
    except ManifestRefused as refused:
        return _refusal(where, refused)
    where = f"{where} {checked.agency}/{checked.dataset}@{checked.version}"
    found = _continuity(store, checked, where)
    if found:
        return found
    manifest = _checked_manifest(client, store, checked, where)
    if isinstance(manifest, Problem):
        return manifest
    for sha, name in ((manifest.descriptor, "descriptor"), (manifest.report, "report")):
        found = _fetch(client, store, sha, f"{where} {name}")
        if found:
            return found
        if not isinstance(_document(store, sha), dict):
            return problem("document_unreadable", f"{where} {name}", sha256=sha)
    found = _descriptor_problem(store, manifest, where)
    if found:
        return found
    for name, sha in (manifest.attachments or {}).items():
        found = _fetch(client, store, sha, f"{where} attachment {name}")
        if found:
            return found
        if _document(store, sha) is None:
            return problem("document_unreadable", f"{where} attachment {name}", sha256=sha)
    for resource in manifest.resources:
        found = _fetch(client, store, resource.sha256, f"{where} {resource.name}", resource.bytes)
        if found:
            return found
    apply_publication(store, entry, _titles(client, checked.agency))
    applied = store.version(checked.agency, checked.dataset, checked.version)
    if applied is not None:  # the first page run here maps Arrow, as on the writer
        warm_tables(store, applied)
    return None


def pull(store: Store, url: str, progress: Progress | None = None) -> PullReport:
    """One pass: apply every version the writer logged since the last one applied here."""
    report = PullReport()
    mark(store, url)
    with httpx.Client(base_url=url.rstrip("/"), timeout=TIMEOUT) as client:
        try:
            response = client.get("/log.jsonl")
        except httpx.HTTPError as exc:
            raise RemoteUnreachable(
                "verify.remote_unreachable", url=f"{url}/log.jsonl", reason=str(exc)
            ) from None
        if response.status_code != 200:
            raise RemoteUnreachable(
                "verify.remote_unreachable", url=response.url, reason=f"HTTP {response.status_code}"
            )
        remote, _ = parse_log(response.content)  # a line still being written waits a pass
        report.entries = len(remote)
        report.problems = check_chain(remote, "")
        local, _ = store.log.read()
        prefix = len(local) <= len(remote) and all(
            mine.raw == theirs.raw for mine, theirs in zip(local, remote, strict=False)
        )
        if not prefix:
            report.problems.append(problem("log_rewritten", "log.jsonl", copy=str(store.log.path)))
        counter = Counter(progress, "versions", max(len(remote) - len(local), 0))
        for line in remote[len(local) :]:
            counter.advance()
            if report.problems:
                break
            if line.entry is None or canonical(line.entry) != line.raw:
                report.problems.append(problem("log_unreadable", f"log.jsonl:{line.number}"))
                break
            found = _pull_entry(client, store, line.entry)
            if found:
                report.problems.append(found)
                break
            entry = line.entry
            if entry.get("type") == "publish":
                report.applied.append(f"{entry['agency']}/{entry['dataset']}@{entry['version']}")
            else:  # an agency's titles, or a calendar entry
                report.applied.append(str(entry["agency"]))
        if len(remote) > len(local):
            counter.finish()
    return report


def follow(
    store: Store,
    url: str,
    interval: float,
    on_pass: Callable[[PullReport], None],
    passes: int | None = None,
    progress: Progress | None = None,
) -> PullReport:
    """Pull every `interval` seconds until a problem (returned) or `passes` passes."""
    count = 0
    while True:
        try:
            report = pull(store, url, progress)
        except RemoteUnreachable as error:  # the writer restarting: try again next pass
            report = PullReport(unreachable=error.message)
        on_pass(report)
        if report.problems:
            return report
        count += 1
        if passes is not None and count >= passes:
            return report
        time.sleep(interval)
