"""`glasswall feedback list|approve|hide`: what an operator does with citizens' items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from portal.cli.context import open_store
from portal.cli.output import handles_errors, say

if TYPE_CHECKING:
    from portal.store import Store

feedback_app = typer.Typer(help="Citizens' questions and flags.", no_args_is_help=True)
Agency = Annotated[str, typer.Option("--agency", help="The agency that owns the item.")]


def _store() -> Store:
    return open_store()


@feedback_app.command("list")
@handles_errors
def list_items(agency: Agency) -> None:
    """The agency's open items: waiting for approval, or public and not yet answered."""
    from portal.store import feedback

    for item in _store().run(feedback.queue, agency):
        say(
            "cli.feedback_item",
            id=str(item.id),
            agency=item.agency,
            dataset=item.dataset,
            kind=item.kind,
            state=item.state,
            created=item.created_at,
            message=item.message,
        )


@feedback_app.command("approve")
@handles_errors
def approve_item(
    item_id: Annotated[int, typer.Argument(help="The item's id.")], agency: Agency
) -> None:
    """Show an item in public (the agency can still answer it)."""
    from portal.store import feedback

    _store().run(feedback.approve, agency, item_id)
    say("cli.feedback_done", id=str(item_id), state="public")


@feedback_app.command("hide")
@handles_errors
def hide_item(
    item_id: Annotated[int, typer.Argument(help="The item's id.")],
    agency: Agency,
    reason: Annotated[str, typer.Option(help="Why (kept in the record, never shown).")],
) -> None:
    """Hide abuse: the item stays in the record with the reason, never shown."""
    from portal.store import feedback

    _store().run(feedback.hide, agency, item_id, reason)
    say("cli.feedback_done", id=str(item_id), state="hidden")
