"""`glasswall draft show`: a member reads a draft or a sealed release before the public,
and the read is recorded for the pre-release access list (`portal.store.access`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from portal.errors import Forbidden, NotFound
from portal.store import Store
from portal.store.access import record
from portal.store.drafts import parts, waiting
from portal.store.members import identify
from portal.store.records import ResourceEntry
from portal.store.releases import scheduled

HEAD_LINES = 6  # the header and the first rows of each table


@dataclass(frozen=True)
class DraftView:
    kind: str  # "sealed" (a scheduled release) or "draft" (waiting for approval)
    agency: str
    dataset: str
    sha256: str  # the commitment of a sealed release, the draft's sha256 otherwise
    planned_at: str | None
    resources: list[ResourceEntry]
    heads: dict[str, list[str]] = field(default_factory=dict)


def _heads(store: Store, resources: list[ResourceEntry]) -> dict[str, list[str]]:
    heads = {}
    for resource in resources:
        if resource.mediatype.startswith("text/"):
            with store.objects.path(resource.sha256).open(encoding="utf-8", errors="replace") as f:
                heads[resource.name] = [line.rstrip("\r\n") for line in islice(f, HEAD_LINES)]
    return heads


def show(store: Store, agency: str, dataset: str, token: str | None) -> DraftView:
    """The dataset's sealed release, else its waiting draft; the read is recorded."""
    signer = store.run(identify, token)
    if signer.agency != agency:
        raise Forbidden("approval.other_agency", agency=agency, member_agency=signer.agency)
    try:
        release = store.run(scheduled, agency, dataset)
    except NotFound:
        draft = store.run(waiting, agency, dataset)
        found = parts(store, draft)
        store.run(record, signer, "draft show", draft_id=draft.id)
        view = (draft.sha256, found.release_at, found.resources)
        return DraftView("draft", agency, dataset, *view, _heads(store, found.resources))
    manifest = store.json_object(release.commitment)
    resources = [ResourceEntry(**entry) for entry in manifest["resources"]]
    store.run(record, signer, "draft show", release_id=release.id)
    return DraftView(
        "sealed",
        agency,
        dataset,
        release.commitment,
        release.planned_at,
        resources,
        _heads(store, resources),
    )
