"""`glasswall approve` and `glasswall reject`: the second pair of eyes on a draft."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from portal.cli.context import cli_settings, open_store
from portal.cli.output import handles_errors, languages, say
from portal.errors import GlassWallError
from portal.i18n import text
from portal.publishing.release_time import from_iso, tehran

if TYPE_CHECKING:
    from portal.store.releases import Release

Token = Annotated[
    str | None,
    typer.Option(help="The deciding member's token (else GLASSWALL_TOKEN).", show_default=False),
]


def split_ref(ref: str) -> tuple[str, str]:
    """AGENCY/DATASET, or a bilingual refusal naming what was given."""
    agency, slash, dataset = ref.partition("/")
    if not slash or not agency or not dataset or "/" in dataset:
        raise GlassWallError("draft.bad_ref", ref=ref)
    return agency, dataset


def say_sealed(release: Release) -> None:
    """What was sealed and when it is due; the commitment alone on the last line."""
    say(
        "release.sealed",
        agency=release.agency,
        dataset=release.dataset,
        version=release.version,
        when_fa=tehran(from_iso(release.planned_at), "fa"),
        when_en=tehran(from_iso(release.planned_at), "en"),
    )
    print(release.commitment)


@handles_errors
def approve_command(
    ref: Annotated[str, typer.Argument(help="AGENCY/DATASET")],
    token: Token = None,
    sha256: Annotated[
        str | None, typer.Option(help="The draft's sha256 you reviewed: refused if it changed.")
    ] = None,
) -> None:
    """Approve the waiting draft of AGENCY/DATASET: it is published, signed by both."""
    agency, dataset = split_ref(ref)
    from portal.publishing.approval import approve  # the publishing stack, only when it runs

    done = approve(open_store(), agency, dataset, token or cli_settings().token, sha256)
    if done.release is not None:
        say_sealed(done.release)
    else:
        v = done.version
        assert v is not None
        key = "cli.unchanged" if done.unchanged else "cli.published"
        say(key, agency=v.agency, dataset=v.dataset, version=v.number)
    say(
        "draft.approved",
        prepared=done.draft.prepared_name,
        prepared_role=done.draft.prepared_role,
        approved=done.approver.name,
        approved_role=done.approver.role,
    )


@handles_errors
def reject_command(
    ref: Annotated[str, typer.Argument(help="AGENCY/DATASET")],
    reason: Annotated[str, typer.Option(help="Why, for the preparer.")],
    token: Token = None,
) -> None:
    """Reject the waiting draft of AGENCY/DATASET with a reason; nothing is published."""
    agency, dataset = split_ref(ref)
    from portal.publishing.approval import reject

    draft = reject(open_store(), agency, dataset, token or cli_settings().token, reason)
    say("draft.rejected", agency=draft.agency, dataset=draft.dataset)


draft_app = typer.Typer(help="Drafts and sealed releases, before the public.", no_args_is_help=True)


@draft_app.command("show")
@handles_errors
def draft_show(
    ref: Annotated[str, typer.Argument(help="AGENCY/DATASET")],
    token: Token = None,
) -> None:
    """Show the sealed release or the waiting draft of AGENCY/DATASET to a member of its
    agency; the read is recorded and published with the release (pre-release access)."""
    agency, dataset = split_ref(ref)
    from portal.publishing.draft_view import show

    view = show(open_store(), agency, dataset, token or cli_settings().token)
    say("draft.shown", kind=view.kind, agency=agency, dataset=dataset, sha256=view.sha256)
    for resource in view.resources:
        for lang in languages():  # tab-separated, as written (rich would expand the tabs)
            print(
                text(
                    "polish.draft.resource",
                    lang,
                    name=resource.name,
                    rows=resource.rows,
                    size=resource.bytes,
                    sha256=resource.sha256,
                )
            )
        for line in view.heads.get(resource.name, []):
            print(f"  {line}")
