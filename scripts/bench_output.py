"""Where every benchmark leaves its figures: `bench-results/NAME.json` and `NAME.md`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

RESULTS = Path(__file__).resolve().parent.parent / "bench-results"


def write_results(name: str, data: Any, table: str, out: Path = RESULTS) -> None:
    """The raw figures as JSON and the README's table as Markdown; the table is printed too."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (out / f"{name}.md").write_text(table, encoding="utf-8")
    print(table)


def run_fast(main: Coroutine[Any, Any, T]) -> T:
    """Run a load generator's coroutine on uvloop (uvicorn's own loop, which it installs):
    the generator shares the two cores with the server, so every cycle it spares is the
    server's. Plain asyncio where uvloop is not available."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)
