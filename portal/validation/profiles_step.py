"""Give profiled resources their profile schema, or check the publisher's schema keeps it."""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any

from portal.intake.descriptor_safety import normalized
from portal.profiles import profile_of, profile_schema, resembled, schema_mismatches
from portal.profiles.constraints import keep_profile
from portal.validation.report import Finding


def apply_profiles(
    descriptor: dict[str, Any], root: Path
) -> tuple[dict[str, Any], list[Finding], dict[str, str]]:
    """The effective descriptor, profile findings, and resource -> profile."""
    effective = copy.deepcopy(descriptor)
    findings: list[Finding] = []
    profiles: dict[str, str] = {}
    for resource in effective["resources"]:
        name = resource.get("name")
        profile = profile_of(name)
        if profile is None:
            findings += _misnamed(resource, root)
            continue
        profiles[str(name)] = profile
        own = resource.get("schema")
        if own is None:
            resource["schema"] = profile_schema(str(name))
            continue
        if not isinstance(own, dict):
            continue
        resource["schema"] = keep_profile(own, profile_schema(str(name)))
        for mismatch in schema_mismatches(str(name), own):
            code = "profile-field-missing" if mismatch.found is None else "profile-field-type"
            findings.append(
                Finding.make(
                    code,
                    "error",
                    resource=mismatch.resource,
                    field=mismatch.field,
                    expected=mismatch.expected,
                    found=mismatch.found or "-",
                    profile=profile,
                )
            )
    names = {str(r.get("name")) for r in effective["resources"]}
    if ("indicators" in names) != ("observations" in names):
        missing = "observations" if "indicators" in names else "indicators"
        findings.append(Finding.make("profile-incomplete", "error", resource=missing))
    return effective, findings, profiles


HEADER_BYTES = 64 * 1024  # a header line longer than this is refused by the shape check


def _columns(resource: dict[str, Any], root: Path) -> list[str]:
    """The column names a resource declares (own schema) or its CSV file starts with."""
    schema = resource.get("schema")
    if isinstance(schema, dict):
        return [str(f.get("name")) for f in schema.get("fields", []) if isinstance(f, dict)]
    path = resource.get("path")
    if not isinstance(path, str) or not (root / normalized(path)).is_file():
        return []
    with (root / normalized(path)).open("rb") as handle:
        start = handle.read(HEADER_BYTES)
    encoding = str(resource.get("encoding") or "utf-8")
    try:
        line = start.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[:1]
    except LookupError:
        return []  # an unknown encoding is named by the structural pass
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    tsv = str(resource.get("format") or path).lower().endswith("tsv")
    delimiter = str((dialect or {}).get("delimiter") or ("\t" if tsv else ","))
    return next(csv.reader(line, delimiter=delimiter[:1] or ","), [])


def _misnamed(resource: dict[str, Any], root: Path) -> list[Finding]:
    """A table with a profile's columns under another name would escape the profile's
    checks and the comparison with earlier versions: it must carry the profile's name."""
    name = str(resource.get("name"))
    columns = _columns(resource, root)
    claimed = resembled([column.strip() for column in columns])
    if claimed is None:
        return []
    return [
        Finding.make(
            "profile-table-misnamed",
            "error",
            resource=name,
            cell=name,
            expected=claimed,
            profile=str(profile_of(claimed)),
        )
    ]
