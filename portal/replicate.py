"""`glasswall replicate --from URL`: a read-only node fed by the writer's log and objects.

Each pass reads the writer's `/log.jsonl`, checks its hash chain and that the local log
is a prefix of it (a writer that rewrote history is refused, never followed), then for
each new entry fetches the manifest, descriptor, report, attachments and every resource
from `/objects/{sha256}`, keeps each only if it hashes to its name, and applies the
version locally (see `portal.store.replica`). Nothing is taken on trust: a changed
object or a broken chain stops the pass with the problem named, and nothing half-applied
becomes visible. The objects are immutable, so a CDN or cache in between is harmless.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from portal.errors import RemoteUnreachable
from portal.metadata.ckan_dicts import organization_id
from portal.metadata.tables import warm_tables
from portal.progress import Counter, Progress
from portal.store import Store, catalog
from portal.store.public_log import canonical, parse_log
from portal.store.replica import apply_publication, mark
from portal.store.verify import Problem, check_chain, problem

TIMEOUT = httpx.Timeout(60.0, connect=10.0)


@dataclass
class PullReport:
    applied: list[str] = field(default_factory=list)  # "agency/dataset@version"
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    unreachable: dict[str, str] | None = None  # the writer did not answer this pass


def _fetch(client: httpx.Client, store: Store, sha: str, where: str) -> Problem | None:
    """Store object `sha` from the writer if it is not here yet; a problem if it is wrong."""
    if store.objects.has(sha):
        return None
    url = f"/objects/{sha}"
    try:
        with client.stream("GET", url) as response:
            if response.status_code == 404:
                return problem("object_missing", where, sha256=sha)
            response.raise_for_status()
            size = store.objects.put_verified(response.iter_bytes(1024 * 1024), sha)
    except httpx.HTTPError as exc:
        raise RemoteUnreachable(
            "verify.remote_unreachable", url=f"{client.base_url}{url}", reason=str(exc)
        ) from None
    return problem("object_changed", f"{where} /objects/{sha}") if size is None else None


def _titles(client: httpx.Client, agency: str) -> tuple[str, str]:
    response = client.get(f"/api/3/action/organization_show?id={organization_id(agency)}")
    if response.status_code != 200:
        return agency, agency
    names = response.json()["result"].get("title_translated") or {}
    return str(names.get("fa") or agency), str(names.get("en") or agency)


def _objects_of(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    named = [("descriptor", manifest["descriptor"]), ("report", manifest["report"])]
    named += [(f"attachment {k}", v) for k, v in (manifest.get("attachments") or {}).items()]
    return named + [(r["name"], r["sha256"]) for r in manifest.get("resources", [])]


def _pull_entry(client: httpx.Client, store: Store, entry: dict[str, Any]) -> Problem | None:
    where = f"{entry.get('agency')}/{entry.get('dataset')}@{entry.get('version')}"
    if entry.get("type") != "publish":
        return problem("log_unreadable", f"log.jsonl:{entry.get('seq')}")
    sha = str(entry["manifest"])
    found = _fetch(client, store, sha, f"{where} manifest")
    if found:
        return found
    manifest = json.loads(store.objects.read_bytes(sha))
    if any(manifest.get(k) != entry.get(k) for k in ("agency", "dataset", "version")):
        return problem("manifest_mismatch", where)
    for name, object_sha in _objects_of(manifest):
        found = _fetch(client, store, str(object_sha), f"{where} {name}")
        if found:
            return found
    apply_publication(store, entry, _titles(client, str(entry["agency"])))
    applied = catalog.version(
        store.conn, str(entry["agency"]), str(entry["dataset"]), int(entry["version"])
    )
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
            report.applied.append(f"{entry['agency']}/{entry['dataset']}@{entry['version']}")
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
