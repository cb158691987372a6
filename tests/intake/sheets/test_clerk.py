"""The clerk's advice names a place that can hold the fix.

The template's metadata sheet has rows for the name, titles, descriptions and coverage
dates only; a report that told a clerk to put the contact, license, publisher, update
frequency or sources "on the template's metadata sheet" sent them looking for rows that
are not there (and a stale package was told to fill in metadata it already had)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from portal.cli import app
from portal.intake.sheets.spans import METADATA_KEYS
from tests.intake.sheets.books import clerk_workbook
from tests.intake.sheets.test_journey import ABOUT

runner = CliRunner()
NOT_ON_THE_SHEET = ("contact", "licenses", "publisher", "update_frequency", "sources")


def _advice(output: str, field: str) -> str:
    """The advice line (→) of the group whose detail names `field`."""
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{field}:"))
    return next(line for line in reversed(lines[:at]) if "→" in line)


def test_metadata_the_sheet_cannot_hold_is_sent_to_the_agency_profile(tmp_path: Path) -> None:
    assert not set(NOT_ON_THE_SHEET) & set(METADATA_KEYS)  # the premise: no row for them
    book = clerk_workbook(tmp_path / "book.xlsx")
    for lang in ("en", "fa"):
        result = runner.invoke(app, ["--lang", lang, "validate", str(book), *ABOUT])
        assert result.exit_code == 1, result.output
        for field in ("contact", "licenses", "publisher", "update_frequency"):
            advice = _advice(result.output, field)
            assert "glasswall agency profile" in advice, advice
            assert "metadata sheet" not in advice and "برگهٔ «مشخصات»" not in advice, advice


def test_the_persian_advice_names_the_command_lines_fix_too(tmp_path: Path) -> None:
    """The English advice says "(or --fix)"; the Persian one named only the web button, so a
    clerk at the command line had no button to press."""
    book = clerk_workbook(tmp_path / "book.xlsx")
    result = runner.invoke(app, ["--lang", "fa", "validate", str(book), *ABOUT])
    fixable = [line for line in result.output.splitlines() if "درگاه این‌ها را خودش" in line]
    assert fixable and all("--fix" in line for line in fixable), result.output
