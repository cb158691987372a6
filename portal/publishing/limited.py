"""Publishing as an agency through a page: the same rate limit as `POST /api/publish`.

The API counts a publication before it reads the upload; the Publish page does the same
through here: an upload counts once, when it is first checked and before a byte of it is
parsed, and publishing that same upload afterwards does not count it again. A token at
its limit over HTTP can neither publish nor have uploads parsed through the page.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from portal.config import Settings
from portal.intake.limits import publish_rate
from portal.intake.sheets.build import SheetOptions
from portal.progress import Progress
from portal.publishing.publish import PublishResult, ValidationResult, publish, validate_source
from portal.store import Store
from portal.store.agencies import authenticate
from portal.store.agency_profiles import AgencyProfile
from portal.store.records import Agency
from portal.trust.explanations import Explanation


def admit_upload(store: Store, settings: Settings, token: str) -> Agency:
    """Who is uploading, counted as one publication attempt: before the upload is parsed."""
    agency = authenticate(store.conn, token)
    publish_rate(settings.home, agency.slug, settings.publish_per_hour)
    return agency


def check_as_agency(
    store: Store,
    source: Path,
    settings: Settings,
    token: str,
    *,
    admitted: bool = False,
    fix_to: Path | None = None,
    sheet: SheetOptions | None = None,
    profile: AgencyProfile | None = None,
    package_to: Path | None = None,
    progress: Progress | None = None,
) -> ValidationResult:
    """Admit the upload (unless it was on an earlier run of the page), then parse and
    validate it for the token's agency."""
    agency = authenticate(store.conn, token) if admitted else admit_upload(store, settings, token)
    return validate_source(
        source,
        settings,
        fix_to,
        sheet=sheet,
        profile=profile,
        agency=agency.slug,
        package_to=package_to,
        progress=progress,
    )


def publish_as_agency(
    store: Store,
    source: Path,
    settings: Settings,
    token: str,
    *,
    explanations: list[Explanation] | None = None,
    sheet: SheetOptions | None = None,
    fix: bool = False,
    counted: bool = False,
    release_at: datetime | None = None,
) -> PublishResult:
    """Authenticate, count against the agency's publish limit (unless this upload was
    counted when it was checked), then publish."""
    agency = authenticate(store.conn, token)
    if not counted:
        publish_rate(settings.home, agency.slug, settings.publish_per_hour)
    return publish(
        store,
        source,
        settings,
        token=token,
        explanations=explanations,
        sheet=sheet,
        fix=fix,
        release_at=release_at,
    )
