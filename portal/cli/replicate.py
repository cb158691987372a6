"""`glasswall replicate --from URL`: keep this store a verified, read-only copy of a writer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from portal.cli.context import cli_settings
from portal.cli.output import console, handles_errors, say, say_message
from portal.cli.progress import progress_shown

if TYPE_CHECKING:
    from portal.replication.replicate import PullReport


def _report(report: PullReport) -> None:
    for name in report.applied:
        say("replica.applied", version=name)
    if report.unreachable:
        say_message(report.unreachable, err=True, style="yellow")
    for problem in report.problems:
        say_message(problem.message, err=True, style="red")


@handles_errors
def replicate(
    source: Annotated[str, typer.Option("--from", help="The writer portal's address.")],
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between passes.")] = 2.0,
    once: Annotated[bool, typer.Option(help="One pass, then exit.")] = False,
) -> None:
    """Follow a writer portal: verify its log and objects as they arrive, apply new versions.

    Serve this store with `glasswall serve` beside it; it refuses to publish on its own.
    Exits 1 when the writer's log or an object does not verify (nothing of it applied).
    """
    from portal.replication.replicate import follow  # httpx and pyarrow: only for `replicate`
    from portal.store import writing

    store = writing(cli_settings().home)
    store.init()
    try:
        with progress_shown() as progress:
            passes = 1 if once else None
            report = follow(store, source, interval, _report, passes, progress)
    except KeyboardInterrupt:
        return
    finally:
        store.close()
    if report.problems:
        raise typer.Exit(1)
    if once:
        console.print(f"{report.entries} log entries")
