"""How the CLI shows long work: a rich bar on a terminal, plain lines in a log.

Commands hand `progress_shown()`'s callback to the library (`portal.progress`). On a
terminal (and without `--json`) the ticks drive a rich progress bar on stderr: count,
rate and time left. Otherwise (a pipe, a log file, `--json`) they become plain lines on
stderr, in the chosen language(s): the first at once, then at most one every
`PLAIN_EVERY` seconds, and one when the work is done; stdout stays the command's own.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from portal.cli.output import err_console, languages
from portal.i18n import text
from portal.progress import Progress, Tick

PLAIN_EVERY = 5.0  # seconds between plain progress lines


def _label(task: str, langs: tuple[str, ...]) -> str:
    return " · ".join(text(f"progress.{task}", lang) for lang in langs)


class PlainLines:
    """Ticks as plain lines on stderr, throttled; thread-safe (validation ticks from a worker)."""

    def __init__(self, langs: tuple[str, ...], every: float = PLAIN_EVERY) -> None:
        self.langs = langs
        self.every = every
        self.started: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.lock = threading.Lock()

    def __call__(self, tick: Tick) -> None:
        now = time.monotonic()
        with self.lock:
            start = self.started.setdefault(tick.task, now)
            previous = self.last.get(tick.task)
            if not tick.finished and previous is not None and now - previous < self.every:
                return
            self.last[tick.task] = now
            for lang in self.langs:
                print(self._line(tick, lang, now - start), file=sys.stderr, flush=True)
            if tick.finished:  # the same task may run again (each pass of `replicate`)
                del self.started[tick.task], self.last[tick.task]

    def _line(self, tick: Tick, lang: str, elapsed: float) -> str:
        what = text(f"progress.{tick.task}", lang)
        if tick.finished:
            return text("progress.done", lang, what=what, done=tick.done, seconds=round(elapsed, 1))
        rate = round(tick.done / elapsed) if elapsed > 0.05 else None
        if tick.total is None or rate is None or not rate:
            return text("progress.line_unknown", lang, what=what, done=tick.done)
        left = max(round((tick.total - tick.done) / rate), 0)
        key = "progress.line_estimated" if tick.estimated else "progress.line"
        return text(key, lang, what=what, done=tick.done, total=tick.total, rate=rate, left=left)


def _rate_and_left(done: int, total: int | None, elapsed: float) -> tuple[str, str]:
    """`1,234/s` and `0:00:12` (rich's own speed restarts whenever the estimated total moves)."""
    if elapsed < 0.05 or not done:
        return "", ""
    rate = done / elapsed
    if total is None or total <= done:
        return f"{rate:,.0f}/s", ""
    left = round((total - done) / rate)
    return f"{rate:,.0f}/s", f"{left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}"


@contextmanager
def _bar(langs: tuple[str, ...]) -> Iterator[Progress]:
    # rich.progress is imported only when a bar is drawn: small commands start faster.
    from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn
    from rich.progress import Progress as RichProgress

    columns: list[Any] = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[left]}"),
    ]
    tasks: dict[str, tuple[TaskID, float]] = {}
    lock = threading.Lock()
    with RichProgress(*columns, console=err_console, transient=True) as bar:

        def show(tick: Tick) -> None:
            with lock:
                if tick.task not in tasks:
                    task_id = bar.add_task(_label(tick.task, langs), total=None, rate="", left="")
                    tasks[tick.task] = (task_id, time.monotonic())
                task_id, started = tasks[tick.task]
                rate, left = _rate_and_left(tick.done, tick.total, time.monotonic() - started)
                bar.update(task_id, completed=tick.done, total=tick.total, rate=rate, left=left)
                if tick.finished:
                    del tasks[tick.task]

        yield show


@contextmanager
def progress_shown(as_json: bool = False) -> Iterator[Progress]:
    """The callback for one command's long work, drawn as suits where stderr goes."""
    langs = languages()
    if sys.stderr.isatty() and not as_json:
        with _bar(langs) as show:
            yield show
    else:
        yield PlainLines(langs)
