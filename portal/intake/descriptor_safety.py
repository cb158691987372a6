"""Checks on an untrusted `datapackage.json` before any library opens it.

frictionless-py follows http(s) URLs (resource path, schema, dialect, profile,
`$schema`) and would read local files named by absolute paths or `file:` URLs, so
every such reference is checked here first. Only relative paths that stay inside the
package are allowed, plus the official Data Package profile identifiers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from portal.errors import IntakeRefused
from portal.names import check_name

REFERENCE_KEYS = ("path", "schema", "dialect", "profile", "$schema")
NAMED_PROFILES = {
    "data-package",
    "tabular-data-package",
    "data-resource",
    "tabular-data-resource",
    "table-schema",
}
OFFICIAL_PROFILE = re.compile(
    r"^https://datapackage\.org/profiles/(1\.0|2\.0)/"
    r"(datapackage|dataresource|tableschema|tabledialect)\.json$"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def load_descriptor(path: Path, shown_as: str = "datapackage.json") -> dict[str, Any]:
    """Parse the descriptor, saying where it is broken when it is."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise IntakeRefused("intake.descriptor_missing", file=shown_as) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise IntakeRefused("intake.descriptor_encoding", file=shown_as) from None
    except json.JSONDecodeError as error:
        raise IntakeRefused(
            "intake.descriptor_unparsable",
            file=shown_as,
            line=error.lineno,
            column=error.colno,
            reason=error.msg,
        ) from None
    except RecursionError:
        raise IntakeRefused("intake.descriptor_too_deep", file=shown_as) from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise IntakeRefused("intake.descriptor_not_package", file=shown_as)
    return data


def check_reference(value: str, key: str, where: str) -> None:
    """Refuse a URL, an absolute path or a path that climbs out of the package."""
    if key == "profile" and value in NAMED_PROFILES:
        return
    if key in ("$schema", "profile") and OFFICIAL_PROFILE.match(value):
        return
    if value.startswith(("/", "\\")) or _DRIVE.match(value):
        raise IntakeRefused("intake.absolute_path", key=key, value=value, where=where)
    if _SCHEME.match(value):
        name = "intake.file_url" if value.lower().startswith("file:") else "intake.remote_url"
        raise IntakeRefused(name, key=key, value=value, where=where)
    parts = value.replace("\\", "/").split("/")
    if len(value.encode("utf-8", "replace")) > 1024 or any(
        len(part.encode("utf-8", "replace")) > 255 for part in parts
    ):
        raise IntakeRefused("intake.name_too_long", file=value[:80] + "…", limit=255)
    if ".." in parts:
        raise IntakeRefused("intake.path_escape", key=key, value=value, where=where)
    if "\x00" in value:
        raise IntakeRefused("intake.path_escape", key=key, value=value, where=where)


def _check_keys(node: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in keys:
        value = node.get(key)
        if isinstance(value, str):
            check_reference(value, key, f"{where}.{key}")


def _check_references(descriptor: dict[str, Any]) -> None:
    """The places frictionless may open: package profile, and each resource's references.

    `licenses[].path` and `sources[].path` are links for people, never opened, so
    they may be URLs.
    """
    _check_keys(descriptor, ("profile", "$schema"), "datapackage")
    for index, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            continue
        where = f"resources[{index}]"
        _check_keys(resource, REFERENCE_KEYS, where)
        for key in ("schema", "dialect"):
            inner = resource.get(key)
            if isinstance(inner, dict):
                _check_keys(inner, ("profile", "$schema", "path"), f"{where}.{key}")


def resource_label(resource: Any, index: int) -> str:
    name = resource.get("name") if isinstance(resource, dict) else None
    return str(name) if name else f"resources[{index}]"


def check_descriptor(descriptor: dict[str, Any]) -> None:
    """Every reference safe; every resource a file of this package (no inline data)."""
    _check_references(descriptor)
    for index, resource in enumerate(descriptor["resources"]):
        label = resource_label(resource, index)
        if not isinstance(resource, dict):
            raise IntakeRefused("intake.resource_not_object", resource=label)
        if "name" in resource:
            check_name(resource["name"], "resource")
        if "data" in resource:
            raise IntakeRefused("intake.inline_data", resource=label)
        path = resource.get("path")
        if isinstance(path, list):
            raise IntakeRefused("intake.multipart", resource=label)
        if not (isinstance(path, str) and path):
            raise IntakeRefused("intake.resource_no_path", resource=label)


def referenced_files(descriptor: dict[str, Any]) -> list[tuple[str, str]]:
    """(resource label, relative path) of every file the descriptor names."""
    files: list[tuple[str, str]] = []
    for index, resource in enumerate(descriptor["resources"]):
        label = resource_label(resource, index)
        files.append((label, resource["path"]))
        for key in ("schema", "dialect"):
            if isinstance(resource.get(key), str):
                files.append((label, resource[key]))
    return files


def normalized(relative: str) -> PurePosixPath:
    return PurePosixPath(relative.replace("\\", "/"))
