"""Where runtime state lives and the limits that protect it.

This is the one module that reads the environment. A composition root (the CLI's
callback, `portal.app.create_app`'s callers) calls `load_settings()` once and hands the
`Settings` down: the API finds them on the app's state, the pages through
`portal.web.context.settings()`, the CLI through `portal.cli.context`. Tests build their
own `Settings` and their own app; nothing needs patching.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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


# Every environment variable the portal reads, all of them here (the README's table lists
# exactly these; a test keeps the two equal).
SETTINGS_ENV = (
    "GLASSWALL_HOME",
    "GLASSWALL_MAX_UPLOAD_BYTES",
    "GLASSWALL_MAX_FILES",
    "GLASSWALL_MAX_COMPRESSION_RATIO",
    "GLASSWALL_PUBLISH_PER_HOUR",
    "GLASSWALL_PUBLIC_URL",
    "GLASSWALL_FEEDBACK_PER_CLIENT",
    "GLASSWALL_FEEDBACK_PER_DATASET",
    "GLASSWALL_TRUSTED_PROXIES",
    "GLASSWALL_MAX_COLUMNS",
    "GLASSWALL_MAX_CELL_BYTES",
    "GLASSWALL_MAX_LINE_BYTES",
    "GLASSWALL_VALIDATORS",
    "GLASSWALL_LANG",
    "GLASSWALL_TOKEN",
    "GLASSWALL_CKAN_APIKEY",
    "GLASSWALL_CKAN_TIMEOUT",
    "GLASSWALL_CKAN_ALLOW_HOSTS",
)


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


def load_settings(
    home: Path | str | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from the environment; `home` (e.g. `--home`) wins over `GLASSWALL_HOME`."""
    env = os.environ if environ is None else environ
    root = Path(home or env.get("GLASSWALL_HOME") or DEFAULT_HOME).resolve()
    validators = env.get("GLASSWALL_VALIDATORS")
    return Settings(
        home=root,
        max_upload_bytes=int(env.get("GLASSWALL_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)),
        max_files=int(env.get("GLASSWALL_MAX_FILES", DEFAULT_MAX_FILES)),
        max_compression_ratio=float(
            env.get("GLASSWALL_MAX_COMPRESSION_RATIO", DEFAULT_MAX_COMPRESSION_RATIO)
        ),
        publish_per_hour=int(env.get("GLASSWALL_PUBLISH_PER_HOUR", DEFAULT_PUBLISH_PER_HOUR)),
        public_url=(env.get("GLASSWALL_PUBLIC_URL") or "").rstrip("/") or None,
        feedback_per_client=int(
            env.get("GLASSWALL_FEEDBACK_PER_CLIENT", DEFAULT_FEEDBACK_PER_CLIENT)
        ),
        feedback_per_dataset=int(
            env.get("GLASSWALL_FEEDBACK_PER_DATASET", DEFAULT_FEEDBACK_PER_DATASET)
        ),
        trusted_proxies=env.get("GLASSWALL_TRUSTED_PROXIES", "").strip(),
        max_columns=int(env.get("GLASSWALL_MAX_COLUMNS", DEFAULT_MAX_COLUMNS)),
        max_cell_bytes=int(env.get("GLASSWALL_MAX_CELL_BYTES", DEFAULT_MAX_CELL_BYTES)),
        max_line_bytes=int(env.get("GLASSWALL_MAX_LINE_BYTES", DEFAULT_MAX_LINE_BYTES)),
        validators=Path(validators).resolve() if validators else None,
        lang=env.get("GLASSWALL_LANG") or "both",
        token=env.get("GLASSWALL_TOKEN") or None,
        ckan_apikey=env.get("GLASSWALL_CKAN_APIKEY") or None,
        ckan_timeout=float(env.get("GLASSWALL_CKAN_TIMEOUT", DEFAULT_CKAN_TIMEOUT)),
        ckan_allow_hosts=_hosts(env.get("GLASSWALL_CKAN_ALLOW_HOSTS", "")),
    )


def _hosts(value: str) -> tuple[str, ...]:
    """A comma- or space-separated list of hosts."""
    return tuple(h for h in value.replace(",", " ").split() if h)


def settings_environment(settings: Settings) -> dict[str, str]:
    """The variables that give a child process (the server) these same settings."""
    values = {
        "GLASSWALL_HOME": str(settings.home),
        "GLASSWALL_MAX_UPLOAD_BYTES": str(settings.max_upload_bytes),
        "GLASSWALL_MAX_FILES": str(settings.max_files),
        "GLASSWALL_MAX_COMPRESSION_RATIO": str(settings.max_compression_ratio),
        "GLASSWALL_PUBLISH_PER_HOUR": str(settings.publish_per_hour),
        "GLASSWALL_PUBLIC_URL": settings.public_url or "",
        "GLASSWALL_FEEDBACK_PER_CLIENT": str(settings.feedback_per_client),
        "GLASSWALL_FEEDBACK_PER_DATASET": str(settings.feedback_per_dataset),
        "GLASSWALL_VALIDATORS": str(settings.validators or ""),
        "GLASSWALL_LANG": settings.lang,
        "GLASSWALL_CKAN_TIMEOUT": str(settings.ckan_timeout),
        "GLASSWALL_CKAN_ALLOW_HOSTS": ",".join(settings.ckan_allow_hosts),
        "GLASSWALL_TRUSTED_PROXIES": settings.trusted_proxies,
        "GLASSWALL_MAX_COLUMNS": str(settings.max_columns),
        "GLASSWALL_MAX_CELL_BYTES": str(settings.max_cell_bytes),
        "GLASSWALL_MAX_LINE_BYTES": str(settings.max_line_bytes),
    }
    return {name: value for name, value in values.items() if value}


def export_to_environment(settings: Settings) -> None:
    """Hand `settings` to a server started by import string (`glasswall serve`, workers)."""
    os.environ.update(settings_environment(settings))


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a helper process this one starts (with `extra` on top): read
    here, since this is the one module that reads the environment."""
    return {**os.environ, **extra}
