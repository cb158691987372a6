"""`glasswall release list|move|cancel`: the calendar, and changes to it with public reasons."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from portal.cli.approval import split_ref
from portal.cli.context import open_store
from portal.cli.output import console, handles_errors, say
from portal.errors import GlassWallError
from portal.public_text import clean
from portal.publishing.release_time import from_iso, parse_when, tehran

release_app = typer.Typer(help="Sealed releases and their calendar.", no_args_is_help=True)
ReasonFa = Annotated[str, typer.Option("--reason-fa", help="The public reason, in Persian.")]
ReasonEn = Annotated[str, typer.Option("--reason-en", help="The public reason, in English.")]


def _reasons(reason_fa: str, reason_en: str, ref: str) -> tuple[str, str]:
    return (
        clean(reason_fa, "reason_fa", persian=True, error=GlassWallError, release=ref),
        clean(reason_en, "reason_en", error=GlassWallError, release=ref),
    )


@release_app.command("list")
@handles_errors
def release_list(
    agency: Annotated[str | None, typer.Option(help="Only this agency's releases.")] = None,
) -> None:
    """Every release announced: planned time (Tehran), status, commitment, reasons."""
    table = Table()
    for column in ("release", "planned (Tehran)", "status", "version", "commitment", "reasons"):
        table.add_column(column, overflow="fold")
    from portal.trust import calendar  # iCalendar and feeds, only for this command

    for item in calendar.releases(open_store(), agency):
        table.add_row(
            f"{item.agency}/{item.dataset}",
            tehran(from_iso(item.planned_at), "en"),
            item.status,
            str(item.version or ""),
            item.commitment,
            "; ".join(f"{r['fa']} / {r['en']}" for r in item.reasons),
        )
    console.print(table)


@release_app.command("move")
@handles_errors
def release_move(
    ref: Annotated[str, typer.Argument(help="AGENCY/DATASET")],
    to: Annotated[str, typer.Option("--to", help="The new hour (ISO with offset, or Jalali).")],
    reason_fa: ReasonFa,
    reason_en: ReasonEn,
) -> None:
    """Move a sealed release to a new hour; the reason is published with it."""
    agency, dataset = split_ref(ref)
    from portal.store import releases

    moved = releases.move(
        open_store(), agency, dataset, parse_when(to, "to"), _reasons(reason_fa, reason_en, ref)
    )
    planned = from_iso(moved.planned_at)
    say(
        "release.moved",
        agency=agency,
        dataset=dataset,
        when_fa=tehran(planned, "fa"),
        when_en=tehran(planned, "en"),
    )


@release_app.command("cancel")
@handles_errors
def release_cancel(
    ref: Annotated[str, typer.Argument(help="AGENCY/DATASET")],
    reason_fa: ReasonFa,
    reason_en: ReasonEn,
) -> None:
    """Cancel a sealed release; it stays on the calendar with the reason."""
    agency, dataset = split_ref(ref)
    from portal.store import releases

    releases.cancel(open_store(), agency, dataset, _reasons(reason_fa, reason_en, ref))
    say("release.cancelled", agency=agency, dataset=dataset)
