"""DCAT-AP and schema.org descriptions name the same versions, files and checksums."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from starlette.testclient import TestClient

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.web.structured_data import script_json
from tests.packages import copy_sample, edit_descriptor

PREFIXES = ("dcat:", "dct:", "foaf:", "vcard:", "spdx:", "adms:", "owl:", "xsd:")


def _prefixes_used(node: object, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if ":" in key and not key.startswith("@"):
                found.add(key.split(":")[0])
            _prefixes_used(value, found)
    elif isinstance(node, list):
        for item in node:
            _prefixes_used(item, found)
    return found


def test_catalog_lists_every_dataset_with_checksummed_distributions(
    client: TestClient, samples: Store
) -> None:
    response = client.get("/catalog.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    assert document["@type"] == "dcat:Catalog"
    assert _prefixes_used(document, set()) <= set(document["@context"])
    datasets = document["dcat:dataset"]
    assert len(datasets) == len(catalog.datasets(samples.conn)) == 4
    for dataset in datasets:
        agency, _, name = dataset["dct:identifier"].partition("--")
        version = catalog.version(samples.conn, agency, name)
        assert version is not None and dataset["owl:versionInfo"] == str(version.number)
        assert {t["@language"] for t in dataset["dct:title"]} == {"fa", "en"}
        for distribution, entry in zip(
            dataset["dcat:distribution"], version.resources, strict=True
        ):
            assert distribution["spdx:checksum"]["spdx:checksumValue"] == entry.sha256
            url = distribution["dcat:downloadURL"]["@id"]
            body = client.get(url.removeprefix("http://testserver")).content
            assert hashlib.sha256(body).hexdigest() == entry.sha256


def test_per_dataset_documents(client: TestClient, samples: Store) -> None:
    path = "/catalog/mrud-yazd/infrastructure-projects.jsonld"
    dcat = client.get(path).json()
    assert dcat["@type"] == "dcat:Dataset" and "@context" in dcat
    assert dcat["dct:temporal"]["dcat:startDate"]["@value"]
    schema = client.get(path, params={"vocabulary": "schema.org"}).json()
    assert schema["@type"] == "Dataset" and schema["@context"] == "https://schema.org/"
    assert schema["distribution"][0]["contentUrl"].endswith("/1/projects.csv")
    assert schema["name"].startswith("طرح") and schema["inLanguage"] == ["fa", "en"]
    missing = client.get("/catalog/nobody/nothing.jsonld")
    assert missing.status_code == 404


def test_structured_data_cannot_close_its_script_element(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str, client: TestClient
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    hostile = "Projects </script><script>alert(1)</script> & more"
    edit_descriptor(folder, title=hostile)
    publish(store, folder, settings, token=yazd_token)
    schema = client.get(
        "/catalog/mrud-yazd/infrastructure-projects.jsonld", params={"vocabulary": "schema.org"}
    ).json()
    embedded = script_json(schema)
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert json.loads(embedded)["alternateName"] == hostile
