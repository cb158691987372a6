"""Leftovers of killed publishers are cleaned at start-up and by `verify` (issue 13, item 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from portal.config import Settings
from portal.intake.leftovers import clean_leftovers, tag
from portal.store import Store

# A publisher that stages an upload and writes half an object, then dies without cleaning.
KILLED = """
import os, sys, tempfile
from pathlib import Path
from portal.intake.leftovers import tag
from portal.store.objects import ObjectStore
home = Path(sys.argv[1])
staging = Path(tempfile.mkdtemp(prefix=f"upload{tag()}", dir=home / "staging"))
(staging / "data.csv").write_bytes(b"x" * 300_000)
temp = ObjectStore(home / "objects")._temp()  # kept: a collected context closes the file
out, _ = temp.__enter__()
out.write(b"y" * 200_000)
out.flush()
os._exit(9)
"""


def _kill_a_publisher(home: Path) -> None:
    (home / "staging").mkdir(parents=True, exist_ok=True)
    run = subprocess.run([sys.executable, "-c", KILLED, str(home)], check=False)
    assert run.returncode == 9


def test_leftovers_of_dead_publishers_go_and_a_live_ones_stay(
    store: Store, settings: Settings
) -> None:
    for _ in range(3):
        _kill_a_publisher(settings.home)
    live = settings.staging_dir / f"upload{tag()}mine"
    live.mkdir()
    assert len(list(settings.staging_dir.iterdir())) == 4
    cleaned = clean_leftovers(settings)
    assert cleaned.entries == 6 and cleaned.bytes >= 3 * 500_000
    assert list(settings.staging_dir.iterdir()) == [live]
    assert list((settings.home / "objects" / "tmp").iterdir()) == []


def test_verify_says_how_much_it_freed(store: Store, settings: Settings) -> None:
    _kill_a_publisher(settings.home)
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "verify"],
        env={**os.environ, "GLASSWALL_HOME": str(settings.home), "GLASSWALL_LANG": "en"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Removed 2 leftovers" in result.stdout and "freeing 488.3 KB." in result.stdout
    assert list(settings.staging_dir.iterdir()) == []
