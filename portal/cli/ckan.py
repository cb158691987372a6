"""`glasswall ckan push|pull`: federation with a CKAN portal (see portal/federation/)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from portal.cli.context import cli_settings, open_store
from portal.cli.output import handles_errors, say, say_message
from portal.cli.progress import progress_shown

if TYPE_CHECKING:
    from portal.store import Store

ckan_app = typer.Typer(help="Federation with CKAN portals.", no_args_is_help=True)

Url = Annotated[str, typer.Option("--url", help="The CKAN portal, e.g. https://data.example.ir")]
ApiKey = Annotated[
    str | None,
    typer.Option(
        "--apikey", help="A CKAN API token (or GLASSWALL_CKAN_APIKEY).", show_default=False
    ),
]


def _store() -> Store:
    return open_store()


@ckan_app.command("push")
@handles_errors
def push_command(
    url: Url,
    apikey: ApiKey = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; change nothing.")
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Delete CKAN packages of these agencies that we do not publish."
        ),
    ] = False,
    link: Annotated[
        bool,
        typer.Option("--link", help="Point resources at our download URLs instead of uploading."),
    ] = False,
    public_url: Annotated[
        str | None, typer.Option(help="This portal's public address (or GLASSWALL_PUBLIC_URL).")
    ] = None,
) -> None:
    """Push every published dataset (or one agency's) into a CKAN portal, idempotently."""
    # The CKAN client (ckanapi, requests) and the snapshot (pyarrow) load only here.
    from portal.federation.client import CkanPortal
    from portal.federation.push import PushOptions, push
    from portal.metadata.snapshot import SNAPSHOTS

    settings = cli_settings()
    base_url = (public_url or settings.public_url or "").rstrip("/")
    if link and not base_url:
        raise typer.BadParameter("--link needs --public-url (or GLASSWALL_PUBLIC_URL)")
    portal = CkanPortal(url, apikey or settings.ckan_apikey, settings.ckan_timeout)
    store = _store()
    snapshot = SNAPSHOTS.current(store.home)
    options = PushOptions(agency, dry_run, prune, link, base_url)
    with progress_shown() as progress:
        report = push(store, snapshot, portal, options, progress=progress)
    for step in report.steps:
        say(f"ckan.step.{step.action}", target=step.target, version=step.version, size=step.size)
    key = "ckan.push_planned" if dry_run else "ckan.push_done"
    say(
        key,
        style="green",
        changed=len(report.steps) - report.count("unchanged"),
        unchanged=report.count("unchanged"),
        calls=portal.calls,
    )


@ckan_app.command("pull")
@handles_errors
def pull_command(
    url: Url,
    apikey: ApiKey = None,
    org: Annotated[str | None, typer.Option("--org", help="Only this CKAN organization.")] = None,
    as_agency: Annotated[
        str | None,
        typer.Option("--as", help="Local mirror agency (default: the organization's name)."),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="A host (or host:port) resources may come from although it is not a public "
            "address; repeatable (and GLASSWALL_CKAN_ALLOW_HOSTS). The CKAN's own origin is "
            "always allowed.",
        ),
    ] = None,
) -> None:
    """Harvest CKAN packages into the local catalog as a read-only mirror agency."""
    from portal.federation.client import CkanPortal
    from portal.federation.pull import pull

    settings = cli_settings()
    allowed = (*settings.ckan_allow_hosts, *(allow_host or ()))
    portal = CkanPortal(
        url, apikey or settings.ckan_apikey, settings.ckan_timeout, allow_hosts=allowed
    )
    with progress_shown() as progress:
        outcomes = pull(_store(), settings, portal, org, as_agency, progress=progress)
    for outcome in outcomes:
        if outcome.status == "refused":
            say("ckan.pull_refused", package=outcome.package, style="red")
            say_message(outcome.reason, style="red")
        else:
            say(f"ckan.pull_{outcome.status}", package=outcome.package, version=outcome.version)
    refused = sum(1 for o in outcomes if o.status == "refused")
    say("ckan.pull_done", published=len(outcomes) - refused, refused=refused)
    if refused:
        raise typer.Exit(1)
