"""A published version's `datapackage.json` as tools read it from its download address.

The stored descriptor names the files as the upload had them (`data/projects.csv`), which
resolve to nothing beside `/download/{agency}/{dataset}/{version}/`. Served there, each
resource points at its own download (`projects.csv`, the exact published bytes) and carries
the published sha256 in the form frictionless reads (`sha256:<hex>`; a bare hex string is
taken as md5), so `frictionless validate URL` checks every table, its bytes and its hash.

Served under `latest/`, the descriptor names the version it resolved to (`version`, as Data
Package allows) and its paths are the URLs of that version's files: a publication landing
between fetching the descriptor and fetching the data would otherwise pair the old hashes
with the new bytes. frictionless takes a URL path as remote (no unsafe-path refusal).
"""

from __future__ import annotations

import copy

from portal.metadata.descriptor import Descriptor, ResourceSpec
from portal.store.records import ResourceEntry, Version

HASH_PREFIX = "sha256:"


def hash_text(sha256: str) -> str:
    """A sha256 as frictionless and the Data Package spec write it (`sha256:<hex>`)."""
    return f"{HASH_PREFIX}{sha256}"


def bare_sha256(text: str) -> str:
    """The hex digest of `sha256:<hex>` or of a bare hex digest (older answers)."""
    return text[len(HASH_PREFIX) :] if text.startswith(HASH_PREFIX) else text


def download_file(entry: ResourceEntry) -> str:
    """The file name of a resource's exact published bytes under its version's address."""
    return f"{entry.name}.csv"


def served_descriptor(
    descriptor: Descriptor, version: Version, pinned_at: str | None = None
) -> Descriptor:
    """The stored descriptor with paths relative to the download folder, hashes and sizes;
    given `pinned_at` (the version's own download folder URL, for `latest`), the paths are
    URLs there and `version` names the version."""
    served = copy.deepcopy(descriptor)
    if pinned_at is not None:
        served["version"] = str(version.number)
    entries = {entry.name: entry for entry in version.resources}
    resources: list[ResourceSpec] = []
    for resource in served.get("resources", []):
        entry = entries.get(str(resource.get("name"))) if isinstance(resource, dict) else None
        if entry is None:
            continue  # nothing stored under that name: no path to give
        name = download_file(entry)
        resource["path"] = name if pinned_at is None else f"{pinned_at.rstrip('/')}/{name}"
        resource["hash"] = hash_text(entry.sha256)
        resource["bytes"] = entry.bytes
        resources.append(resource)
    served["resources"] = resources
    return served
