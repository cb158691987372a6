"""The house reads as its folders say: the README's Layout names every package and loose
module, few modules sit loose, none grows past 400 lines, and tests mirror packages."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
MOST_LOOSE_MODULES = 12
MOST_LINES = 400


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout\n", 1)[1]
    return section.split("```", 2)[1]


def _packages() -> list[Path]:
    return sorted(p.parent for p in PORTAL.rglob("__init__.py") if p.parent != PORTAL)


def _loose_modules() -> list[str]:
    return sorted(p.name for p in PORTAL.glob("*.py") if p.name != "__init__.py")


def test_the_layout_names_every_package_and_loose_module() -> None:
    block = _layout_block()
    named = set(re.findall(r"[\w.]+(?:/|\.py)", block))
    for package in _packages():
        assert f"{package.name}/" in named, f"README Layout does not name {package}"
    for module in _loose_modules():
        assert module in named, f"README Layout does not name portal/{module}"
    data_folders = [p for p in PORTAL.iterdir() if p.is_dir() and not p.name.startswith("_")]
    for folder in data_folders:
        assert f"{folder.name}/" in named, f"README Layout does not name portal/{folder.name}/"


def test_few_modules_sit_loose_under_portal() -> None:
    assert len(_loose_modules()) <= MOST_LOOSE_MODULES, _loose_modules()


def test_no_module_grows_past_400_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in PORTAL.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert not long, long


def test_every_package_has_its_tests_folder() -> None:
    for package in _packages():
        if package.parent == PORTAL:
            assert (ROOT / "tests" / package.name).is_dir(), f"tests/{package.name}/ is missing"
