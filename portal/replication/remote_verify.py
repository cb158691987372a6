"""`glasswall verify --portal URL`: check a portal from outside, with nothing but HTTP.

Downloads the public log and every object it leads to (manifest -> descriptor, report,
data), re-hashes each one, checks the chain, and checks that the portal's catalog
serves what the log says. With a saved copy of the log (`--log-copy`), it also proves
that nothing before the copy was rewritten: the old log must be a prefix of the new one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from portal.errors import RemoteUnreachable
from portal.metadata.ckan_dicts import organization_id
from portal.metadata.datapackage import bare_sha256
from portal.store.agency_log import FACTS, facts_of
from portal.store.manifests import ManifestRefused, check_manifest
from portal.store.public_log import parse_log
from portal.store.verify import Problem, check_chain, problem

TIMEOUT = httpx.Timeout(60.0, connect=10.0)


@dataclass
class RemoteReport:
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    objects: int = 0
    bytes: int = 0


def _get(client: httpx.Client, path: str) -> httpx.Response:
    try:
        return client.get(path)
    except httpx.HTTPError as exc:
        raise RemoteUnreachable(
            "verify.remote_unreachable", url=f"{client.base_url}{path}", reason=str(exc)
        ) from None


def _object(client: httpx.Client, sha: str, where: str, report: RemoteReport) -> bytes | None:
    """An object's bytes if they hash to its name; a problem otherwise."""
    try:
        with client.stream("GET", f"/objects/{sha}") as response:
            if response.status_code == 404:
                report.problems.append(problem("object_missing", where, sha256=sha))
                return None
            response.raise_for_status()
            digest, chunks, keep = hashlib.sha256(), [], where.endswith(("manifest", "descriptor"))
            for chunk in response.iter_bytes(1024 * 1024):
                digest.update(chunk)
                report.bytes += len(chunk)
                if keep:
                    chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise RemoteUnreachable(
            "verify.remote_unreachable", url=f"{client.base_url}/objects/{sha}", reason=str(exc)
        ) from None
    report.objects += 1
    if digest.hexdigest() != sha:
        report.problems.append(problem("object_changed", f"{where} /objects/{sha}"))
        return None
    return b"".join(chunks)


def _check_publication(
    client: httpx.Client, entry: dict[str, Any], report: RemoteReport
) -> dict[str, Any] | None:
    """The logged manifest, with its descriptor under `"_descriptor"` when both are intact."""
    where = f"{entry.get('agency')}/{entry.get('dataset')}@{entry.get('version')}"
    data = _object(client, str(entry.get("manifest")), f"{where} manifest", report)
    if data is None:
        return None
    try:
        manifest = json.loads(data)
        check_manifest(manifest)
    except (ValueError, RecursionError):
        sha = str(entry.get("manifest"))
        report.problems.append(problem("document_unreadable", f"{where} manifest", sha256=sha))
        return None
    except ManifestRefused as refused:  # a portal serving what no writer writes
        key = "field_missing" if refused.missing else "field_refused"
        seq = f"log.jsonl:{entry.get('seq')} {where}"
        report.problems.append(problem(key, seq, field=refused.field, value=refused.value))
        return None
    same = all(manifest.get(k) == entry.get(k) for k in ("agency", "dataset", "version"))
    if not same:
        report.problems.append(problem("manifest_mismatch", where))
    descriptor = _object(client, manifest["descriptor"], f"{where} descriptor", report)
    _object(client, manifest["report"], f"{where} report", report)
    for resource in manifest.get("resources", []):
        _object(client, resource["sha256"], f"{where} {resource['name']}", report)
    manifest["_descriptor"] = json.loads(descriptor) if descriptor is not None else None
    checked: dict[str, Any] = manifest
    return checked


