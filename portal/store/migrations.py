"""Schema migrations: each part of the portal owns its tables and the steps that change them.

A part ("app", as in Django) keeps its steps in `portal/store/schema/{app}.py` as a
`MIGRATIONS` tuple of SQL scripts, numbered by position from 1. Applied steps are recorded
in `schema_migrations (app, step)`, so two parts can add tables in parallel without sharing
one counter. `PRAGMA user_version` carries the total number of applied steps: a quick
"which schema is this" that tools such as `sqlite3` show without reading our tables.
A step is never edited after release; a change is a new step appended to its app's tuple.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from portal.errors import StoreProblem
from portal.store import schema
from portal.store.transactions import transaction

# The core store goes first: other parts reference its tables.
FIRST_APP = "core"


@dataclass(frozen=True)
class Migration:
    app: str
    step: int
    sql: str


def registered() -> list[Migration]:
    """Every migration of every app, core first, then apps by name, steps in order."""
    found: list[Migration] = []
    names = sorted(info.name for info in pkgutil.iter_modules(schema.__path__))
    for name in sorted(names, key=lambda app: (app != FIRST_APP, app)):
        module = importlib.import_module(f"{schema.__name__}.{name}")
        steps: tuple[str, ...] = module.MIGRATIONS
        found += [Migration(name, index, sql) for index, sql in enumerate(steps, start=1)]
    return found


def applied(conn: sqlite3.Connection) -> set[tuple[str, int]]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (app TEXT NOT NULL, "
        "step INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (app, step))"
    )
    return {(row[0], row[1]) for row in conn.execute("SELECT app, step FROM schema_migrations")}


def pending(conn: sqlite3.Connection) -> list[Migration]:
    done = applied(conn)
    return [m for m in registered() if (m.app, m.step) not in done]


def prepare(conn: sqlite3.Connection, home: Path) -> None:
    """A new catalog gets every step; an existing one behind this release is refused.

    Upgrading an existing store is a decision (`glasswall upgrade`, or `serve`), taken after
    a backup copy: a command that merely opens the store never changes its schema.
    """
    done = applied(conn)
    if not done:
        migrate(conn)
        return
    behind = [m for m in registered() if (m.app, m.step) not in done]
    if behind:
        raise StoreProblem(
            "store.needs_upgrade",
            home=str(home),
            steps=", ".join(f"{m.app}#{m.step}" for m in behind),
        )


def migrate(conn: sqlite3.Connection) -> list[Migration]:
    """Apply the pending steps, each in its own transaction; returns what was applied."""
    steps = pending(conn)
    for migration in steps:
        with transaction(conn):
            if (migration.app, migration.step) in applied(conn):  # another process won
                continue
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (app, step, applied_at) "
                "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                (migration.app, migration.step),
            )
            total = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(total)}")
    return steps


def _statements(script: str) -> list[str]:
    # executescript() would commit our transaction; split on complete statements instead.
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
