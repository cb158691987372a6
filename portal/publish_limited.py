"""Publishing as an agency through a page: the same rate limit as `POST /api/publish`.

The API counts a publication before it reads the upload; the Publish page calls this, so
a token that is at its limit over HTTP cannot go on publishing through the page.
"""

from __future__ import annotations

from pathlib import Path

from portal.config import Settings
from portal.limits import publish_rate
from portal.publish import PublishResult, publish
from portal.sheets.build import SheetOptions
from portal.store import Store
from portal.store.tokens import authenticate
from portal.trust.explanations import Explanation


def publish_as_agency(
    store: Store,
    source: Path,
    settings: Settings,
    token: str,
    *,
    explanations: list[Explanation] | None = None,
    sheet: SheetOptions | None = None,
    fix: bool = False,
) -> PublishResult:
    """Authenticate, count against the agency's publish limit, then publish."""
    agency = authenticate(store.conn, token)
    publish_rate(settings.home, agency.slug, settings.publish_per_hour)
    return publish(
        store, source, settings, token=token, explanations=explanations, sheet=sheet, fix=fix
    )
