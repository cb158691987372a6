"""The CLI run in-process, as the release and four-eyes tests use it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from portal.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    """Exit code and what the command said: progress lines (stderr) come before what it
    says at its end (stdout), as a person reading the terminal sees them."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr + result.stdout


def ahead(seconds: float) -> str:
    """At least `seconds` ahead, to the whole second (as agencies write a release time)."""
    return (datetime.now(UTC) + timedelta(seconds=seconds + 1)).isoformat(timespec="seconds")
