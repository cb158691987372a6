"""`glasswall validate` leaves its heap to the kernel: the report must still be whole.

The command ends with `os._exit` once it has written everything (portal.cli.quick_exit);
these run the real command in its own process, where an unflushed pipe would lose the tail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.packages import copy_sample, read_rows, write_rows


def _env(home: Path) -> dict[str, str]:
    """The user's environment: stdout buffered as on any machine (not PYTHONUNBUFFERED)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "GLASSWALL_HOME": str(home)}
    env.pop("PYTHONUNBUFFERED", None)
    return env


def _validate(folder: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", "--lang", "en", "validate", str(folder), *extra],
        capture_output=True,
        env=_env(home),
        timeout=120,
    )


def _package_with_errors(tmp_path: Path, copies: int = 60) -> Path:
    """A package whose report is far longer than a pipe's 64 KB buffer."""
    folder = copy_sample(tmp_path / "pkg")
    table = folder / "data" / "projects.csv"
    rows = read_rows(table)
    many = []
    for copy in range(copies):
        for row in rows:
            many.append({**row, "id": f"{row['id']}-{copy}", "budget_irr": "not a number"})
    write_rows(table, many)
    return folder


def test_a_long_json_report_arrives_whole_with_the_exit_code(tmp_path: Path) -> None:
    done = _validate(_package_with_errors(tmp_path), tmp_path / "home", "--json")
    assert done.returncode == 1, done.stderr.decode()
    assert len(done.stdout) > 256 * 1024
    report = json.loads(done.stdout)  # to its last byte
    assert report["valid"] is False
    assert len(report["findings"]) == report["errors"] + report["warnings"]
    assert report["counts"]["type-error"] >= 60 * 20
    assert b"Traceback" not in done.stderr


def test_a_valid_package_still_exits_zero(tmp_path: Path) -> None:
    done = _validate(copy_sample(tmp_path / "pkg"), tmp_path / "home")
    assert done.returncode == 0, done.stderr.decode()
    assert b"valid" in done.stdout.lower()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    folder = _package_with_errors(tmp_path)
    env = _env(tmp_path)
    command = [sys.executable, "-m", "portal.cli", "validate", str(folder), "--json"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.read(100)  # `| head -c 100`
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait(timeout=120) != 0
    assert first.startswith(b"{")
    assert b"Traceback" not in stderr
