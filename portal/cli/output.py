"""How the CLI speaks: bilingual lines from the catalogs, rich tables, JSON on request."""

from __future__ import annotations

import functools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from portal.cli.context import cli_settings
from portal.errors import GlassWallError, InsufficientStorage, InvalidPackage, StoreProblem
from portal.i18n import LANGUAGES, number, text

if TYPE_CHECKING:
    from portal.validation.fixer import Change
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


LONG_LIST = 100  # items; a longer list is written one compact item per line
_ENCODER = json.JSONEncoder(ensure_ascii=False)  # made once: dumps() builds one per call


class EncodedItems(list[str]):
    """A list whose items are already compact JSON (a report's findings, encoded many
    at a time): written as they are, or as any list when it is short."""


def _chunks(value: Any, depth: int) -> Iterator[str]:
    """Indented JSON, except that a long list puts each item on one compact line: json's
    C encoder works only without `indent`, and 145k findings took seconds in the Python
    one. Written piece by piece: a report's JSON is never held whole in memory."""
    pad = "  " * depth
    if isinstance(value, EncodedItems):
        if len(value) > LONG_LIST:
            yield "[\n"
            for start in range(0, len(value), 1000):  # a thousand lines a write
                yield ("" if start == 0 else ",\n") + ",\n".join(
                    f"{pad}  {item}" for item in value[start : start + 1000]
                )
            yield f"\n{pad}]"
            return
        value = [json.loads(item) for item in value]
    if isinstance(value, dict) and value:
        yield "{\n"
        for number, (key, item) in enumerate(value.items()):
            yield (",\n" if number else "") + f"{pad}  {json.dumps(key)}: "
            yield from _chunks(item, depth + 1)
        yield f"\n{pad}}}"
    elif isinstance(value, list) and len(value) > LONG_LIST:
        yield "[\n"
        for number, item in enumerate(value):
            yield (",\n" if number else "") + f"{pad}  "
            yield _ENCODER.encode(item)
        yield f"\n{pad}]"
    else:
        yield json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def print_json(data: Any) -> None:
    for chunk in _chunks(data, 0):
        sys.stdout.write(chunk)
    sys.stdout.write("\n")


def print_report(report: Report, limit: int = 200) -> None:
    """Findings (the first `limit`), counts per code, completeness and the score."""
    for finding in report.findings[:limit]:
        colour = "red" if finding.severity == "error" else "yellow"
        say_message(finding.message, style=colour)
    if len(report.findings) > limit:
        say("cli.more_findings", count=len(report.findings) - limit)
    counts = report.counts()
    if counts:
        lang = languages()[0]
        table = Table(text("cli.code", lang), text("cli.count", lang))
        for code, count in sorted(counts.items(), key=lambda item: -item[1]):
            table.add_row(code, number(count, lang))  # as the messages write numbers
        console.print(table)
    if report.score:
        say("cli.score", total=report.score["total"])
    key = "cli.valid" if report.valid else "cli.invalid"
    style = "green" if report.valid else "red"
    say(key, style=style, errors=report.error_count, warnings=report.warning_count)


def print_changes(changes: list[Change], out: Path) -> None:
    for change in changes:
        where = f"{change.file}:{change.row}" if change.row else change.file
        console.print(
            f"{where} {change.field or ''}: {change.old!r} -> {change.new!r}", markup=False
        )
    say("cli.fixed", count=len(changes), path=str(out))


def _home() -> Path | None:
    """The store's home for this invocation, when the root command resolved one."""
    try:
        return cli_settings().home
    except LookupError:
        return None


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
        except (OSError, sqlite3.Error) as error:
            from portal.store.disk import is_disk_full  # the store, only when one failed
            from portal.store.files import StoreFiles

            if not is_disk_full(error, _home()):
                if isinstance(error, sqlite3.DatabaseError):  # a catalog SQLite cannot read
                    path = StoreFiles(cli_settings().home).catalog
                    broken = StoreProblem(
                        "store.catalog_unreadable", path=str(path), reason=str(error)
                    )
                    say_message(broken.message, err=True, style="red")
                    raise typer.Exit(broken.exit_code) from None
                raise
            full = InsufficientStorage("server.disk_full")
            say_message(full.message, err=True, style="red")
            raise typer.Exit(full.exit_code) from None

    return wrapper
