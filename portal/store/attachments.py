"""Reading the JSON documents a version carries beside its data (see `writer.commit_version`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from portal.store.records import Version

if TYPE_CHECKING:
    from portal.store import Store


def manifest(store: Store, version: Version) -> dict[str, Any]:
    data = json.loads(store.objects.read_bytes(version.manifest_sha256))
    return data if isinstance(data, dict) else {}


def attachment(store: Store, version: Version, name: str) -> Any | None:
    """The attachment `name` of `version`, or None when the version has none by that name."""
    sha = manifest(store, version).get("attachments", {}).get(name)
    return json.loads(store.objects.read_bytes(sha)) if sha else None
