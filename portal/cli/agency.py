"""`glasswall agency ...` and `glasswall token ...`: who may publish, and with which token."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from portal.cli.context import open_store
from portal.cli.members import member_app, policy_command
from portal.cli.output import console, handles_errors, say
from portal.cli.sheets import profile_command

agency_app = typer.Typer(help="Agencies (publishers).", no_args_is_help=True)
token_app = typer.Typer(help="Publishing tokens.", no_args_is_help=True)
agency_app.command("profile")(handles_errors(profile_command))
agency_app.add_typer(member_app, name="member")
agency_app.command("policy")(policy_command)


def _table(*columns: str) -> Table:
    """A table that folds long values instead of cutting them (ids and hashes must be whole)."""
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


@agency_app.command("add")
@handles_errors
def agency_add(
    slug: str,
    title_fa: Annotated[str, typer.Option("--title-fa", help="Persian title.")],
    title_en: Annotated[str, typer.Option("--title-en", help="English title.")],
) -> None:
    """Create an agency; its first token is printed alone on the last line."""
    from portal.store import agencies as tokens

    token = open_store().run(tokens.add_agency, slug, title_fa, title_en)
    say("cli.agency_created", agency=slug)
    print(token)


@agency_app.command("list")
@handles_errors
def agency_list() -> None:
    """List agencies."""

    table = _table("slug", "title_fa", "title_en", "created_at")
    for agency in open_store().agencies():
        table.add_row(agency.slug, agency.title_fa, agency.title_en, agency.created_at)
    console.print(table)


@token_app.command("create")
@handles_errors
def token_create(agency: str) -> None:
    """Create another token for AGENCY; printed alone on the last line."""
    from portal.store import agencies as tokens

    token = open_store().run(tokens.create_token, agency)
    say("cli.token_created", agency=agency)
    print(token)


@token_app.command("revoke")
@handles_errors
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token, or its numeric id.")],
) -> None:
    """Revoke a token: it can no longer publish."""
    from portal.store import agencies as tokens

    token_id = open_store().run(tokens.revoke_token, token)
    say("cli.token_revoked", token_id=str(token_id))
