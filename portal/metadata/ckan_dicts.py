"""Published datasets as CKAN dicts: what ckanapi, harvesters and a CKAN portal expect.

Names follow CKAN's rules (`AGENCY--DATASET`, lowercase); ids are stable UUIDs derived
from the names, so the same dataset has the same id on every call and every portal
mirror. Both languages travel: `title`/`notes` hold the published English text and the
`*_translated` fields (ckanext-fluent's convention) hold Persian and English.
"""

from __future__ import annotations

import uuid
from typing import Any

from portal.metadata.datapackage import hash_text
from portal.metadata.descriptor import Descriptor
from portal.metadata.snapshot import Published
from portal.store.records import Agency, ResourceEntry

NAMESPACE = uuid.UUID("6f1c3d0e-9a57-4c1e-8d2b-7a1f0e6c2b11")


def package_name(agency: str, dataset: str) -> str:
    return f"{agency}--{dataset}"


def package_id(agency: str, dataset: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"package/{agency}/{dataset}"))


def organization_id(agency: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"organization/{agency}"))


def resource_id(agency: str, dataset: str, resource: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"resource/{agency}/{dataset}/{resource}"))


def ckan_time(iso: str) -> str:
    """CKAN writes UTC timestamps without an offset: `2026-11-22T04:43:26`."""
    return iso.replace("+00:00", "").replace("Z", "")


def organization_dict(agency: Agency, dataset_count: int | None = None) -> dict[str, Any]:
    org: dict[str, Any] = {
        "id": organization_id(agency.slug),
        "name": agency.slug,
        "title": agency.title_fa,
        "display_name": agency.title_fa,
        "title_translated": {"fa": agency.title_fa, "en": agency.title_en},
        "description": agency.title_en,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": ckan_time(agency.created_at),
    }
    if dataset_count is not None:
        org["package_count"] = dataset_count
    return org


def download_url(base_url: str, published: Published, entry: ResourceEntry) -> str:
    v = published.version
    return f"{base_url}/download/{v.agency}/{v.dataset}/{v.number}/{entry.name}.csv"


def resource_dict(
    base_url: str, published: Published, entry: ResourceEntry, position: int
) -> dict[str, Any]:
    v = published.version
    spec = published.resource_descriptor(entry.name)
    return {
        "id": resource_id(v.agency, v.dataset, entry.name),
        "package_id": package_id(v.agency, v.dataset),
        "name": entry.name,
        "description": str(spec.get("description") or spec.get("title") or ""),
        "description_fa": str(spec.get("title_fa") or ""),
        "format": "CSV",
        "mimetype": entry.mediatype,
        "url": download_url(base_url, published, entry),
        "url_type": None,
        "size": entry.bytes,
        "hash": hash_text(entry.sha256),  # frictionless reads a bare hex digest as md5
        "hash_algorithm": "sha256",
        "rows": entry.rows,
        "position": position,
        "state": "active",
        "created": ckan_time(v.created_at),
        "last_modified": ckan_time(v.created_at),
        "datastore_active": True,
        "schema": spec.get("schema"),
        "version": v.number,
    }


def _license(descriptor: Descriptor) -> dict[str, str]:
    licenses = descriptor.get("licenses") or [{}]
    first = licenses[0]
    return {
        "license_id": str(first.get("name") or "notspecified"),
        "license_title": str(first.get("title") or first.get("name") or ""),
        "license_url": str(first.get("path") or ""),
    }


def _extras(published: Published) -> list[dict[str, str]]:
    d, report, v = published.descriptor, published.report, published.version
    score = (report.get("score") or {}).get("total")
    pairs = {
        "title_fa": d.get("title_fa"),
        "notes_fa": d.get("description_fa"),
        "version": v.number,
        "versions": ",".join(str(n) for n in published.numbers),
        "quality_score": score,
        "validation_status": "success" if report.get("valid") else "failure",
        "validation_errors": report.get("errors", 0),
        "validation_warnings": report.get("warnings", 0),
        "manifest_sha256": v.manifest_sha256,
        "log_entry_hash": published.log_hash,
        "update_frequency": d.get("update_frequency"),
        "temporal_start": (d.get("temporal") or {}).get("start"),
        "temporal_end": (d.get("temporal") or {}).get("end"),
        "sample_data": "true" if d.get("sample") else None,
        **{key: ",".join(values) for key, values in published.facets.items()},
    }
    return [{"key": k, "value": str(val)} for k, val in pairs.items() if val not in (None, "")]


def package_dict(base_url: str, published: Published) -> dict[str, Any]:
    """The CKAN package dict of a published dataset's latest version."""
    d, v = published.descriptor, published.version
    contact = d.get("contact") or {}
    publisher = d.get("publisher") or {}
    keywords = [str(k) for k in d.get("keywords", [])]
    resources = [
        resource_dict(base_url, published, entry, position)
        for position, entry in enumerate(v.resources)
    ]
    return {
        "id": package_id(v.agency, v.dataset),
        "name": package_name(v.agency, v.dataset),
        "title": str(d.get("title") or v.title),
        "title_translated": {"fa": str(d.get("title_fa") or ""), "en": str(d.get("title") or "")},
        "notes": str(d.get("description") or ""),
        "notes_translated": {
            "fa": str(d.get("description_fa") or ""),
            "en": str(d.get("description") or ""),
        },
        "type": "dataset",
        "state": "active",
        "private": False,
        "version": str(v.number),
        "url": f"{base_url}/dataset?dataset={v.agency}/{v.dataset}",
        "author": str(publisher.get("name_fa") or published.agency.title_fa),
        "author_email": str(contact.get("email") or ""),
        "maintainer": str(contact.get("name") or ""),
        "maintainer_email": str(contact.get("email") or ""),
        **_license(d),
        "metadata_created": ckan_time(published.created_at),
        "metadata_modified": ckan_time(v.created_at),
        "owner_org": organization_id(v.agency),
        "organization": organization_dict(published.agency),
        "tags": [
            {"name": k, "display_name": k, "state": "active", "vocabulary_id": None}
            for k in keywords
        ],
        "num_tags": len(keywords),
        "groups": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "extras": _extras(published),
        "resources": resources,
        "num_resources": len(resources),
    }
