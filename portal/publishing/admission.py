"""Who publishes, settled once before a byte of an upload is read.

Every way in (the CLI, `POST /api/publish`, the Publish page) admits its publisher here:
one authentication of the token (an agency's own, or one of its members') and, where an
upload arrives over HTTP or the page, one count against the agency's publish limit. The
admitted `Publisher` then goes to `portal.publishing.publish.publish_as`, which trusts it and
authenticates nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.config import Settings
from portal.errors import NotFound, Unauthorized
from portal.intake.limits import publish_rate
from portal.store import Store
from portal.store.members import Signer, identify
from portal.store.records import Agency


@dataclass(frozen=True)
class Publisher:
    """An agency and the person whose token it is; without a signer, the operator of this
    machine publishing for the agency (the samples, `ckan pull`), whose uploads are never
    kept as drafts."""

    agency: Agency
    signer: Signer | None = None


def admit(store: Store, settings: Settings, token: str | None, *, count: bool = True) -> Publisher:
    """The token's agency and person (one authentication), counted against the agency's
    publish limit when `count` (an upload over HTTP or the page; the local CLI does not)."""
    signer = store.run(identify, token)
    agency = store.agency(signer.agency)
    if agency is None:  # an agency's tokens go with it
        raise Unauthorized("token.unknown")
    if count:
        publish_rate(settings.home, agency.slug, settings.publish_per_hour)
    return Publisher(agency, signer)


def operator(store: Store, slug: str) -> Publisher:
    """The operator publishing for a registered agency (no token: this machine's own)."""
    found = store.agency(slug)
    if found is None:
        raise NotFound("agency.not_found", agency=slug)
    return Publisher(found)
