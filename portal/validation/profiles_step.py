"""Give profiled resources their profile schema, or check the publisher's schema keeps it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from portal.profiles import profile_of, profile_schema, schema_mismatches
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
            continue
        profiles[str(name)] = profile
        own = resource.get("schema")
        if own is None:
            resource["schema"] = profile_schema(str(name))
            continue
        if not isinstance(own, dict):
            continue
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
