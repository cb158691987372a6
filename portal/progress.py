"""Progress of long work as data: the work reports ticks, a front end draws them.

Library code (validation, publishing, federation, backups) takes an optional `Progress`
callback and calls it with a `Tick` now and then; it never knows whether a terminal, a
log file or a Streamlit page is listening, and imports nothing to draw with. The CLI
renders ticks with rich or as plain lines (`portal.cli.progress`), the Publish page
with `st.progress`.

A callback may be called from a worker thread (validation checks batches in one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

TASKS = ("rows", "datasets", "packages", "files", "versions", "objects", "resources")


@dataclass(frozen=True)
class Tick:
    """`done` of `total` units of `task` (one of TASKS, the catalogs' `progress.<task>`).

    `total` is None when unknown; `estimated` when it is a guess that may still move
    (rows of a CSV, from the bytes read so far)."""

    task: str
    done: int
    total: int | None = None
    estimated: bool = False
    finished: bool = False


Progress = Callable[[Tick], None]


def silent(tick: Tick) -> None:
    """The callback of work nobody watches."""


class Counter:
    """Counts units of one task and reports every step: `advance()`, then `finish()`."""

    def __init__(self, progress: Progress | None, task: str, total: int | None = None) -> None:
        self.progress = progress or silent
        self.task = task
        self.total = total
        self.done = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.progress(Tick(self.task, self.done, self.total))

    def finish(self) -> None:
        self.progress(Tick(self.task, self.done, self.done, finished=True))


class RowMeter:
    """Rows read from CSV files whose total size is known: the row total is estimated
    from the bytes the rows so far took (a CSV's row count is known only at its end)."""

    def __init__(self, progress: Progress | None, total_bytes: int) -> None:
        self.progress = progress or silent
        self.total_bytes = max(total_bytes, 1)
        self.rows = 0
        self.bytes = 0

    def advance(self, rows: int, size: int) -> None:
        self.rows += rows
        self.bytes += size
        share = min(self.bytes / self.total_bytes, 1.0)
        estimate = max(round(self.rows / share), self.rows) if share > 0 else None
        self.progress(Tick("rows", self.rows, estimate, estimated=True))

    def finish(self) -> None:
        self.progress(Tick("rows", self.rows, self.rows, finished=True))
