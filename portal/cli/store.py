"""`glasswall upgrade | backup DEST | restore SRC`: keeping a store across releases and disks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portal.cli.context import cli_settings, open_store
from portal.cli.output import handles_errors, say, say_message
from portal.cli.progress import progress_shown
from portal.errors import NotFound

if TYPE_CHECKING:
    from portal.store.backup import Copied


def upgrade_store(home: Path) -> None:
    """Apply pending schema steps after a verified copy; say what happened (also for serve)."""
    from portal.store.backup import upgrade
    from portal.store.files import StoreFiles

    if not StoreFiles(home).catalog.exists():
        raise NotFound("store.missing", home=str(home))
    done = upgrade(home)
    if done.applied:
        steps = ", ".join(f"{m.app}#{m.step}" for m in done.applied)
        say("store.upgraded", home=str(home), steps=steps, backup=str(done.backup))
    else:
        say("store.up_to_date", home=str(home), version=done.version)


def _report(copied: Copied) -> None:
    for problem in copied.problems:
        say_message(problem.message, style="red")
    if copied.refused:
        say("store.restore_refused", home=str(copied.target))
        raise typer.Exit(1)
    if copied.problems:
        say("store.backup_failed", target=str(copied.target), problems=len(copied.problems))
        raise typer.Exit(1)


@handles_errors
def upgrade_command() -> None:
    """Apply the schema steps this release adds, after a verified copy in HOME/backups/."""
    upgrade_store(cli_settings().home)


@handles_errors
def backup_command(
    dest: Annotated[Path, typer.Argument(help="A new or empty folder for the copy.")],
) -> None:
    """Copy the store (SQLite online backup, objects, log) while it serves; verify the copy."""
    from portal.store.backup import backup

    with progress_shown() as progress:
        copied = backup(open_store(), dest.resolve(), progress)
    _report(copied)
    say(
        "store.backed_up", target=str(copied.target), objects=copied.objects, entries=copied.entries
    )


@handles_errors
def restore_command(
    src: Annotated[Path, typer.Argument(help="A backup made by `glasswall backup`.")],
) -> None:
    """Copy a backup into the home (which must be new or empty) and verify it."""
    from portal.store.backup import restore

    home = cli_settings().home
    with progress_shown() as progress:
        copied = restore(src.resolve(), home, progress)
    _report(copied)
    say(
        "store.restored",
        home=str(home),
        source=str(src),
        versions=copied.versions,
        objects=copied.objects,
    )


def register(app: typer.Typer) -> None:
    app.command("upgrade")(upgrade_command)
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
