"""Degenerate input never crashes the CLI: its own bilingual message and exit 2.

The same files through `POST /api/publish`: tests/api/test_publish_sheets.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.cli import app
from portal.i18n import text
from tests.intake.sheets.degenerate import DEGENERATE

runner = CliRunner()


@pytest.mark.parametrize("case", list(DEGENERATE))
def test_cli_refuses_with_its_own_message(case: str, tmp_path: Path, yazd_token: str) -> None:
    write, key = DEGENERATE[case]
    path = write(tmp_path)
    result = runner.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == 2, result.output
    refused = json.loads(result.stdout)["refused"]
    assert refused["code"] == key
    assert refused["message"]["fa"] and refused["message"]["en"]
    assert path.name in refused["message"]["en"]
    result = runner.invoke(app, ["publish", str(path), "--token", yazd_token, "--dataset", "d"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert text(key, "en", **refused["where"]) in result.output
