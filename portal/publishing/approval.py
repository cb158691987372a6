"""Four eyes: a second member approves (publishes) or rejects a waiting draft.

Approval is of the draft's sha256: what is published is exactly the document the draft
row names, with every object checked against its hash, and an approver who names the
sha256 they reviewed is refused if the waiting draft is another one. The preparer may not
approve their own draft. A draft checked against a version that is no longer the latest
is refused: its explanations of revisions were written for another version.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.errors import BadParameter, Forbidden, GlassWallError
from portal.public_text import clean
from portal.publishing.release_time import from_iso
from portal.store import Store
from portal.store.access import access_list, record
from portal.store.disk import refused_when_full
from portal.store.drafts import Draft, decide, parts, published, reopen, waiting
from portal.store.members import APPROVING, Signer, identify
from portal.store.records import Version
from portal.store.releases import Release, schedule
from portal.store.replica import source as replica_source
from portal.store.writer import NewResource, commit_version
from portal.tables.reader import warm_tables


@dataclass(frozen=True)
class Approved:
    version: Version | None  # None: sealed for its hour (`release`)
    release: Release | None
    unchanged: bool
    draft: Draft
    approver: Signer


def _decider(store: Store, agency: str, dataset: str, token: str | None) -> tuple[Signer, Draft]:
    """Who decides, and on which draft; refused unless a member of the draft's agency
    with the approver or admin role."""
    writer = replica_source(store.home)
    if writer is not None:
        raise Forbidden("replica.read_only", source=writer)
    signer = store.run(identify, token)
    if signer.agency != agency:
        raise Forbidden("approval.other_agency", agency=agency, member_agency=signer.agency)
    if signer.role not in APPROVING:
        raise Forbidden("approval.role", name=signer.name, role=signer.role)
    return signer, store.run(waiting, agency, dataset)


def approve(
    store: Store, agency: str, dataset: str, token: str | None, sha256: str | None = None
) -> Approved:
    """Publish the waiting draft of AGENCY/DATASET, signed by its preparer and approver."""
    signer, draft = _decider(store, agency, dataset, token)
    if signer.key == draft.prepared_by:
        raise Forbidden("approval.self", name=signer.name, agency=agency, dataset=dataset)
    if sha256 is not None and sha256 != draft.sha256:
        raise BadParameter(
            "approval.sha_differs", field="sha256", given=sha256, waiting=draft.sha256
        )
    found = parts(store, draft)
    store.run(record, signer, "approval review", draft_id=draft.id)

    def stale(latest: Version | None) -> dict[str, str]:
        raise GlassWallError(
            "approval.stale",
            agency=agency,
            dataset=dataset,
            checked=found.checked_against,
            latest=latest.number if latest else 0,
        )

    signed = {"prepared_by": draft.preparer(), "approved_by": signer.public()}
    store.run(decide, draft, "approved", signer, None)
    try:
        with refused_when_full(store.home):
            if found.release_at is not None:
                sealed = schedule(
                    store,
                    agency,
                    dataset,
                    found.title,
                    from_iso(found.release_at),
                    (
                        (found.descriptor_sha, found.report_sha),
                        found.resources,
                        found.attachment_shas,
                    ),
                    stale,
                    found.checked_against,
                    signed,
                    draft.id,
                )
                store.run(published, draft)
                return Approved(None, sealed, False, draft, signer)
            version, unchanged = commit_version(
                store,
                agency,
                dataset,
                found.title,
                found.descriptor,
                found.report,
                [
                    NewResource(r.name, r.path, store.objects.path(r.sha256), r.mediatype, r.rows)
                    for r in found.resources
                ],
                found.attachments,
                checked_against=found.checked_against,
                recheck=stale,
                signed={**signed, "access": store.run(access_list, 0, draft.id)},
            )
    except BaseException:
        store.run(reopen, draft)  # nothing was published: the draft waits as it did
        raise
    store.run(published, draft)
    if not unchanged:
        warm_tables(store, version)
    return Approved(version, None, unchanged, draft, signer)


def reject(store: Store, agency: str, dataset: str, token: str | None, reason: str) -> Draft:
    """Send the waiting draft back with a reason; nothing is published."""
    signer, draft = _decider(store, agency, dataset, token)
    reason = clean(reason, "reason", multiline=True, error=GlassWallError, agency=agency)
    store.run(decide, draft, "rejected", signer, reason)
    return draft
