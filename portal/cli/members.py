"""`glasswall agency member ...` and `glasswall agency policy`: people, roles, four eyes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from portal.cli.context import open_store
from portal.cli.output import console, handles_errors, say

member_app = typer.Typer(help="People of an agency and their roles.", no_args_is_help=True)


@member_app.command("add")
@handles_errors
def member_add(
    slug: str,
    name: Annotated[str, typer.Option("--name", help="The person's name, as shown publicly.")],
    role: Annotated[str, typer.Option("--role", help="preparer, approver or admin.")],
) -> None:
    """Register a person of agency SLUG; their own token is printed alone on the last line."""
    from portal.store import members  # the store, when the command runs

    token = open_store().run(members.add_member, slug, name, role)
    say("member.added", agency=slug, name=name, role=role)
    print(token)


@member_app.command("list")
@handles_errors
def member_list(slug: str) -> None:
    """List the members of agency SLUG (removed ones too: their signatures stay)."""
    table = Table()
    for column in ("id", "name", "role", "created_at", "removed_at"):
        table.add_column(column, overflow="fold")
    from portal.store import members

    for member in open_store().run(members.list_members, slug):
        table.add_row(
            str(member.id), member.name, member.role, member.created_at, member.removed_at or ""
        )
    console.print(table)


@member_app.command("remove")
@handles_errors
def member_remove(
    slug: str, member: Annotated[str, typer.Argument(help="The member's name or id.")]
) -> None:
    """Remove a member: their token stops working at once."""
    from portal.store import members

    removed = open_store().run(members.remove_member, slug, member)
    say("member.removed", agency=slug, name=removed.name)


@handles_errors
def policy_command(
    slug: str,
    four_eyes: Annotated[
        bool,
        typer.Option(
            "--four-eyes/--no-four-eyes",
            help="Every publication waits for a second member's approval.",
        ),
    ],
) -> None:
    """Set agency SLUG's publishing policy."""
    from portal.store import members

    open_store().run(members.set_four_eyes, slug, four_eyes)
    say("member.four_eyes_on" if four_eyes else "member.four_eyes_off", agency=slug)
