"""Where runtime state lives and the limits that protect it.

Everything is read from the environment once, so the CLI, the server and the tests
agree without a global singleton: callers pass the `Settings` they were given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


# Every environment variable `load_settings` reads.
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
)


@dataclass(frozen=True)
class Settings:
    """Runtime settings: the store's home and the intake limits."""

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

    @property
    def staging_dir(self) -> Path:
        return self.home / "staging"


def load_settings(home: Path | str | None = None) -> Settings:
    """Settings from the environment (`GLASSWALL_HOME`, `GLASSWALL_MAX_UPLOAD_BYTES`, ...)."""
    env = os.environ
    root = Path(home or env.get("GLASSWALL_HOME") or "var").resolve()
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
    )
