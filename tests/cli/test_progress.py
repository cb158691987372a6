"""Progress of long commands: plain lines on stderr off a terminal, stdout left alone."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from portal.cli.progress import PlainLines
from portal.progress import Tick
from tests.packages import copy_sample, read_rows


def _glasswall(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "GLASSWALL_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "var"
    assert _glasswall(home, "init").returncode == 0
    return home


def test_validate_json_reports_progress_on_stderr_and_pure_json_on_stdout(
    home: Path, tmp_path: Path
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    rows = len(read_rows(folder / "data" / "projects.csv"))
    done = _glasswall(home, "--lang", "en", "validate", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["valid"] is True  # nothing but the report on stdout
    assert f"rows checked: {rows}, done in" in done.stderr
    assert "ردیف" not in done.stderr


def test_progress_speaks_persian_with_persian_digits(home: Path, tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "pkg")
    rows = len(read_rows(folder / "data" / "projects.csv"))
    persian_count = str(rows).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    done = _glasswall(home, "--lang", "fa", "validate", str(folder))
    assert done.returncode == 0, done.stderr
    assert f"ردیف بررسی‌شده: {persian_count}، پایان در" in done.stderr
    assert "rows checked" not in done.stderr + done.stdout


def test_demo_counts_the_sample_datasets(home: Path) -> None:
    done = _glasswall(home, "--lang", "en", "demo")
    assert done.returncode == 0, done.stderr
    assert "datasets: 4, done in" in done.stderr


def test_plain_lines_are_throttled_but_the_end_is_always_said(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = PlainLines(("en",), every=3600)
    for done in (10, 20, 30):
        lines(Tick("objects", done, 100))
    lines(Tick("objects", 100, 100, finished=True))
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2  # the first tick at once, the rest waits, then the end
    assert err[0].startswith("objects: 10")
    assert err[1].startswith("objects: 100, done in")


def test_plain_lines_give_rate_and_time_left(capsys: pytest.CaptureFixture[str]) -> None:
    lines = PlainLines(("en",), every=0)
    lines(Tick("rows", 0, None))
    lines.started["rows"] -= 2.0  # as if two seconds had passed since the first tick
    lines(Tick("rows", 1000, 3000, estimated=True))
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "rows checked: 0"
    assert err[1].startswith("rows checked: 1,000 of about 3,000, 50") and "s left" in err[1]


def test_a_terminal_gets_a_bar(home: Path, tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "pkg")
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "GLASSWALL_HOME": str(home)}
    child = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "--lang", "en", "validate", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    assert child.wait(timeout=120) == 0
    shown = seen.decode("utf-8", errors="replace")
    assert "rows checked" in shown and "━" in shown  # rich's bar, not plain lines
    assert "done in" not in shown
