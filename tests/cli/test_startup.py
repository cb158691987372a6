"""`glasswall --help` and small commands start without the heavy stacks (issue 25).

Importing the whole portal took 1.6 s before any command ran; the CLI now imports a
command's modules when that command runs. Checked in a fresh interpreter, because this
test session has long imported everything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packages import copy_sample

HEAVY = {
    "streamlit",
    "uvicorn",
    "starlette",
    "ckanapi",
    "requests",
    "httpx",
    "openpyxl",
    "python_calamine",
    "pandas",
    "pyarrow",
    "numpy",
    "frictionless",
    "duckdb",
    "plotly",
    "jinja2",
}


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, check=True, timeout=60
    )


def test_importing_the_cli_loads_no_heavy_stack() -> None:
    done = _python("-c", "import json, sys, portal.cli; print(json.dumps(sorted(sys.modules)))")
    loaded = {name.split(".")[0] for name in json.loads(done.stdout)}
    assert not loaded & HEAVY, sorted(loaded & HEAVY)


@pytest.mark.parametrize("args", [["--help"], ["ckan", "--help"], ["validate", "--help"]])
def test_help_loads_no_heavy_stack(args: list[str]) -> None:
    done = _python("-X", "importtime", "-m", "portal.cli", *args)
    assert "Usage" in done.stdout
    loaded = {
        match.group(1).split(".")[0]
        for match in re.finditer(r"^import time:.*\|\s*(\S+)\s*$", done.stderr, re.MULTILINE)
    }
    assert "typer" in loaded  # the parse saw the imports at all
    assert not loaded & HEAVY, sorted(loaded & HEAVY)


# What `glasswall validate` of a package needs: the engine's stacks (pyarrow, numpy,
# frictionless; pandas comes with pyarrow's first array), never the spreadsheet readers,
# the store, the serving or the publishing stack.
NOT_FOR_VALIDATE = (HEAVY - {"pyarrow", "numpy", "frictionless", "pandas"}) | {
    "icalendar",
    "feedgen",
    "filelock",
    "portal.store",
    "portal.intake.sheets.build",
    "portal.publishing.publish",
    "portal.metadata",
    "portal.trust",
}


def _loaded(stderr: str) -> set[str]:
    """Every module an `-X importtime` run imported, and each of its parents."""
    names = re.findall(r"^import time:.*\|\s*(\S+)\s*$", stderr, re.MULTILINE)
    return {".".join(n.split(".")[: i + 1]) for n in names for i in range(n.count(".") + 1)}


def test_validating_a_small_package_loads_no_sheet_store_or_serving_stack(
    tmp_path: Path,
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    env_home = ["--home", str(tmp_path / "var")]
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "portal.cli",
            *env_home,
            "validate",
            str(folder),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    loaded = _loaded(done.stderr)
    assert {"pyarrow", "frictionless", "portal.validation.engine"} <= loaded  # it did validate
    assert not loaded & NOT_FOR_VALIDATE, sorted(loaded & NOT_FOR_VALIDATE)


def test_help_loads_neither_the_store_nor_the_calendar() -> None:
    done = _python("-X", "importtime", "-m", "portal.cli", "--help")
    loaded = _loaded(done.stderr)
    assert "typer" in loaded
    assert not loaded & {"portal.store", "icalendar", "feedgen", "filelock"}
