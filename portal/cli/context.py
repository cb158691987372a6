"""The settings of one `glasswall` invocation, resolved once by the root command.

The home comes from `--home`, then `GLASSWALL_HOME`, then `./var` (README, "Settings").
Only `glasswall init` creates a store: any other command over a home without one is
refused, naming the home it looked in, so a command run from the wrong directory cannot
quietly start a second, empty store (and issue tokens the running portal never sees).

The root callback `use()`s the settings for the one command it runs; a context variable
keeps them to this invocation without a `ctx` parameter on every command.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

from portal.config import Settings
from portal.errors import NotFound

if TYPE_CHECKING:
    from portal.store import Store

_invocation: ContextVar[Settings] = ContextVar("glasswall_cli_settings")


def use(settings: Settings) -> None:
    _invocation.set(settings)


def cli_settings() -> Settings:
    """The settings the root command resolved for this invocation."""
    return _invocation.get()


def open_store() -> Store:
    """The existing store at the resolved home; refused (exit 2) when there is none."""
    from portal.store import writing  # loaded when a command opens the store, not for --help

    settings = cli_settings()
    store = writing(settings.home)
    if not store.db_path.exists():
        raise NotFound("store.missing", home=str(settings.home))
    store.init()
    return store


def create_store() -> Store:
    """`glasswall init`: the store at the resolved home, created when missing."""
    from portal.store import writing

    store = writing(cli_settings().home)
    store.init()
    return store
