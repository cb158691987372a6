"""Reading and writing an agency's profile (publisher, contact, license, frequency, coverage).

The profile fills package properties an upload lacks; a package's own value always wins.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field

from portal.errors import BadParameter, NotFound
from portal.public_text import clean
from portal.store import catalog
from portal.store.agencies import now

FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")
LICENSES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution", "https://opendatacommons.org/licenses/by/1-0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PROVINCE = re.compile(r"^IR(-\d\d)?$")


@dataclass
class AgencyProfile:
    contact_name: str
    contact_email: str
    license: str = "CC-BY-4.0"
    frequency: str | None = None
    provinces: list[str] = field(default_factory=list)
    publisher_fa: str = ""
    publisher_en: str = ""
    source_fa: str = ""
    source_en: str = ""


# Public text of a profile (it becomes every package's publisher, contact and sources):
# the one cleaner of public text, Persian fields respelled as the house spells them.
TEXTS = ("contact_name", "publisher_fa", "publisher_en", "source_fa", "source_en")


def clean_texts(profile: AgencyProfile) -> None:
    """Each filled text of `profile` through the one cleaner (in place); a refusal is a 409
    naming the field."""
    for name in TEXTS:
        value = getattr(profile, name)
        if value.strip():
            cleaned = clean(value, name, persian=name.endswith("_fa"), error=BadParameter)
            setattr(profile, name, cleaned)


def check(profile: AgencyProfile) -> None:
    """Refuse values that would make every package of the agency invalid."""
    clean_texts(profile)
    if not profile.contact_name.strip():
        raise BadParameter("profile.contact_name", field="contact_name")
    if not _EMAIL.match(profile.contact_email.strip()):
        raise BadParameter("profile.email", field="contact_email", value=profile.contact_email)
    if profile.license not in LICENSES:
        raise BadParameter(
            "profile.license", field="license", value=profile.license, known=", ".join(LICENSES)
        )
    if profile.frequency is not None and profile.frequency not in FREQUENCIES:
        raise BadParameter(
            "profile.frequency",
            field="frequency",
            value=profile.frequency,
            known=", ".join(FREQUENCIES),
        )
    for code in profile.provinces:
        if not _PROVINCE.match(code):
            raise BadParameter("profile.province", field="provinces", value=code)


def _agency_id(conn: sqlite3.Connection, slug: str) -> int:
    row = conn.execute("SELECT id FROM agencies WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        raise NotFound("agency.not_found", agency=slug)
    return int(row[0])


def save_profile(conn: sqlite3.Connection, slug: str, profile: AgencyProfile) -> AgencyProfile:
    """Store the profile; publisher names default to the agency's titles."""
    check(profile)
    agency = catalog.agency(conn, slug)
    if agency is None:
        raise NotFound("agency.not_found", agency=slug)
    profile.publisher_fa = profile.publisher_fa.strip() or agency.title_fa
    profile.publisher_en = profile.publisher_en.strip() or agency.title_en
    conn.execute(
        "INSERT INTO agency_profiles (agency_id, profile, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(agency_id) DO UPDATE SET profile = excluded.profile, "
        "updated_at = excluded.updated_at",
        (_agency_id(conn, slug), json.dumps(asdict(profile), ensure_ascii=False), now()),
    )
    return profile


def load_profile(conn: sqlite3.Connection, slug: str) -> AgencyProfile | None:
    row = conn.execute(
        "SELECT p.profile FROM agency_profiles p JOIN agencies a ON a.id = p.agency_id "
        "WHERE a.slug = ?",
        (slug,),
    ).fetchone()
    if row is None:
        return None
    data = json.loads(row[0])
    known = AgencyProfile.__dataclass_fields__
    return AgencyProfile(**{key: value for key, value in data.items() if key in known})
