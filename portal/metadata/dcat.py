"""DCAT-AP 3 (JSON-LD) for harvesters and schema.org `Dataset` for dataset search engines.

Both are built from the same published snapshot as the CKAN API, so every description
of a dataset names the same version, files and checksums.
"""

from __future__ import annotations

from typing import Any

from portal.i18n import bilingual
from portal.metadata.ckan_dicts import download_url, package_name
from portal.metadata.descriptor import Descriptor
from portal.metadata.snapshot import Published, Snapshot

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcatap": "http://data.europa.eu/r5r/",
}
IRAN = "http://publications.europa.eu/resource/authority/country/IRN"


def _texts(fa: Any, en: Any) -> list[dict[str, str]]:
    return [
        {"@value": str(value), "@language": lang}
        for lang, value in (("fa", fa), ("en", en))
        if value
    ]


def _date(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:dateTime"}


def dataset_uri(base_url: str, published: Published) -> str:
    return f"{base_url}/catalog/{published.version.agency}/{published.version.dataset}.jsonld"


def dcat_dataset(base_url: str, published: Published) -> dict[str, Any]:
    d, v, agency = published.descriptor, published.version, published.agency
    contact = d.get("contact") or {}
    temporal = d.get("temporal") or {}
    distributions = []
    for entry in v.resources:
        url = download_url(base_url, published, entry)
        distributions.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": entry.name,
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dct:format": {
                    "@id": "http://publications.europa.eu/resource/authority/file-type/CSV"
                },
                "dcat:mediaType": {
                    "@id": f"https://www.iana.org/assignments/media-types/{entry.mediatype}"
                },
                "dcat:byteSize": {"@value": str(entry.bytes), "@type": "xsd:nonNegativeInteger"},
                "spdx:checksum": {
                    "@type": "spdx:Checksum",
                    "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                    "spdx:checksumValue": entry.sha256,
                },
                "dct:license": {"@id": _license_url(d)},
                "dct:issued": _date(v.created_at),
            }
        )
    dataset: dict[str, Any] = {
        "@id": dataset_uri(base_url, published),
        "@type": "dcat:Dataset",
        "dct:identifier": package_name(v.agency, v.dataset),
        "dct:title": _texts(d.get("title_fa"), d.get("title")),
        "dct:description": _texts(d.get("description_fa"), d.get("description")),
        "dcat:keyword": [{"@value": str(k)} for k in d.get("keywords", [])],
        "dct:publisher": {
            "@id": f"{base_url}/agencies?agency={agency.slug}",
            "@type": "foaf:Organization",
            "foaf:name": _texts(agency.title_fa, agency.title_en),
        },
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": str(contact.get("name") or agency.title_en),
            **(
                {"vcard:hasEmail": {"@id": f"mailto:{contact['email']}"}}
                if contact.get("email")
                else {}
            ),
        },
        "dct:issued": _date(published.created_at),
        "dct:modified": _date(v.created_at),
        "owl:versionInfo": str(v.number),
        "adms:versionNotes": {"@value": f"manifest sha256 {v.manifest_sha256}", "@language": "en"},
        "dct:spatial": {"@id": IRAN},
        "dcat:landingPage": {"@id": f"{base_url}/dataset?dataset={v.agency}/{v.dataset}"},
        "dcat:distribution": distributions,
    }
    if d.get("update_frequency"):
        dataset["dct:accrualPeriodicity"] = {"@value": str(d["update_frequency"])}
    if temporal.get("start"):
        dataset["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": temporal["start"], "@type": "xsd:date"},
            **(
                {"dcat:endDate": {"@value": temporal["end"], "@type": "xsd:date"}}
                if temporal.get("end")
                else {}
            ),
        }
    return dataset


def _license_url(descriptor: Descriptor) -> str:
    licenses = descriptor.get("licenses") or [{}]
    return str(licenses[0].get("path") or licenses[0].get("name") or "")


def dcat_catalog(base_url: str, snapshot: Snapshot) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@id": f"{base_url}/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _texts(**bilingual("dcat.catalog_title")),
        "dct:description": _texts(**bilingual("dcat.catalog_description")),
        "foaf:homepage": {"@id": f"{base_url}/"},
        "dct:language": [
            {"@id": "http://publications.europa.eu/resource/authority/language/FAS"},
            {"@id": "http://publications.europa.eu/resource/authority/language/ENG"},
        ],
        "dcat:dataset": [dcat_dataset(base_url, p) for p in snapshot.datasets],
    }


def dcat_document(base_url: str, published: Published) -> dict[str, Any]:
    return {"@context": CONTEXT, **dcat_dataset(base_url, published)}


def schema_org(base_url: str, published: Published) -> dict[str, Any]:
    """schema.org `Dataset`, the vocabulary dataset search engines read."""
    d, v, agency = published.descriptor, published.version, published.agency
    temporal = d.get("temporal") or {}
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": dataset_uri(base_url, published),
        "name": str(d.get("title_fa") or d.get("title") or v.title),
        "alternateName": str(d.get("title") or ""),
        "description": str(d.get("description_fa") or d.get("description") or ""),
        "inLanguage": ["fa", "en"],
        "url": f"{base_url}/dataset?dataset={v.agency}/{v.dataset}",
        "identifier": package_name(v.agency, v.dataset),
        "version": str(v.number),
        "keywords": [str(k) for k in d.get("keywords", [])],
        "license": _license_url(d),
        "isAccessibleForFree": True,
        "datePublished": published.created_at,
        "dateModified": v.created_at,
        **(
            {"temporalCoverage": f"{temporal['start']}/{temporal.get('end', '..')}"}
            if temporal.get("start")
            else {}
        ),
        "spatialCoverage": {"@type": "Place", "name": "Iran"},
        "creator": {
            "@type": "GovernmentOrganization",
            "name": agency.title_fa,
            "alternateName": agency.title_en,
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": entry.name,
                "encodingFormat": "text/csv",
                "contentUrl": download_url(base_url, published, entry),
                "contentSize": str(entry.bytes),
                "sha256": entry.sha256,
            }
            for entry in v.resources
        ],
    }
