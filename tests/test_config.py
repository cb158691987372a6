"""Settings: read from the environment in one module, and every variable documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from portal.config import SETTINGS_ENV, Settings, load_settings, settings_environment

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_table_lists_exactly_the_settings() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `(GLASSWALL_[A-Z_]+)` \|", section, flags=re.MULTILINE)
    assert sorted(documented) == sorted(SETTINGS_ENV)


def test_no_module_but_config_reads_the_environment() -> None:
    readers = []
    for path in (ROOT / "portal").rglob("*.py"):
        if path.name == "config.py" and path.parent.name == "portal":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.keyword) and node.arg == "envvar":
                readers.append(f"{path.relative_to(ROOT)}:{node.value.lineno}")
    assert readers == []


def test_settings_survive_the_trip_to_a_server_process(tmp_path: Path) -> None:
    mine = Settings(
        home=tmp_path / "h",
        max_files=7,
        public_url="https://data.example.ir",
        validators=tmp_path / "rules",
        lang="en",
        ckan_timeout=2.5,
    )
    assert load_settings(environ=settings_environment(mine)) == mine


def test_the_option_wins_over_the_environment(tmp_path: Path) -> None:
    env = {"GLASSWALL_HOME": str(tmp_path / "env")}
    assert load_settings(tmp_path / "opt", env).home == (tmp_path / "opt").resolve()
    assert load_settings(None, env).home == (tmp_path / "env").resolve()
    assert load_settings(None, {}).home == Path("var").resolve()
