"""Where runtime state lives and the limits that protect it.

This is the one module that reads the environment. A composition root (the CLI's
callback, `portal.app.create_app`'s callers) calls `load_settings()` once and hands the
`Settings` down: the API finds them on the app's state, the pages through
`portal.web.context.settings()`, the CLI through `portal.cli.context`. Tests build their
own `Settings` and their own app; nothing needs patching.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.errors import BadSetting

DEFAULT_HOME = Path("var")  # relative to the working directory, as documented in the README
DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_FILES = 1000
# A zip entry that inflates more than this many times is treated as a bomb: CSV
# compresses ~5-15x, so 200x leaves room for honest files and none for bombs.
DEFAULT_MAX_COMPRESSION_RATIO = 200.0
# Publications per token per hour: an agency publishes a few times a day; a leaked token
# or a runaway script must not fill the store.
DEFAULT_PUBLISH_PER_HOUR = 60
# Citizen feedback per hour: from one client address, and to one dataset from everyone.
DEFAULT_FEEDBACK_PER_CLIENT = 10
DEFAULT_FEEDBACK_PER_DATASET = 300
# Table shape limits, checked on the raw bytes before pyarrow or frictionless read a file:
# a real agency table has tens of columns and short cells; 10^5 columns cost 1.2 GB.
DEFAULT_MAX_COLUMNS = 500
DEFAULT_MAX_CELL_BYTES = 64 * 1024
DEFAULT_MAX_LINE_BYTES = 1024 * 1024
DEFAULT_CKAN_TIMEOUT = 60.0
LANGUAGE_CHOICES = ("fa", "en", "both")


@dataclass(frozen=True)
class Settings:
    """Runtime settings: the store's home, the intake limits, and the operator's defaults."""

    home: Path
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    max_files: int = DEFAULT_MAX_FILES
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO
    publish_per_hour: int = DEFAULT_PUBLISH_PER_HOUR
    public_url: str | None = None  # the portal's address behind a proxy; else the request's
    feedback_per_client: int = DEFAULT_FEEDBACK_PER_CLIENT
    feedback_per_dataset: int = DEFAULT_FEEDBACK_PER_DATASET
    # Addresses whose X-Forwarded-For is believed (uvicorn's forwarded_allow_ips); none by
    # default, so a client cannot pick its own address for the per-client limits.
    trusted_proxies: str = ""
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    validators: Path | None = None  # a folder of rule packs replacing the shipped ones
    lang: str = "both"  # the CLI's message language: fa, en or both
    token: str | None = None  # the agency token `glasswall publish` uses by default
    ckan_apikey: str | None = None  # the CKAN API token `glasswall ckan` uses by default
    ckan_timeout: float = DEFAULT_CKAN_TIMEOUT
    # Hosts (`host` or `host:port`) `ckan pull` may fetch resources from although they are
    # not public addresses (a CKAN's file store on the private network); none by default.
    ckan_allow_hosts: tuple[str, ...] = ()

    @property
    def staging_dir(self) -> Path:
        return self.home / "staging"


def _path(value: str) -> Path:
    return Path(value).resolve()


def _url(value: str) -> str | None:
    """An address without its trailing slash (links are joined to it with one)."""
    return value.rstrip("/") or None


def _hosts(value: str) -> tuple[str, ...]:
    """A comma- or space-separated list of hosts."""
    return tuple(h for h in value.replace(",", " ").split() if h)


def _text(value: object) -> str:
    """A value as its variable holds it: nothing for an unset one."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Setting:
    """One setting, declared once: the `Settings` field it fills, its variable, how the
    variable's text reads, and the README's default and description (a test keeps the
    README's table equal to `settings_table()`). A `secret` is never handed to a child
    process: a worker has no use for an agency's or a CKAN's token."""

    field: str
    env: str
    parse: Callable[[str], object]
    shown_default: str
    what: str
    secret: bool = False
    unset: str | None = None  # the text read when the variable is unset (else the field's default)


