"""Settings: read from the environment in one module, and every variable documented."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.cli import app
from portal.config import (
    SETTINGS,
    SETTINGS_ENV,
    Settings,
    child_environment,
    load_settings,
    settings_environment,
    settings_table,
)
from portal.errors import BadSetting

ROOT = Path(__file__).resolve().parent.parent


def _readme_settings_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Settings", 1)[1].split("\n## ", 1)[0]


def test_the_readme_table_lists_exactly_the_settings() -> None:
    section = _readme_settings_section()
    documented = re.findall(r"^\| `(GLASSWALL_[A-Z_]+)` \|", section, flags=re.MULTILINE)
    assert sorted(documented) == sorted(SETTINGS_ENV)


def test_the_readme_table_is_the_declared_one() -> None:
    """Defaults and descriptions too: the table is `settings_table()`, word for word."""
    assert settings_table() in _readme_settings_section()


def test_every_field_of_settings_is_declared_once() -> None:
    declared = [setting.field for setting in SETTINGS]
    assert sorted(declared) == sorted(f.name for f in dataclasses.fields(Settings))
    assert len(set(SETTINGS_ENV)) == len(SETTINGS_ENV) == len(declared)


def test_the_defaults_are_the_fields_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path, {}) == Settings(home=tmp_path.resolve())


def test_a_setting_that_does_not_read_is_refused_by_name() -> None:
    with pytest.raises(BadSetting) as refused:
        load_settings(None, {"GLASSWALL_MAX_FILES": "many"})
    assert refused.value.key == "settings.unreadable"
    for lang in ("fa", "en"):
        assert "GLASSWALL_MAX_FILES" in refused.value.message[lang]


def test_an_empty_variable_counts_as_unset() -> None:
    assert load_settings(None, {"GLASSWALL_MAX_FILES": ""}).max_files == Settings(Path()).max_files


def test_secrets_stay_with_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker (the SQL desk's, a server) never inherits an agency's or a CKAN's token."""
    monkeypatch.setenv("GLASSWALL_TOKEN", "gw_secret")
    monkeypatch.setenv("GLASSWALL_CKAN_APIKEY", "ckan-secret")
    monkeypatch.setenv("GLASSWALL_MAX_FILES", "9")
    monkeypatch.setenv("UNRELATED", "kept")
    mine = Settings(home=tmp_path, token="gw_secret", ckan_apikey="ckan-secret", max_files=3)
    bare = child_environment(PYTHONPATH="x")
    assert bare["UNRELATED"] == "kept" and bare["PYTHONPATH"] == "x"
    assert not set(bare) & set(SETTINGS_ENV)
    given = child_environment(mine)
    assert given["GLASSWALL_MAX_FILES"] == "3"
    assert "GLASSWALL_TOKEN" not in given and "GLASSWALL_CKAN_APIKEY" not in given
    assert "gw_secret" not in settings_environment(mine).values()


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
        ckan_allow_hosts=("files.ckan.internal", "10.0.0.5:8080"),
        trusted_proxies="127.0.0.1",
        max_compression_ratio=50.5,
    )
    assert load_settings(environ=settings_environment(mine)) == mine


def test_the_option_wins_over_the_environment(tmp_path: Path) -> None:
    env = {"GLASSWALL_HOME": str(tmp_path / "env")}
    assert load_settings(tmp_path / "opt", env).home == (tmp_path / "opt").resolve()
    assert load_settings(None, env).home == (tmp_path / "env").resolve()
    assert load_settings(None, {}).home == Path("var").resolve()


def test_the_cli_refuses_a_setting_that_does_not_read() -> None:
    done = CliRunner().invoke(app, ["list"], env={"GLASSWALL_MAX_FILES": "many"})
    assert done.exit_code == 2
    assert "GLASSWALL_MAX_FILES" in done.output and "Traceback" not in done.output