def _expected(manifest: dict[str, Any]) -> dict[str, Any]:
    """What package_show must say, derived from the logged manifest and descriptor alone."""
    descriptor = manifest.get("_descriptor") or {}
    first = (descriptor.get("licenses") or [{}])[0]
    title = descriptor.get("title") or manifest.get("title") or manifest["dataset"]
    return {
        "title": str(title),
        "notes": str(descriptor.get("description") or ""),
        "license_id": str(first.get("name") or "notspecified"),
        "version": str(manifest["version"]),
        "metadata_modified": str(manifest.get("created_at", "")).replace("+00:00", ""),
        "resources": [
            (r["name"], r["sha256"], r["bytes"], r.get("rows"), r.get("mediatype"))
            for r in manifest["resources"]
        ],
    }


def _served(package: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": package.get("title"),
        "notes": package.get("notes"),
        "license_id": package.get("license_id"),
        "version": package.get("version"),
        "metadata_modified": package.get("metadata_modified"),
        "resources": [
            (
                r.get("name"),
                bare_sha256(str(r.get("hash") or "")),
                r.get("size"),
                r.get("rows"),
                r.get("mimetype"),
            )
            for r in package.get("resources", [])
        ],
    }


def _check_catalog(
    client: httpx.Client, latest: dict[tuple[str, str], dict[str, Any]], report: RemoteReport
) -> None:
    """The CKAN API must serve, for each dataset, the newest logged version's files."""
    for (agency, dataset), manifest in latest.items():
        response = _get(client, f"/api/3/action/package_show?id={agency}/{dataset}")
        where = f"{agency}/{dataset}"
        if response.status_code != 200:
            report.problems.append(
                problem("catalog_differs", where, detail=f"HTTP {response.status_code}")
            )
            continue
        package = response.json()["result"]
        expected, served = _expected(manifest), _served(package)
        if manifest.get("_descriptor") is None:
            expected = {k: v for k, v in expected.items() if k in ("version", "resources")}
        for name, value in expected.items():
            if served[name] != value:
                report.problems.append(problem("catalog_fact_differs", where, field=name))


def _check_agencies(
    client: httpx.Client, facts: dict[str, dict[str, Any]], report: RemoteReport
) -> None:
    """The API must serve each agency's titles as the newest logged `agency` entry says."""
    for slug, entry in facts.items():
        response = _get(client, f"/api/3/action/organization_show?id={organization_id(slug)}")
        if response.status_code != 200:
            detail = f"HTTP {response.status_code}"
            report.problems.append(problem("catalog_differs", f"agencies/{slug}", detail=detail))
            continue
        served = response.json()["result"].get("title_translated") or {}
        for name in FACTS:
            if served.get(name.removeprefix("title_")) != entry.get(name):
                report.problems.append(problem("catalog_fact_differs", slug, field=name))


def _check_copy(log: bytes, copy: Path | None, report: RemoteReport) -> None:
    if copy is None:
        return
    if copy.exists():
        old = copy.read_bytes()
        if not log.startswith(old):
            kept = len(parse_log(old)[0])
            report.problems.append(problem("log_rewritten", f"log.jsonl:1-{kept}", copy=str(copy)))
            return
    temp = copy.with_name(copy.name + ".tmp")
    temp.write_bytes(log)
    temp.replace(copy)


def verify_portal(url: str, log_copy: Path | None = None) -> RemoteReport:
    report = RemoteReport()
    with httpx.Client(base_url=url.rstrip("/"), timeout=TIMEOUT, follow_redirects=True) as client:
        response = _get(client, "/log.jsonl")
        if response.status_code != 200:
            raise RemoteUnreachable(
                "verify.remote_unreachable",
                url=f"{url}/log.jsonl",
                reason=f"HTTP {response.status_code}",
            )
        log = response.content
        lines, fragment = parse_log(log)
        report.entries = len(lines)
        report.problems += check_chain(lines, fragment)
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for line in lines:
            if line.entry is None or line.entry.get("type") != "publish":
                continue
            manifest = _check_publication(client, line.entry, report)
            if manifest is not None:
                latest[(str(line.entry["agency"]), str(line.entry["dataset"]))] = manifest
        _check_catalog(client, latest, report)
        _check_agencies(client, facts_of(line.entry for line in lines if line.entry), report)
    if not report.problems:
        _check_copy(log, log_copy, report)
    else:
        _check_copy(log, None, report)
    return report
