"""`glasswall publish book.xlsx --portal URL`: the workbook and its options over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.cli import app
from portal.store import Store, catalog
from portal.store.agencies import create_token
from portal.store.agency_profiles import AgencyProfile, save_profile
from tests.intake.sheets.books import clerk_workbook
from tests.intake.sheets.test_journey import ABOUT

runner = CliRunner()


def _publish_args(served: str, samples: Store, tmp_path: Path) -> list[str]:
    """A clerk's workbook and an agency with a token and a profile: `publish` to the portal."""
    token = create_token(samples.conn, "mrud-yazd")
    save_profile(
        samples.conn, "mrud-yazd", AgencyProfile("PR", "pr@example.ir", frequency="quarterly")
    )
    book = clerk_workbook(tmp_path / "book.xlsx")
    return ["--lang", "en", "publish", str(book), "--token", token, "--portal", served, *ABOUT]


@pytest.mark.slow
def test_workbook_published_to_a_running_portal(
    served: str, samples: Store, tmp_path: Path
) -> None:
    args = _publish_args(served, samples, tmp_path)
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1, refused.output
    assert "start_date: 3 × Jalali dates, rows 3-5" in refused.output  # the clerk's report
    published = runner.invoke(app, [*args, "--fix"])
    assert published.exit_code == 0, published.output
    assert "Published mrud-yazd/yazd-projects version 1" in published.output
    assert catalog.version(samples.conn, "mrud-yazd", "yazd-projects", None) is not None


@pytest.mark.slow
def test_the_same_workbook_again_to_a_portal_says_nothing_new(
    served: str, samples: Store, tmp_path: Path
) -> None:
    """The portal answers `"unchanged": true`; the command line said "Published … version 1"."""
    args = _publish_args(served, samples, tmp_path)
    first = runner.invoke(app, [*args, "--fix"])
    assert "Published mrud-yazd/yazd-projects version 1" in first.output, first.output
    again = runner.invoke(app, [*args, "--fix"])
    assert again.exit_code == 0, again.output
    assert "identical to version 1; nothing new was published" in again.output
    assert "Published" not in again.output