# Every environment variable the portal reads, in the README's order.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "home",
        "GLASSWALL_HOME",
        _path,
        "`./var`",
        "the store's folder (`--home` wins)",
        unset=str(DEFAULT_HOME),
    ),
    Setting(
        "max_upload_bytes",
        "GLASSWALL_MAX_UPLOAD_BYTES",
        int,
        "209715200 (200 MB)",
        "largest upload, zip or unpacked",
    ),
    Setting("max_files", "GLASSWALL_MAX_FILES", int, "1000", "most files in one upload"),
    Setting(
        "max_compression_ratio",
        "GLASSWALL_MAX_COMPRESSION_RATIO",
        float,
        "200",
        "a zip entry inflating more is refused as a bomb",
    ),
    Setting(
        "publish_per_hour",
        "GLASSWALL_PUBLISH_PER_HOUR",
        int,
        "60",
        "publications per agency per hour (API and Publish page together)",
    ),
    Setting(
        "public_url",
        "GLASSWALL_PUBLIC_URL",
        _url,
        "the request's origin",
        "the portal's public address behind a proxy (links in answers, `ckan push --link`)",
    ),
    Setting(
        "feedback_per_client",
        "GLASSWALL_FEEDBACK_PER_CLIENT",
        int,
        "10",
        "citizens' items per client address per hour",
    ),
    Setting(
        "feedback_per_dataset",
        "GLASSWALL_FEEDBACK_PER_DATASET",
        int,
        "300",
        "citizens' items per dataset per hour",
    ),
    Setting(
        "validators",
        "GLASSWALL_VALIDATORS",
        _path,
        "the shipped rule packs",
        "a folder of rule packs (`*.yaml`, `province_boxes.csv`) to use instead",
    ),
    Setting("lang", "GLASSWALL_LANG", str, "`both`", "the CLI's message language (`--lang` wins)"),
    Setting(
        "token",
        "GLASSWALL_TOKEN",
        str,
        "none",
        "the agency token `glasswall publish` uses (`--token` wins)",
        secret=True,
    ),
    Setting(
        "ckan_apikey",
        "GLASSWALL_CKAN_APIKEY",
        str,
        "none",
        "the CKAN API token `glasswall ckan` uses (`--apikey` wins)",
        secret=True,
    ),
    Setting(
        "ckan_timeout", "GLASSWALL_CKAN_TIMEOUT", float, "60", "seconds to wait for each CKAN call"
    ),
    Setting(
        "trusted_proxies",
        "GLASSWALL_TRUSTED_PROXIES",
        str.strip,
        "none",
        "addresses whose `X-Forwarded-For` is believed (see Security)",
    ),
    Setting("max_columns", "GLASSWALL_MAX_COLUMNS", int, "500", "most columns in one table"),
    Setting(
        "max_line_bytes", "GLASSWALL_MAX_LINE_BYTES", int, "1048576 (1 MiB)", "longest CSV line"
    ),
    Setting(
        "max_cell_bytes", "GLASSWALL_MAX_CELL_BYTES", int, "65536 (64 KiB)", "longest CSV cell"
    ),
    Setting(
        "ckan_allow_hosts",
        "GLASSWALL_CKAN_ALLOW_HOSTS",
        _hosts,
        "none",
        "hosts (`host`, `host:port`, comma-separated) `ckan pull` may fetch resources from "
        "although they are not public addresses (`--allow-host` adds more)",
    ),
)
SETTINGS_ENV = tuple(setting.env for setting in SETTINGS)


def _read(setting: Setting, text: str) -> object:
    try:
        return setting.parse(text)
    except ValueError:
        raise BadSetting("settings.unreadable", variable=setting.env, value=text) from None


def load_settings(
    home: Path | str | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from the environment; `home` (e.g. `--home`) wins over `GLASSWALL_HOME`.

    A variable set to nothing counts as unset; one that does not read as its kind (a
    word where a number belongs) is refused, naming the variable (exit 2)."""
    env = os.environ if environ is None else environ
    given = {"home": str(home)} if home else {}
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        text = given.get(setting.field) or env.get(setting.env) or setting.unset
        if text is not None:
            values[setting.field] = _read(setting, text)
    return Settings(**values)


def settings_environment(settings: Settings) -> dict[str, str]:
    """The variables that give a child process (the server) these same settings; no
    secrets, and nothing for a setting left unset."""
    values = {s.env: _text(getattr(settings, s.field)) for s in SETTINGS if not s.secret}
    return {name: value for name, value in values.items() if value}


def settings_table() -> str:
    """The README's table of settings, from the declaration."""
    rows = [f"| `{s.env}` | {s.shown_default} | {s.what} |" for s in SETTINGS]
    return "\n".join(["| variable | default | what it sets |", "|---|---|---|", *rows])


def export_to_environment(settings: Settings) -> None:
    """Hand `settings` to a server started by import string (`glasswall serve`, workers)."""
    os.environ.update(settings_environment(settings))


def child_environment(settings: Settings | None = None, **extra: str) -> dict[str, str]:
    """The environment for a helper process this one starts: this one's, without any
    setting's variable (a worker gets no token), then `settings`' own if it needs them,
    then `extra`. Built here, since this is the one module that reads the environment."""
    inherited = {name: value for name, value in os.environ.items() if name not in SETTINGS_ENV}
    given = settings_environment(settings) if settings is not None else {}
    return {**inherited, **given, **extra}
