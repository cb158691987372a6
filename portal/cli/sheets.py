"""`glasswall template`, `glasswall agency profile`, and how a clerk's report is printed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from portal.cli.context import open_store
from portal.cli.output import console, err_console, languages, say

if TYPE_CHECKING:
    from portal.intake.sheets.clerk import ClerkReport

STYLES = {"error": "red", "warning": "yellow", "fix": "cyan"}


def print_clerk(clerk: ClerkReport, *, err: bool = False, cells: int = 20) -> None:
    """Verdict first, then each group on one line with its first cells and the fix."""
    target = err_console if err else console
    style = "green" if clerk.valid else "red"
    for lang in languages():
        target.print(clerk.verdict[lang], style=style, markup=False)
        for note in clerk.notes:
            target.print(note[lang], markup=False)
        for group in clerk.groups:
            target.print(f"• {group.headline[lang]}", style=STYLES[group.kind], markup=False)
            target.print(f"    → {group.advice[lang]}", markup=False)
            for item in group.items[:cells]:
                line = item.message[lang]
                prefix = (
                    "" if line.lstrip("\u2068").startswith(item.address) else f"{item.address}: "
                )
                target.print(f"      {prefix}{line}", markup=False)
            if len(group.items) > cells:
                target.print(f"      … +{len(group.items) - cells}", markup=False)


def print_clerk_answer(clerk: dict[str, Any]) -> None:
    """The clerk's report as a portal answered it (`glasswall publish --portal`)."""
    for lang in languages():
        err_console.print(clerk["verdict"][lang], style="red", markup=False)
        for group in clerk["groups"]:
            line = f"• {group['headline'][lang]}"
            err_console.print(line, style=STYLES[group["kind"]], markup=False)


def template_command(
    profile: Annotated[str, typer.Argument(help="projects or indicators")],
    out: Annotated[Path, typer.Option("--out", help="FILE.xlsx or FILE.csv to write.")],
    lang: Annotated[str, typer.Option("--lang", help="Header language: fa or en.")] = "fa",
) -> None:
    """Write a blank template (.xlsx with dropdowns, guide and metadata sheets, or .csv)."""
    from portal.intake.sheets.template import (
        write_template,  # openpyxl: only when a template is made
    )

    write_template(profile, lang, out)
    say("cli.template_written", path=str(out))


def _provinces(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def profile_command(
    slug: Annotated[str, typer.Argument(help="The agency's slug.")],
    contact_name: Annotated[str, typer.Option("--contact-name", help="Who answers questions.")],
    contact_email: Annotated[str, typer.Option("--contact-email", help="Their e-mail.")],
    license_name: Annotated[str, typer.Option("--license", help="Default license.")] = "CC-BY-4.0",
    frequency: Annotated[
        str | None, typer.Option("--frequency", help="daily … annual, irregular.")
    ] = None,
    provinces: Annotated[
        str, typer.Option("--provinces", help="Spatial coverage: IR-21,IR-06 …")
    ] = "",
    publisher_fa: Annotated[str, typer.Option("--publisher-fa")] = "",
    publisher_en: Annotated[str, typer.Option("--publisher-en")] = "",
    source_fa: Annotated[str, typer.Option("--source-fa", help="Source of the figures.")] = "",
    source_en: Annotated[str, typer.Option("--source-en")] = "",
) -> None:
    """Keep an agency's publisher, contact, license, frequency, coverage and sources once."""
    from portal.store.agency_profiles import AgencyProfile, save_profile

    store = open_store()
    try:
        profile = AgencyProfile(
            contact_name,
            contact_email,
            license_name,
            frequency,
            _provinces(provinces),
            publisher_fa,
            publisher_en,
            source_fa,
            source_en,
        )
        store.run(save_profile, slug, profile)
    finally:
        store.close()
    say("cli.profile_saved", agency=slug)
