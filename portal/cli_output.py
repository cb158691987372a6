"""How the CLI speaks: bilingual lines from the catalogs, rich tables, JSON on request."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from portal.errors import GlassWallError, InvalidPackage
from portal.i18n import LANGUAGES, text
from portal.validation.report import Report

P = ParamSpec("P")
R = TypeVar("R")

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
_state = {"lang": "both"}


def set_language(lang: str) -> None:
    _state["lang"] = lang


def languages() -> tuple[str, ...]:
    lang = _state["lang"]
    return LANGUAGES if lang == "both" else (lang,)


def say(key: str, *, err: bool = False, style: str | None = None, **params: Any) -> None:
    """Print a catalog message in the chosen language(s), Persian first."""
    target = err_console if err else console
    for lang in languages():
        target.print(text(key, lang, **params), style=style, markup=False)


def say_message(message: dict[str, str], *, err: bool = False, style: str | None = None) -> None:
    target = err_console if err else console
    for lang in languages():
        target.print(message[lang], style=style, markup=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_report(report: Report) -> None:
    style = "green" if report.valid else "red"
    for finding in report.findings:
        colour = "red" if finding.severity == "error" else "yellow"
        say_message(finding.message, style=colour)
    key = "cli.valid" if report.valid else "cli.invalid"
    say(key, style=style, errors=report.error_count, warnings=report.warning_count)


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a GlassWallError into its bilingual message and exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InvalidPackage as error:
            print_report(error.report)
            say_message(error.message, err=True, style="red")
            raise typer.Exit(error.exit_code) from None
        except GlassWallError as error:
            say_message(error.message, err=True, style="red")
            raise typer.Exit(error.exit_code) from None

    return wrapper
