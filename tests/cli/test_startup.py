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

import pytest

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
