"""`glasswall`: the command line for operators and agency publishers.

Exit codes: 0 success or valid (warnings allowed), 1 invalid or verification failed,
2 refused (bad usage, authentication, intake).

Commands import what they use when they run. `glasswall --help` or `glasswall list`
must not pay for pandas, pyarrow, frictionless, openpyxl, the CKAN client or the
serving stack (importing them all took 1.6 s): the heavy modules are imported inside
the command functions (here and in `portal/cli_*.py`). That is the one deliberate
exception to STYLE's "no imports inside functions", which is about dodging cycles;
`tests/cli/test_startup.py` keeps the top of the CLI light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portal.cli import published as cli_published
from portal.cli import quick_exit
from portal.cli import serve as cli_serve
from portal.cli import store as cli_store
from portal.cli.agency import agency_app, token_app
from portal.cli.approval import approve_command, draft_app, reject_command, say_sealed
from portal.cli.ckan import ckan_app
from portal.cli.context import cli_settings, create_store, open_store, use
from portal.cli.feedback import feedback_app
from portal.cli.output import (
    EncodedItems,
    handles_errors,
    languages,
    print_changes,
    print_json,
    print_report,
    say,
    say_message,
    set_language,
)
from portal.cli.progress import progress_shown
from portal.cli.release import release_app
from portal.cli.replicate import replicate
from portal.cli.sheets import print_clerk, print_clerk_answer, template_command
from portal.config import LANGUAGE_CHOICES, load_settings
from portal.errors import GlassWallError, InvalidPackage

if TYPE_CHECKING:
    from portal.store import Store

app = typer.Typer(
    help="Glass Wall: publish, validate and verify agency open data.", no_args_is_help=True
)
app.add_typer(agency_app, name="agency")
app.add_typer(token_app, name="token")
app.add_typer(ckan_app, name="ckan")
app.add_typer(feedback_app, name="feedback")
app.command("template")(handles_errors(template_command))

Dataset = Annotated[
    str | None, typer.Option("--dataset", help="Workbook/CSV: the dataset's name (road-projects).")
]
TitleFa = Annotated[str | None, typer.Option("--title-fa", help="Workbook/CSV: Persian title.")]
TitleEn = Annotated[str | None, typer.Option("--title-en", help="Workbook/CSV: English title.")]
DescriptionFa = Annotated[
    str | None, typer.Option("--description-fa", help="Workbook/CSV: Persian description.")
]
DescriptionEn = Annotated[
    str | None, typer.Option("--description-en", help="Workbook/CSV: English description.")
]
app.command(name="replicate")(replicate)
app.add_typer(release_app, name="release")
app.add_typer(draft_app, name="draft")
app.command(name="approve")(approve_command)
app.command(name="reject")(reject_command)


def languages_first() -> str:
    return languages()[0]


def _store() -> Store:
    return open_store()


@app.callback()
@handles_errors  # a setting that does not read is refused by name, not with a traceback
def main_options(
    home: Annotated[
        Path | None,
        typer.Option(
            help="The store's folder (else GLASSWALL_HOME, else ./var).", show_default=False
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(help="Language of messages: fa, en or both (else GLASSWALL_LANG, else both)."),
    ] = None,
) -> None:
    settings = load_settings(home)
    language = lang or settings.lang
    if language not in LANGUAGE_CHOICES:
        raise typer.BadParameter("fa | en | both", param_hint="--lang / GLASSWALL_LANG")
    set_language(language)
    use(settings)


@app.command()
@handles_errors
def init() -> None:
    """Create the store at --home (else $GLASSWALL_HOME, else ./var) and say where it is."""
    store = create_store()
    say("cli.initialized", home=str(store.home))


@app.command()
def validate(
    path: Path,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    fix: Annotated[
        Path | None, typer.Option("--fix", help="Write a corrected copy to this folder.")
    ] = None,
    dataset: Dataset = None,
    title_fa: TitleFa = None,
    title_en: TitleEn = None,
    description_fa: DescriptionFa = None,
    description_en: DescriptionEn = None,
    agency: Annotated[
        str | None,
        typer.Option("--agency", help="Fill what is missing from this agency's profile."),
    ] = None,
    marked: Annotated[
        Path | None,
        typer.Option(
            "--marked", help="Workbook/CSV: write a copy with the problems marked (.xlsx)."
        ),
    ] = None,
) -> None:
    """Validate a package (folder, .zip, datapackage.json) or a workbook/CSV, without publishing."""
    from portal.intake.checked import validate_source
    from portal.intake.sheets.options import SheetOptions

    if fix is not None and fix.exists():
        say("cli.fix_exists", err=True, style="red", path=str(fix))
        raise typer.Exit(2)
    sheet = SheetOptions(dataset, title_fa, title_en, description_fa, description_en)
    try:
        profile = None
        if agency:
            from portal.store.agency_profiles import load_profile

            profile = _store().run(load_profile, agency)
        with progress_shown(as_json) as progress:
            result = validate_source(
                path,
                cli_settings(),
                fix,
                sheet=sheet,
                profile=profile,
                agency=agency,
                progress=progress,
            )
    except GlassWallError as error:
        if as_json:
            print_json({"valid": False, "refused": error.to_dict(), "findings": []})
        else:
            say_message(error.message, err=True, style="red")
        raise typer.Exit(error.exit_code) from None
    report = result.report
    clerk = None
    if result.built:
        from portal.intake.sheets.clerk import clerk_report

        clerk = clerk_report(report, result.built, result.filled)
    if marked is not None and result.built is not None and clerk is not None:
        from portal.intake.sheets.marked import marked_workbook

        marked.write_bytes(marked_workbook(path, result.built, clerk, languages_first()))
    if as_json:
        from portal.validation.memory import fewer_collections
        from portal.validation.rendering import findings_json

        data = report.to_dict(with_findings=False)
        with fewer_collections():
            data["findings"] = EncodedItems(findings_json(report.findings, languages()))
        if fix is not None:
            data["fixes"] = [change.__dict__ for change in result.changes]
        if clerk is not None:
            data["clerk"] = clerk.to_dict()
        print_json(data)
    elif clerk is not None:
        print_clerk(clerk)
        if fix is not None:
            say("cli.fixed", count=len(clerk.corrections), path=str(fix))
        if marked is not None:
            say("cli.marked_written", path=str(marked))
    else:
        print_report(report)
        if result.filled:
            from portal.intake.sheets.clerk import filled_note

            say_message(filled_note(result.filled))
        if fix is not None:
            print_changes(result.changes, fix)
    quick_exit.arm()  # all written, staging removed: the findings' heap goes with the process
    raise typer.Exit(0 if report.valid else 1)


@app.command("publish")
@handles_errors
def publish_command(
    path: Path,
    token: Annotated[
        str | None, typer.Option(help="Agency token (else GLASSWALL_TOKEN).", show_default=False)
    ] = None,
    portal: Annotated[
        str | None, typer.Option(help="Publish to a running portal at this URL.")
    ] = None,
    dataset: Dataset = None,
    title_fa: TitleFa = None,
    title_en: TitleEn = None,
    description_fa: DescriptionFa = None,
    description_en: DescriptionEn = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Workbook/CSV: apply the suggested corrections.")
    ] = False,
    explain: Annotated[
        Path | None,
        typer.Option(help="YAML file explaining changes against the published version."),
    ] = None,
    release_at: Annotated[
        str | None,
        typer.Option(
            "--release-at",
            help="Seal now, publish at WHEN: ISO 8601 with offset or Jalali Tehran time "
            "(1405/09/29 09:30). Prints the commitment on the last line.",
        ),
    ] = None,
) -> None:
    """Validate and publish a package, workbook or CSV for the token's agency."""
    from portal.intake.sheets.clerk import clerk_report, filled_note
    from portal.intake.sheets.options import SheetOptions
    from portal.publishing.admission import admit
    from portal.publishing.publish import publish_as
    from portal.publishing.release_time import parse_when

    when = parse_when(release_at) if release_at else None
    token = token or cli_settings().token
    sheet = SheetOptions(dataset, title_fa, title_en, description_fa, description_en)
    if portal:
        from portal.replication.remote import publish_remote

        status, body = publish_remote(
            path, token or "", portal, explain, sheet=sheet, fix=fix, release_at=release_at
        )
        if status in (200, 201):
            say("cli.unchanged" if body.get("unchanged") else "cli.published", **body["published"])
            return
        if status == 202:  # a draft waiting for approval, or sealed for its hour
            say_message(body["message"])
            if "sealed" in body:
                print(body["sealed"]["commitment"])
            return
        if "report" in body:
            if "clerk" in body:
                print_clerk_answer(body["clerk"])
            else:
                for finding in body["report"].get("findings", [])[:200]:  # to fix or explain
                    say_message(finding["message"], style="yellow")
            say_message(body["error"]["message"], err=True, style="red")
            raise typer.Exit(1)
        if "error" in body and isinstance(body["error"].get("message"), dict):
            say_message(body["error"]["message"], err=True, style="red")
        else:
            say("cli.remote_failed", err=True, url=portal, status=status)
        raise typer.Exit(2)
    given = []
    if explain is not None:
        from portal.trust import explanations
        from portal.validation.rules.packs import rule_packs

        given = explanations.load(explain, rule_packs(cli_settings().validators))
    try:
        with progress_shown() as progress:
            store, settings = _store(), cli_settings()
            result = publish_as(
                store,
                path,
                settings,
                admit(store, settings, token, count=False),  # this machine: no HTTP limit
                explanations=given,
                sheet=sheet,
                fix=fix,
                progress=progress,
                release_at=when,
            )
    except InvalidPackage as error:
        if error.clerk is None:
            raise
        print_clerk(error.clerk, err=True)
        raise typer.Exit(error.exit_code) from None
    if result.release is not None:
        say_sealed(result.release)
        return
    if result.draft is not None:
        d = result.draft
        say("draft.waiting", agency=d.agency, dataset=d.dataset, name=d.prepared_name)
        say("draft.sha256", sha256=d.sha256)
        return
    v = result.published()
    key = "cli.unchanged" if result.unchanged else "cli.published"
    say(key, agency=v.agency, dataset=v.dataset, version=v.number)
    if result.unchanged:  # its report was read when it was published
        return
    if result.built is not None:
        print_clerk(clerk_report(result.report, result.built, result.filled, version=v.number))
    else:
        if result.report.warning_count:
            print_report(result.report)
        if result.filled:
            from portal.intake.sheets.clerk import filled_note

            say_message(filled_note(result.filled))


cli_published.register(app)  # list, show, log, verify, demo
cli_store.register(app)  # upgrade, backup, restore
cli_serve.register(app)  # serve


def main() -> None:
    try:
        app()
    except SystemExit as done:
        quick_exit.leave(done.code)  # a command that armed it ends here, heap and all
        raise


if __name__ == "__main__":
    main()
