"""`glasswall list | show | log | verify | demo`: what this store has published, and its proof."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portal.cli.context import cli_settings, open_store
from portal.cli.output import handles_errors, say, say_message
from portal.cli.progress import progress_shown
from portal.cli.serve import say_cleaned
from portal.config import load_settings
from portal.errors import IntakeRefused, NotFound

if TYPE_CHECKING:
    from portal.store import Store

DATASET_REF = re.compile(r"^(?P<agency>[^/@]+)/(?P<dataset>[^/@]+)(@(?P<version>\d+|latest))?$")


def _store() -> Store:
    return open_store()


@handles_errors
def list_command() -> None:
    """List published datasets with their latest version."""
    rows = _store().datasets()
    if not rows:
        say("cli.no_datasets")
        return
    for row in rows:  # one line each, so scripts can grep and cut it
        print(f"{row.agency}/{row.dataset}@{row.latest}\t{row.updated_at}\t{row.title}")


@handles_errors
def show(ref: Annotated[str, typer.Argument(help="AGENCY/DATASET[@VERSION]")]) -> None:
    """Show one version: its resources, sizes, rows and sha256."""
    match = DATASET_REF.match(ref)
    if not match:
        raise IntakeRefused("cli.not_found", what=ref)
    number = match["version"]
    version = _store().version(
        match["agency"],
        match["dataset"],
        None if number in (None, "latest") else int(number),
    )
    if version is None:
        raise NotFound("cli.not_found", what=ref)
    print(f"{version.agency}/{version.dataset}@{version.number}\t{version.title}")
    print(f"published={version.created_at}\tmanifest={version.manifest_sha256}")
    for r in version.resources:
        print(f"{r.name}\t{r.path}\trows={r.rows}\tbytes={r.bytes}\tsha256={r.sha256}")


@handles_errors
def log() -> None:
    """Print the public, hash-chained publication log."""
    lines, _ = _store().log.read()
    for line in lines:
        print(line.raw)


def _verify_remote(url: str, log_copy: Path | None) -> None:
    from portal.replication.remote_verify import verify_portal

    report = verify_portal(url, log_copy)
    for problem in report.problems:
        say_message(problem.message, style="red")
    if report.problems:
        say("cli.verify_failed", problems=len(report.problems), style="red")
        raise typer.Exit(1)
    say(
        "cli.verify_remote_ok",
        style="green",
        entries=report.entries,
        objects=report.objects,
        bytes=report.bytes,
    )


@handles_errors
def verify(
    portal: Annotated[
        str | None, typer.Option(help="Check this portal over HTTP instead of the local store.")
    ] = None,
    log_copy: Annotated[
        Path | None,
        typer.Option(help="With --portal: a saved copy of the log that must still be its start."),
    ] = None,
) -> None:
    """Finish interrupted publications, then re-hash every object and re-check the log chain."""
    from portal.intake.leftovers import clean_leftovers
    from portal.metadata.derived import verify_derived
    from portal.store.verify import verify_store
    from portal.store.writer import recover_store

    if portal is not None:
        _verify_remote(portal, log_copy)
        return
    store = _store()
    recovered = recover_store(store)
    if recovered:
        say("cli.recovered", count=recovered)
    say_cleaned(clean_leftovers(load_settings()))
    problems = verify_store(store) + verify_derived(store)
    for problem in problems:
        say_message(problem.message, style="red")
    if problems:
        say("cli.verify_failed", problems=len(problems), style="red")
        raise typer.Exit(1)
    say(
        "cli.verify_ok",
        style="green",
        objects=sum(1 for _ in store.objects.all()),
        versions=len(store.all_versions()),
        entries=len(store.log.read()[0]),
    )


@handles_errors
def demo() -> None:
    """Publish the sample agencies from datasets/ (illustrative data)."""
    from portal.publishing.demo import publish_samples

    store = _store()
    with progress_shown() as progress:
        results = publish_samples(store, cli_settings(), progress=progress)
    for result in results:
        v = result.published()
        key = "cli.unchanged" if result.unchanged else "cli.published"
        say(key, agency=v.agency, dataset=v.dataset, version=v.number)
    say("cli.demo_published")


def register(app: typer.Typer) -> None:
    app.command("list")(list_command)
    app.command()(show)
    app.command()(log)
    app.command()(verify)
    app.command()(demo)
