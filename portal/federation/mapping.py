"""A published dataset as the dicts CKAN's create/update actions take, and back.

The CKAN package carries what a CKAN user reads (title, notes, license, tags, the agency
as organization) and, in extras, what Glass Wall needs to rebuild the exact package on
the way back: the published descriptor itself, its version, manifest and log hashes.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypedDict

from portal.metadata.ckan_dicts import download_url, package_name
from portal.metadata.snapshot import Published
from portal.store.records import Agency

CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
CKAN_TAG = re.compile(r"^[\w \-.]{2,100}$")
DESCRIPTOR_EXTRA = "glasswall_descriptor"
COMPLETE_EXTRA = "glasswall_manifest_sha256"  # written last: a package without it is half pushed


class Extra(TypedDict):
    key: str
    value: str


class OrganizationPayload(TypedDict):
    """organization_create/organization_patch fields."""

    name: str
    title: str
    description: str
    extras: list[Extra]


class PackagePayload(TypedDict):
    """package_create/package_patch fields (resources are sent one by one)."""

    name: str
    title: str
    notes: str
    owner_org: str
    license_id: str
    version: str
    url: str
    maintainer: str
    maintainer_email: str
    tags: list[dict[str, str]]
    extras: list[Extra]


class ResourcePayload(TypedDict, total=False):
    """resource_create/resource_patch fields: flat strings and numbers, since an upload
    sends them as multipart form fields."""

    name: str
    description: str
    format: str
    mimetype: str
    hash: str
    size: int
    schema: str
    glasswall_path: str
    url: str  # a link instead of an upload (`push --link`)


def organization_payload(agency: Agency) -> OrganizationPayload:
    return {
        "name": agency.slug,
        "title": agency.title_fa,
        "description": f"{agency.title_fa}\n\n{agency.title_en}",
        "extras": [
            {"key": "title_fa", "value": agency.title_fa},
            {"key": "title_en", "value": agency.title_en},
        ],
    }


def organization_differs(remote: dict[str, Any], agency: Agency) -> bool:
    wanted = organization_payload(agency)
    extras = {e["key"]: e["value"] for e in remote.get("extras", [])}
    return (
        remote.get("title") != wanted["title"]
        or remote.get("description") != wanted["description"]
        or extras.get("title_en") != agency.title_en
    )


def _extras(published: Published, base_url: str, complete: bool) -> list[Extra]:
    d, report, v = published.descriptor, published.report, published.version
    values = {
        "title_fa": d.get("title_fa"),
        "notes_fa": d.get("description_fa"),
        "glasswall_version": v.number,
        "glasswall_source": f"{base_url}/dataset?dataset={v.agency}/{v.dataset}"
        if base_url
        else "",
        "quality_score": (report.get("score") or {}).get("total"),
        "validation_status": "success" if report.get("valid") else "failure",
        "validation_errors": report.get("errors", 0),
        "validation_warnings": report.get("warnings", 0),
        "log_entry_hash": published.log_hash,
        "sample_data": "true" if d.get("sample") else None,
        DESCRIPTOR_EXTRA: json.dumps(d, ensure_ascii=False, sort_keys=True),
        COMPLETE_EXTRA: v.manifest_sha256 if complete else None,
    }
    return [{"key": k, "value": str(x)} for k, x in values.items() if x not in (None, "")]


def package_payload(published: Published, base_url: str, *, complete: bool) -> PackagePayload:
    d, v = published.descriptor, published.version
    licenses = d.get("licenses") or [{}]
    contact = d.get("contact") or {}
    tags = [str(k) for k in d.get("keywords", []) if CKAN_TAG.match(str(k))]
    return {
        "name": package_name(v.agency, v.dataset),
        "title": str(d.get("title") or v.title),
        "notes": f"{d.get('description') or ''}\n\n{d.get('description_fa') or ''}".strip(),
        "owner_org": v.agency,
        "license_id": str(licenses[0].get("name") or "notspecified"),
        "version": str(v.number),
        "url": f"{base_url}/dataset?dataset={v.agency}/{v.dataset}" if base_url else "",
        "maintainer": str(contact.get("name") or ""),
        "maintainer_email": str(contact.get("email") or ""),
        "tags": [{"name": t} for t in tags],
        "extras": _extras(published, base_url, complete),
    }


def resource_payload(published: Published, name: str, base_url: str, link: bool) -> ResourcePayload:
    entry = next(r for r in published.version.resources if r.name == name)
    spec = published.resource_descriptor(name)
    payload: ResourcePayload = {
        "name": entry.name,
        "description": str(spec.get("title") or ""),
        "format": "CSV",
        "mimetype": entry.mediatype,
        "hash": entry.sha256,
        "size": entry.bytes,
        "schema": json.dumps(spec.get("schema") or {}, ensure_ascii=False),
        "glasswall_path": entry.path,
    }
    if link:
        payload["url"] = download_url(base_url, published, entry)
    return payload


def extras_of(package: dict[str, Any]) -> dict[str, str]:
    return {str(e["key"]): str(e["value"]) for e in package.get("extras", [])}
