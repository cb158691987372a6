"""`glasswall verify` checks the served columnar cache against the published objects
(issue 21, item 8): a cache file changed by hand is named with its path, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from portal.config import Settings
from portal.metadata.derived import verify_derived
from portal.store import Store
from portal.tables.reader import cache_dir
from tests.tables.test_reader import _tamper_cache

GLASSWALL = str(Path(sys.executable).parent / "glasswall")


def _verify(home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GLASSWALL_HOME": str(home), "PYTHONPATH": os.getcwd()}
    return subprocess.run([GLASSWALL, "verify"], env=env, capture_output=True, text=True)


def test_verify_exits_1_naming_a_tampered_cache_file(samples: Store, settings: Settings) -> None:
    samples.close()
    clean = _verify(settings.home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    tampered = _tamper_cache(settings.home)
    found = _verify(settings.home)
    assert found.returncode == 1, found.stdout
    assert tampered.name in found.stdout.replace("\n", "")


def test_a_cache_file_nobody_reads_is_not_a_problem(samples: Store, settings: Settings) -> None:
    stray = cache_dir(settings.home) / f"{'0' * 64}-0000000000000000-shown.arrow"
    stray.write_bytes(b"not arrow")
    assert verify_derived(samples) == []


def test_an_unreadable_cache_file_is_named(samples: Store, settings: Settings) -> None:
    target = next(p for p in sorted(cache_dir(settings.home).glob("*.arrow")))
    target.chmod(0o644)
    target.write_bytes(b"garbage")
    assert [(p.code, p.where) for p in verify_derived(samples)] == [("cache_changed", str(target))]


def test_a_directory_in_place_of_a_cache_file_is_named_not_a_traceback(
    samples: Store, settings: Settings
) -> None:
    """Found by the attack rerun: verify ended in IsADirectoryError."""
    target = next(p for p in sorted(cache_dir(settings.home).glob("*.arrow")))
    target.unlink()
    target.mkdir()
    assert [(p.code, p.where) for p in verify_derived(samples)] == [("cache_changed", str(target))]
    samples.close()
    found = _verify(settings.home)
    assert found.returncode == 1 and "Traceback" not in found.stderr, found.stderr
    assert target.name in found.stdout.replace("\n", "")
