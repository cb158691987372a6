"""Data profiles: which resources are projects or indicator series, and their Table Schemas.

A package's profile follows from its resource names (`projects`; `indicators` +
`observations`), and a table with a profile's required columns must carry that name
(`resembled`), so a renamed projects table cannot slip past the profile. Codelists live as
CSV beside the schemas and become `enum` constraints when a schema is loaded, so a codelist
has one source of truth.
"""

from __future__ import annotations

import copy
import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

__all__ = [
    "CODELISTS_DIR",
    "COMPATIBLE_TYPES",
    "NATIONAL",
    "PROFILED_RESOURCES",
    "PROFILES_DIR",
    "CodelistEntry",
    "SchemaMismatch",
    "codelist",
    "codelist_names",
    "identity_columns",
    "profile_of",
    "profile_schema",
    "resembled",
    "schema_mismatches",
]

PROFILES_DIR = Path(str(files("portal") / "profiles"))
CODELISTS_DIR = PROFILES_DIR / "codelists"
NATIONAL = "IR"

# resource name -> profile it belongs to
PROFILED_RESOURCES = {
    "projects": "projects",
    "indicators": "indicators",
    "observations": "indicators",
}
# Types a publisher's own schema may use in place of the profile's type.
COMPATIBLE_TYPES = {"number": {"number", "integer"}}


@dataclass(frozen=True)
class CodelistEntry:
    code: str
    name_fa: str
    name_en: str


@cache
def codelist(name: str) -> tuple[CodelistEntry, ...]:
    """A codelist by name; `provinces_and_national` adds the national total `IR`."""
    if name == "provinces_and_national":
        national = CodelistEntry(NATIONAL, "کل کشور", "Iran (national)")
        return (national, *codelist("provinces"))
    with (CODELISTS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(CodelistEntry(**row) for row in csv.DictReader(handle))


def codelist_names(name: str) -> dict[str, CodelistEntry]:
    return {entry.code: entry for entry in codelist(name)}


def _load_schema(resource_name: str) -> dict[str, Any]:
    with (PROFILES_DIR / f"{resource_name}.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    for field in schema["fields"]:
        listname = field.pop("codelist", None)
        if listname:
            constraints = field.setdefault("constraints", {})
            constraints["enum"] = [entry.code for entry in codelist(listname)]
    return schema


@cache
def _schema_cached(resource_name: str) -> str:
    return json.dumps(_load_schema(resource_name))


def profile_schema(resource_name: str) -> dict[str, Any]:
    """A fresh copy of the profile schema for a profiled resource name."""
    return copy.deepcopy(json.loads(_schema_cached(resource_name)))


def profile_of(resource_name: str | None) -> str | None:
    """The profile a resource name belongs to, or None for a generic table."""
    return PROFILED_RESOURCES.get(resource_name or "")


def identity_columns(resource_name: str) -> tuple[str, ...]:
    """The columns every table of a profiled resource has: its schema's required fields."""
    return tuple(
        str(field["name"])
        for field in profile_schema(resource_name)["fields"]
        if (field.get("constraints") or {}).get("required")
    )


def resembled(columns: list[str]) -> str | None:
    """The profiled resource a table with these columns is, whatever its name: a projects
    table renamed `projects-archive` is still the projects table."""
    present = set(columns)
    for resource_name in PROFILED_RESOURCES:
        if set(identity_columns(resource_name)) <= present:
            return resource_name
    return None


@dataclass(frozen=True)
class SchemaMismatch:
    """A profile field that a publisher's own schema drops or retypes."""

    resource: str
    field: str
    expected: str
    found: str | None


def schema_mismatches(resource_name: str, schema: dict[str, Any]) -> list[SchemaMismatch]:
    """Profile fields missing from `schema` or typed incompatibly."""
    own = {
        field.get("name"): field.get("type", "any")
        for field in schema.get("fields", [])
        if isinstance(field, dict)
    }
    mismatches = []
    for field in profile_schema(resource_name)["fields"]:
        expected = field.get("type", "string")
        found = own.get(field["name"])
        allowed = COMPATIBLE_TYPES.get(expected, {expected})
        if found is None or found not in allowed:
            mismatches.append(SchemaMismatch(resource_name, field["name"], expected, found))
    return mismatches
