"""Filling a package's missing metadata from its agency's profile, and saying which."""

from __future__ import annotations

from typing import Any

from portal.store.agency_profiles import LICENSES, AgencyProfile


def profile_properties(profile: AgencyProfile, agency: str) -> dict[str, Any]:
    """The package properties an agency profile can give, in the shape the samples use."""
    title, path = LICENSES[profile.license]
    found: dict[str, Any] = {
        "agency": agency,
        "publisher": {
            "name_fa": profile.publisher_fa,
            "name_en": profile.publisher_en,
            "email": profile.contact_email,
            "contact_name": profile.contact_name,
        },
        "contact": {"name": profile.contact_name, "email": profile.contact_email},
        "licenses": [{"name": profile.license, "title": title, "path": path}],
    }
    if profile.frequency:
        found["update_frequency"] = profile.frequency
    if profile.provinces:
        found["spatial"] = {"provinces": list(profile.provinces)}
    if profile.source_fa or profile.source_en:
        found["sources"] = [
            {"title": profile.source_en or profile.source_fa, "title_fa": profile.source_fa}
        ]
    return found


def _missing(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def fill_from_profile(
    descriptor: dict[str, Any], profile: AgencyProfile | None, agency: str
) -> list[str]:
    """Fill the properties `descriptor` lacks (in place); return their names. Own values win."""
    if profile is None:
        return []
    filled = []
    for key, value in profile_properties(profile, agency).items():
        if _missing(descriptor.get(key)):
            descriptor[key] = value
            filled.append(key)
    return filled
